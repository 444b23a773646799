import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task, TimerTask } from 'durable-functions';
import type { IncidentClock } from '../../domain/incidents/incident';
import {
  EVENTS_PER_EXECUTION,
  INCIDENT_SLA,
  RECORD_FIRST_RESPONSE_DUE,
  SEND_BREACH_CORRECTION,
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
 * at 80 % of the target and records the breach at the due time, whichever comes before the next change, and
 * announces the correction when a late event takes a recorded breach back (RESP-LATE). It ends when the incident
 * closes; a reopened incident starts a new execution.
 */
export const incidentSlaOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  let clock = context.df.getInput<IncidentSlaState>();
  let change: Task | undefined;
  for (let handled = 0; handled < EVENTS_PER_EXECUTION; handled++) {
    if (clock.status === 'closed') return clock;
    change ??= context.df.waitForExternalEvent(SLA_CHANGED);
    if (clock.state !== 'pending') {
      context.df.setCustomStatus({ state: clock.state, dueAt: clock.dueAt, nextDue: null });
      // Met or breached: nothing to time, but a late event may move the due time or take the breach back.
      const next = (yield change) as IncidentClock;
      change = undefined;
      if (corrects(clock, next, context.df.currentUtcDateTime.getTime()))
        yield context.df.callActivity(SEND_BREACH_CORRECTION, { incidentId: clock.incidentId, dueAt: clock.dueAt });
      clock = carryWarning(clock, next);
      continue;
    }
    const now = context.df.currentUtcDateTime.getTime();
    const warn = clock.warnedForDueAt !== clock.dueAt && Date.parse(clock.warningAt) > now;
    const nextDue = warn ? clock.warningAt : clock.dueAt;
    context.df.setCustomStatus({ state: clock.state, dueAt: clock.dueAt, next: warn ? 'warning' : 'due', nextDue });
    const timer: TimerTask = context.df.createTimer(new Date(nextDue));
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

/** RESP-LATE: a recorded breach is taken back when the target is met after all or due later than now. */
function corrects(previous: IncidentClock, next: IncidentClock, now: number): boolean {
  return (
    previous.state === 'breached' &&
    (next.state === 'met' || (next.state === 'pending' && Date.parse(next.dueAt) > now))
  );
}

function carryWarning(previous: IncidentSlaState, next: IncidentClock): IncidentSlaState {
  return previous.warnedForDueAt === next.dueAt ? { ...next, warnedForDueAt: next.dueAt } : { ...next };
}

df.app.orchestration(INCIDENT_SLA, incidentSlaOrchestrator);
