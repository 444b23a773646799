import * as swaps from '../../app/swaps';
import { swapRequestSchema } from '../../domain/workOrder/entitlements';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/**
 * POST /api/work-orders/{id}/swaps — FLEX-5 / SWAP-1: hours of one service type for the same hours of another.
 * Nothing moves yet: the swap waits for the consent of the service delivery resource.
 */
export const requestEntitlementSwap = endpoint('requestEntitlementSwap', {
  method: 'POST',
  route: 'work-orders/{id}/swaps',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Request a swap of hours between service types; waits for consent (FLEX-5, SWAP-1, FLEX-4)',
  body: swapRequestSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const swap = await swaps.requestEntitlementSwap(
      services,
      params['id'] ?? '',
      input,
      writeGuard(principal, request),
    );
    return json(201, swap, { location: `/api/swaps/${swap.id}` });
  },
});
