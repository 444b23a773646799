import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task, TimerTask } from 'durable-functions';
import type { IncidentClock } from '../../domain/incidents/incident';
import {
  EVENTS_PER_EXECUTION,
  INCIDENT_SLA,
  RECORD_FIRST_RESPONSE_DUE,
  SEND_FIRST_RESPONSE_WARNING,
  SLA_CHANGED,
} from './names';

/** The orchestration's own state: the incident's clock plus whether the 80 % warning went out for this due time. */
export interface IncidentSlaState extends IncidentClock {
  warnedForDueAt?: string;
}

/**
 * The durable first-response clock of one incident. Ticket events are applied to the incident by the ingestion
 * function, which then signals the new clock here (`slaChanged`); this orchestration only keeps time: it warns
 * at 80 % of the target and records the breach at the due time, whichever comes before the next change.
 * It ends when the incident closes; a reopened incident starts a new execution.
 */
export const incidentSlaOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  let clock = context.df.getInput<IncidentSlaState>();
  let change: Task | undefined;
  for (let handled = 0; handled < EVENTS_PER_EXECUTION; handled++) {
    if (clock.status === 'closed') return clock;
    change ??= context.df.waitForExternalEvent(SLA_CHANGED);
    if (clock.state !== 'pending') {
      // Met or breached: nothing to time, but a severity change or reopening may restart the clock.
      clock = carryWarning(clock, (yield change) as IncidentClock);
      change = undefined;
      continue;
    }
    const now = context.df.currentUtcDateTime.getTime();
    const warn = clock.warnedForDueAt !== clock.dueAt && Date.parse(clock.warningAt) > now;
    const timer: TimerTask = context.df.createTimer(new Date(warn ? clock.warningAt : clock.dueAt));
    const winner: Task = yield context.df.Task.any([change, timer]);
    if (winner === change) {
      timer.cancel();
      clock = carryWarning(clock, change.result as IncidentClock);
      change = undefined;
    } else if (warn) {
      yield context.df.callActivity(SEND_FIRST_RESPONSE_WARNING, { incidentId: clock.incidentId, dueAt: clock.dueAt });
      clock = { ...clock, warnedForDueAt: clock.dueAt };
    } else {
      const after = (yield context.df.callActivity(RECORD_FIRST_RESPONSE_DUE, {
        incidentId: clock.incidentId,
        dueAt: clock.dueAt,
      })) as IncidentClock;
      clock = carryWarning(clock, after);
    }
  }
  // Bounded history: start a fresh execution with the current clock (events raised meanwhile are carried over).
  context.df.continueAsNew(clock);
  return undefined;
};

function carryWarning(previous: IncidentSlaState, next: IncidentClock): IncidentSlaState {
  return previous.warnedForDueAt === next.dueAt ? { ...next, warnedForDueAt: next.dueAt } : { ...next };
}

df.app.orchestration(INCIDENT_SLA, incidentSlaOrchestrator);
