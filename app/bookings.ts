import { randomUUID } from 'node:crypto';
import type { DueItem } from '../domain/lifecycle/dueIndex';
import type { EntitlementBalance } from '../domain/workOrder/entitlements';
import type { TimelineEntry, WorkOrderResource } from '../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';
import type { PhasedLifecycleInput } from '../orchestrations/phasedLifecycle/names';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import type { Lifecycles, Services } from './services';

/** What a booking decided on the Work Order as it is: the record, the balances after its reservation, its entry. */
export interface Booking<R> {
  data: R;
  entitlements: EntitlementBalance[];
  entry: Omit<TimelineEntry, 'at'>;
}

/** How a kind of booking is kept and timed: its resource kind and its phased lifecycle. */
export interface BookingKind<R> {
  kind: WorkOrderResource['kind'];
  orchestration: string;
  instanceId(id: string): string;
  lifecycle(record: R, now: string): { input: PhasedLifecycleInput; due: DueItem[] };
}

/**
 * A new booking (an AEM event, a cybersecurity engagement): kept with what it reserves and its timeline entry in one
 * write under the Work Order's ETag; then its dated steps go into the due index and its lifecycle is started.
 */
export async function book<R>(
  services: Services,
  lifecycles: Lifecycles,
  workOrderId: string,
  guard: Guard,
  kind: BookingKind<R>,
  decide: (current: WorkOrderView, id: string) => Booking<R>,
): Promise<R> {
  const id = randomUUID();
  const now = services.clock.now().toISOString();
  const { result: record } = await decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
      const { data, entitlements, entry } = decide(current, id);
      return {
        workOrder: { ...current, entitlements },
        change: {
          resources: [{ kind: kind.kind, id, workOrderId: current.id, data }],
          timeline: [{ at: now, ...entry }],
        },
        result: data,
      };
    },
    guard,
  );
  const lifecycle = kind.lifecycle(record, now);
  await services.dueIndex.put(lifecycle.due);
  await lifecycles.start(kind.orchestration, kind.instanceId(id), lifecycle.input);
  return record;
}
