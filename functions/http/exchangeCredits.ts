import { creditExchangeSchema } from '../../domain/workOrder/credits';
import * as credits from '../../app/credits';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/** POST /api/work-orders/{id}/credits/exchanges — MN-4 (Host/Downstream only, rounded up), MN-5 (no exception countries). */
export const exchangeCredits = endpoint('exchangeCredits', {
  method: 'POST',
  route: 'work-orders/{id}/credits/exchanges',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Exchange credits between locations (MN-4, MN-5; EXP-1 409 once expired or terminated)',
  body: creditExchangeSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const { result, etag } = await credits.exchangeCredits(
      services,
      params['id'] ?? '',
      await body(),
      writeGuard(principal, request),
    );
    return json(201, result, { etag });
  },
});
