import type { DueItem } from '../../domain/lifecycle/dueIndex';
import type { FlexYearSchedule } from '../../domain/workOrder/lifecycleSchedule';
import { WORK_ORDER_TERM, workOrderTermInstanceId } from '../../orchestrations/workOrderTerm/names';

/** The term's dated promises for the due-date index, each with the input that restarts its year. */
export function dueItemsOfTerm(workOrderId: string, years: FlexYearSchedule[]): DueItem[] {
  return years.flatMap((year, yearIndex) =>
    year.events.map((event) => ({
      dueAt: event.at,
      kind: event.kind,
      resourceId: `${workOrderId}/${year.year}/${event.date}`,
      workOrderId,
      instanceId: workOrderTermInstanceId(workOrderId),
      orchestration: WORK_ORDER_TERM,
      restartInput: { workOrderId, years, yearIndex },
      doneAt: null,
    })),
  );
}
