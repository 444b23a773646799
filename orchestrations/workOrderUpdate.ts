import { WorkOrderConflict, type StoredWorkOrder, type WorkOrderChange } from '../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';
import { services } from '../infra/compositionRoot';

/**
 * An activity's read-modify-write of a Work Order under its ETag, retried on a lost race. `mutate` returns null
 * when there is nothing to change (the activity already ran: activities run at least once).
 */
export async function updateWorkOrder(
  workOrderId: string,
  mutate: (
    current: StoredWorkOrder['workOrder'],
  ) =>
    | Promise<{ workOrder: WorkOrderView; change: WorkOrderChange } | null>
    | { workOrder: WorkOrderView; change: WorkOrderChange }
    | null,
): Promise<WorkOrderView | undefined> {
  const store = services().workOrders;
  for (let attempt = 1; ; attempt++) {
    const stored = await store.get(workOrderId);
    if (!stored) return undefined;
    const next = await mutate(stored.workOrder);
    if (!next) return stored.workOrder;
    try {
      await store.update(next.workOrder, stored.etag, next.change);
      return next.workOrder;
    } catch (error) {
      if (!(error instanceof WorkOrderConflict) || attempt >= 10) throw error;
    }
  }
}
