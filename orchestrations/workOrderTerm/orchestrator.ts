import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { FlexYearSchedule, LifecycleEventKind } from '../../domain/workOrder/lifecycleSchedule';
import {
  CLOSE_FLEX_PERIOD,
  END_TERMINATED_WORK_ORDER,
  END_ENTITLEMENTS,
  EXPIRE_WORK_ORDER,
  MARK_DUTY_OVERDUE,
  REMIND_DUTY,
  SEND_REQUEST_WINDOW_REMINDER,
  WORK_ORDER_SCHEDULE_CHANGED,
  WORK_ORDER_TERM,
  WORK_ORDER_TERMINATED,
} from './names';

export interface WorkOrderTermInput {
  workOrderId: string;
  years: FlexYearSchedule[];
  yearIndex: number;
  /** Set once terminated: the schedule already ends on this day, and no second termination is awaited. */
  terminatesOn?: string;
  /** After a schedule change: events due before this instant already ran in an earlier execution. */
  after?: string;
}

export interface Termination {
  at: string;
  reason: string;
  /** The term's remaining schedule, ending on `at` (dates derived from the term follow it, rules.md section 9). */
  years?: FlexYearSchedule[];
}

const activityFor: Record<LifecycleEventKind, string> = {
  requestWindowReminder: SEND_REQUEST_WINDOW_REMINDER, // rule REQ-60
  flexPeriodEnded: CLOSE_FLEX_PERIOD, // rule FLEX-3
  termEnded: EXPIRE_WORK_ORDER, // rule EXP-1
  dutyReminder: REMIND_DUTY, // rule UER-4, UER-5, GHED-1
  dutyOverdue: MARK_DUTY_OVERDUE, // rule UER-4, UER-5, GHED-1
  entitlementEnded: END_ENTITLEMENTS, // rule DEP-2
};

/**
 * A Work Order's term, one flex year per execution (continueAsNew keeps the history of a multi-year term
 * bounded): each dated promise of the year in order — REQ-60 reminders, the flex period's end, the term's end —
 * unless the Work Order is terminated first: then the schedule of the term shortened to `at` takes over (rules.md
 * section 9), so the reminders, the last flex period's end and the end itself fall on the new dates.
 */
export const workOrderTermOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<WorkOrderTermInput>();
  const year = input.years[input.yearIndex];
  if (!year) return input.terminatesOn ? { outcome: 'terminated', on: input.terminatesOn } : { outcome: 'expired' };
  const terminated: Task = context.df.waitForExternalEvent(WORK_ORDER_TERMINATED);
  const changed: Task = context.df.waitForExternalEvent(WORK_ORDER_SCHEDULE_CHANGED);
  for (const event of year.events.filter((e) => !input.after || e.at >= input.after)) {
    // the next due time, for portals reading GET /api/lifecycles/{id}
    context.df.setCustomStatus({ year: year.year, next: event.kind, nextDue: event.at, date: event.date });
    const timer = context.df.createTimer(new Date(event.at));
    const winner: Task = yield context.df.Task.any([timer, terminated, changed]);
    if (winner === changed) {
      // A service added or ended during the term: go on with the new promises, from now
      timer.cancel();
      const years = changed.result as FlexYearSchedule[];
      const after = context.df.currentUtcDateTime.toISOString();
      const next = years.findIndex((y) => y.events.some((e) => e.at >= after));
      context.df.continueAsNew({ ...input, years, yearIndex: next < 0 ? years.length : next, after });
      return undefined;
    }
    if (winner === terminated) {
      timer.cancel();
      const { years, ...termination } = terminated.result as Termination;
      yield context.df.callActivity(END_TERMINATED_WORK_ORDER, { workOrderId: input.workOrderId, ...termination });
      if (!years) return { outcome: 'terminated', on: termination.at };
      // The term now ends on `at`: its remaining reminders, flex period ends and end follow the shortened term.
      context.df.continueAsNew({ workOrderId: input.workOrderId, years, yearIndex: 0, terminatesOn: termination.at });
      return undefined;
    }
    yield context.df.callActivity(activityFor[event.kind], { workOrderId: input.workOrderId, year: year.year, event });
    context.df.setCustomStatus({ year: year.year, done: event.kind, date: event.date });
  }
  if (input.yearIndex + 1 < input.years.length) {
    context.df.continueAsNew({ ...input, yearIndex: input.yearIndex + 1, after: undefined });
    return undefined;
  }
  return input.terminatesOn ? { outcome: 'terminated', on: input.terminatesOn } : { outcome: 'expired' };
};

df.app.orchestration(WORK_ORDER_TERM, workOrderTermOrchestrator);
