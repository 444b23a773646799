import type { InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import { dueItemsOfTerm } from '../../../app/dueItems';
import type { Services } from '../../../app/services';
import { workOrderLifecycleSchedule } from '../../../domain/workOrder/lifecycleSchedule';
import type { WorkOrderView } from '../../../domain/workOrder/workOrderView';
import { WORK_ORDER_SCHEDULE_CHANGED, workOrderTermInstanceId } from '../../../orchestrations/workOrderTerm/names';

/**
 * Tells a Work Order's term lifecycle what it now promises (duties of a service added during the term, an add-on
 * ended early): the due index first, so the daily sweep can restart the lifecycle if the signal is lost.
 */
export async function rescheduleTerm(
  services: Services,
  client: df.DurableClient | undefined,
  view: WorkOrderView,
  context: InvocationContext,
): Promise<void> {
  const years = workOrderLifecycleSchedule(view, services.catalogue);
  await services.dueIndex.put(dueItemsOfTerm(view.id, years));
  await client!
    .raiseEvent(workOrderTermInstanceId(view.id), WORK_ORDER_SCHEDULE_CHANGED, years)
    .catch((error: unknown) => {
      context.warn(`Work Order ${view.id} changed, but its term lifecycle could not be told:`, error);
    });
}
