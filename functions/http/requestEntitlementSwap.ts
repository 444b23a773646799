import { randomUUID } from 'node:crypto';
import { requestSwap, swapRequestSchema, type SwapRecord } from '../../domain/workOrder/entitlements';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

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
    const id = randomUUID();
    const at = services.clock.now().toISOString();
    const { result } = await changeWorkOrder(services, request, params['id'] ?? '', principal, (current) => {
      const pending = requestSwap(current.entitlements, input, services.catalogue); // rules FLEX-5, SWAP-1, FLEX-4, BUY-5
      const data: SwapRecord = {
        ...pending,
        id,
        workOrderId: current.id,
        status: 'awaitingConsent',
        requestedAt: at,
        decision: null,
      };
      return {
        workOrder: current,
        change: {
          resources: [{ kind: 'swap', id, workOrderId: current.id, data }],
          timeline: [
            {
              at,
              kind: 'swapRequested',
              rule: pending.rule,
              detail: `Swap of ${input.hours} hour(s) of ${input.from} for ${input.to} requested; awaiting the service delivery resource's consent.`,
            },
          ],
        },
        result: data,
      };
    });
    return json(201, result, { location: `/api/swaps/${id}` });
  },
});
