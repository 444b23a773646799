import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  decideSwap,
  pendingSwap,
  requestSwap,
  type SwapRecord,
  type swapRequestSchema,
} from '../domain/workOrder/entitlements';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import { NotFound } from './errors';
import type { Services } from './services';

/**
 * FLEX-5 / SWAP-1: hours of one service type for the same hours of another. Nothing moves yet: the swap waits for
 * the consent of the service delivery resource.
 */
export async function requestEntitlementSwap(
  services: Services,
  workOrderId: string,
  input: z.output<typeof swapRequestSchema>,
  guard: Guard,
) {
  const id = randomUUID();
  const at = services.clock.now().toISOString();
  const { result } = await decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
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
    },
    guard,
  );
  return result;
}

/** The consent step of FLEX-5 / SWAP-1, given once by the provider side; an approval moves the hours. */
export async function decideEntitlementSwap(
  services: Services,
  swapId: string,
  input: { approved: boolean; by: string }, // `by`: who decided, from the caller's principal
  guard: Guard,
) {
  const store = services.workOrders;
  const found = await store.findResource<SwapRecord>('swap', swapId);
  if (!found) throw new NotFound(`Swap ${swapId}`);
  const at = services.clock.now().toISOString();
  const { result } = await decideOnWorkOrder(
    services,
    found.workOrderId,
    async (current) => {
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
    },
    guard,
  );
  return result;
}
