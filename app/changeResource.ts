import type { TimelineEntry, WorkOrderResource } from '../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';
import { changeWorkOrder } from './changeWorkOrder';
import type { Services } from './services';

/**
 * A lifecycle step's change of a booking or engagement together with its Work Order, in one transaction (the
 * resource read afresh on every attempt). `decide` returns null when the step already applied (activities run at
 * least once). Returns the resource as it is afterwards (undefined when it is gone).
 */
export async function changeResource<T extends { id: string; workOrderId: string }>(
  services: Services,
  kind: WorkOrderResource['kind'],
  step: { resourceId: string; workOrderId: string },
  decide: (
    record: T,
    workOrder: WorkOrderView,
  ) => { record: T; workOrder: WorkOrderView; timeline: TimelineEntry | null } | null,
): Promise<T | undefined> {
  const read = async () => (await services.workOrders.findResource<T>(kind, step.resourceId))?.data;
  const done = await changeWorkOrder(
    services,
    step.workOrderId,
    async (current) => {
      const record = await read();
      const next = record ? decide(record, current) : null;
      if (!next) return null;
      return {
        workOrder: next.workOrder,
        change: {
          resources: [{ kind, id: next.record.id, workOrderId: next.record.workOrderId, data: next.record }],
          timeline: next.timeline ? [next.timeline] : [],
        },
        result: next.record,
      };
    },
    { inForce: false }, // a lifecycle step keeps its promise whatever became of the Work Order since
  );
  return done?.result ?? (await read());
}
