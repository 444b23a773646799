import * as entitlements from '../../app/entitlements';
import { hoursInputSchema } from '../../domain/workOrder/hours';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/**
 * POST /api/work-orders/{id}/hours — hours used are drawn down from what was bought (EDE-1, REDE-1; more than is
 * left → 422 ENT-1); Advisory Support draws on no balance, one case at most 6 hours (ADV-1).
 */
export const recordHours = endpoint('recordHours', {
  method: 'POST',
  route: 'work-orders/{id}/hours',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Record hours used: EDE/REDE drawn down (EDE-1, REDE-1, ENT-1); advisory at most 6 per case (ADV-1)',
  body: hoursInputSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const { usage, etag } = await entitlements.recordHours(
      services,
      params['id'] ?? '',
      await body(),
      writeGuard(principal, request),
    );
    return json(201, usage, { etag });
  },
});
