import { creditRedemptionSchema } from '../../domain/workOrder/credits';
import * as credits from '../../app/credits';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/** POST /api/work-orders/{id}/credits/redemptions — CRED-1 rounding, CRED-2 never below zero. */
export const redeemCredits = endpoint('redeemCredits', {
  method: 'POST',
  route: 'work-orders/{id}/credits/redemptions',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Redeem Proactive Credits (CRED-1, CRED-2; EXP-1 409 once expired or terminated)',
  body: creditRedemptionSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const { result, etag } = await credits.redeemCredits(
      services,
      params['id'] ?? '',
      await body(),
      writeGuard(principal, request),
    );
    return json(201, result, { etag });
  },
});
