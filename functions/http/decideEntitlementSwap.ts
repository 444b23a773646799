import { decideSwap, pendingSwap, swapDecisionSchema, type SwapRecord } from '../../domain/workOrder/entitlements';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { changeWorkOrder } from './conventions/workOrderAccess';

/** POST /api/swaps/{id}/decision — the consent step of FLEX-5 / SWAP-1, given by the provider side. */
export const decideEntitlementSwap = endpoint('decideEntitlementSwap', {
  method: 'POST',
  route: 'swaps/{id}/decision',
  roles: ['Provider.Csam'],
  summary: 'Approve or decline a swap as the service delivery resource (FLEX-5, SWAP-1; Provider.Csam)',
  body: swapDecisionSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const store = services.workOrders;
    const found = await store.findResource<SwapRecord>('swap', params['id'] ?? '');
    if (!found) throw notFound(`Swap ${params['id']}`);
    const at = services.clock.now().toISOString();
    const { result } = await changeWorkOrder(services, request, found.workOrderId, principal, async (current) => {
      const record = (await store.findResource<SwapRecord>('swap', found.id))!.data;
      const decided = decideSwap(current.entitlements, pendingSwap(record), input, services.catalogue); // rules FLEX-5, SWAP-1
      const data: SwapRecord = { ...record, status: decided.status, decision: { by: input.by, at } };
      return {
        workOrder: { ...current, entitlements: decided.balances },
        change: {
          resources: [{ kind: 'swap', id: found.id, workOrderId: current.id, data }],
          timeline: [
            {
              at,
              kind: decided.status === 'approved' ? 'swapApproved' : 'swapDeclined',
              rule: record.rule,
              detail: `Swap of ${record.hours} hour(s) of ${record.from} for ${record.to} ${decided.status} by ${input.by}.`,
            },
          ],
        },
        result: data,
      };
    });
    return json(200, result);
  },
});
