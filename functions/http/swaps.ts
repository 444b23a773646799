import { randomUUID } from 'node:crypto';
import {
  decideSwap,
  pendingSwap,
  requestSwap,
  swapDecisionSchema,
  swapRequestSchema,
  type SwapRecord,
} from '../../domain/workOrder/entitlements';
import { clock } from '../../infra/clock';
import { catalogue, workOrderStore } from '../compositionRoot';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { changeWorkOrder, resourceForCaller } from './workOrderAccess';

/**
 * POST /api/work-orders/{id}/swaps — FLEX-5 / SWAP-1: hours of one service type for the same hours of another.
 * Nothing moves yet: the swap waits for the consent of the service delivery resource.
 */
export const requestEntitlementSwap = endpoint('requestEntitlementSwap', {
  method: 'POST',
  route: 'work-orders/{id}/swaps',
  roles: ['Customer.Manager', 'Provider.Csam'],
  handler: async ({ params, principal, body, request }) => {
    const input = await body(swapRequestSchema);
    const id = randomUUID();
    const at = clock.now().toISOString();
    const { result } = await changeWorkOrder(request, params['id'] ?? '', principal, (current) => {
      const pending = requestSwap(current.entitlements, input, catalogue()); // rules FLEX-5, SWAP-1, FLEX-4, BUY-5
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

/** POST /api/swaps/{id}/decision — the consent step of FLEX-5 / SWAP-1, given by the provider side. */
export const decideEntitlementSwap = endpoint('decideEntitlementSwap', {
  method: 'POST',
  route: 'swaps/{id}/decision',
  roles: ['Provider.Csam'],
  handler: async ({ params, principal, body, request }) => {
    const input = await body(swapDecisionSchema);
    const store = await workOrderStore();
    const found = await store.findResource<SwapRecord>('swap', params['id'] ?? '');
    if (!found) throw notFound(`Swap ${params['id']}`);
    const at = clock.now().toISOString();
    const { result } = await changeWorkOrder(request, found.workOrderId, principal, async (current) => {
      const record = (await store.findResource<SwapRecord>('swap', found.id))!.data;
      const decided = decideSwap(current.entitlements, pendingSwap(record), input, catalogue()); // rules FLEX-5, SWAP-1
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

/** GET /api/swaps/{id} */
export const getEntitlementSwap = endpoint('getEntitlementSwap', {
  method: 'GET',
  route: 'swaps/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  handler: async ({ params, principal }) => {
    return json(200, (await resourceForCaller<SwapRecord>('swap', params['id'] ?? '', principal, 'Swap')).data);
  },
});
