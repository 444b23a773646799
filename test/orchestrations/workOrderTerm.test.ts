import { describe, expect, it } from 'vitest';
import { workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';
import {
  CLOSE_FLEX_PERIOD,
  END_TERMINATED_WORK_ORDER,
  EXPIRE_WORK_ORDER,
  SEND_REQUEST_WINDOW_REMINDER,
  REMIND_DUTY,
  WORK_ORDER_SCHEDULE_CHANGED,
  WORK_ORDER_TERMINATED,
} from '../../orchestrations/workOrderTerm/names';
import { dutiesFor } from '../../domain/workOrder/duties';
import { workOrderTermOrchestrator, type WorkOrderTermInput } from '../../orchestrations/workOrderTerm/orchestrator';
import { ActionType, history as h, leaves, replay } from '../support/orchestrationReplay';

const years = workOrderLifecycleSchedule({
  term: { start: '2027-01-01', end: '2028-12-31' },
  host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
});
const year1: WorkOrderTermInput = { workOrderId: 'wo-1', years, yearIndex: 0 };
const year2: WorkOrderTermInput = { ...year1, yearIndex: 1 };
const t0 = '2027-01-01T00:00:00.000Z';

describe('workOrderTerm orchestrator (replayed through the durable-functions executor)', () => {
  it('FLEX-3: waits for the flex period end or a termination, then closes the period and continues as new for year 2', async () => {
    const end = years[0]!.events[0]!.at;
    const first = await replay(workOrderTermOrchestrator, year1, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, year1),
    ]);
    expect(leaves(first).map((a) => a.actionType)).toEqual([
      ActionType.CreateTimer,
      ActionType.WaitForExternalEvent,
      ActionType.WaitForExternalEvent,
    ]);
    expect(leaves(first)[0]).toMatchObject({ fireAt: end });
    const fired = [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, year1),
      h.timerCreated(0, t0, end),
      h.orchestratorStarted(end),
      h.timerFired(0, end, end),
    ];
    const closing = await replay(workOrderTermOrchestrator, year1, fired);
    expect(leaves(closing).at(-1)).toMatchObject({
      actionType: ActionType.CallActivity,
      functionName: CLOSE_FLEX_PERIOD,
      input: { workOrderId: 'wo-1', year: 1 },
    });
    const next = await replay(workOrderTermOrchestrator, year1, [
      ...fired,
      h.taskScheduled(1, end, CLOSE_FLEX_PERIOD),
      h.orchestratorStarted(end),
      h.taskCompleted(1, end, null),
    ]);
    expect(next.isDone).toBe(true);
    expect(leaves(next).at(-1)).toMatchObject({ actionType: ActionType.ContinueAsNew, input: { yearIndex: 1 } });
  });

  it('REQ-60, EXP-1: the last year sends both reminders, closes the period and expires the Work Order, in order', async () => {
    const events: unknown[] = [h.orchestratorStarted(t0), h.executionStarted(t0, year2)];
    let id = 0;
    const called: string[] = [];
    for (const event of years[1]!.events) {
      const state = await replay(workOrderTermOrchestrator, year2, events);
      const timer = leaves(state)
        .filter((a) => a.actionType === ActionType.CreateTimer)
        .at(-1)!;
      expect(timer.fireAt).toBe(event.at);
      const timerId = id++;
      events.push(
        h.timerCreated(timerId, event.at, event.at),
        h.orchestratorStarted(event.at),
        h.timerFired(timerId, event.at, event.at),
      );
      const afterTimer = await replay(workOrderTermOrchestrator, year2, events);
      const call = leaves(afterTimer).at(-1)!;
      called.push(String(call.functionName));
      events.push(
        h.taskScheduled(id, event.at, String(call.functionName)),
        h.orchestratorStarted(event.at),
        h.taskCompleted(id++, event.at, null),
      );
    }
    expect(called).toEqual([
      SEND_REQUEST_WINDOW_REMINDER,
      SEND_REQUEST_WINDOW_REMINDER,
      CLOSE_FLEX_PERIOD,
      EXPIRE_WORK_ORDER,
    ]);
    const done = await replay(workOrderTermOrchestrator, year2, events);
    expect(done).toMatchObject({ isDone: true, output: { outcome: 'expired' } });
  });

  it('DEP-1, DEP-2: a termination ends the Work Order and its dependents on the termination date', async () => {
    const at = '2027-06-30T10:00:00.000Z';
    const state = await replay(workOrderTermOrchestrator, year1, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, year1),
      h.timerCreated(0, t0, years[0]!.events[0]!.at),
      h.orchestratorStarted(at),
      h.eventRaised(WORK_ORDER_TERMINATED, at, { at: '2027-06-30', reason: 'merger' }),
    ]);
    expect(leaves(state)[0]).toMatchObject({ actionType: ActionType.CreateTimer, isCanceled: true });
    expect(leaves(state).at(-1)).toMatchObject({
      actionType: ActionType.CallActivity,
      functionName: END_TERMINATED_WORK_ORDER,
      input: { workOrderId: 'wo-1', at: '2027-06-30', reason: 'merger' },
    });
  });

  it('UER-4, UER-5, GHED-1: a service added during the term reschedules the term with its duties, from now on', async () => {
    const term = { start: '2027-01-01', end: '2028-12-31' };
    const withDuties = workOrderLifecycleSchedule({
      term,
      host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
      duties: dutiesFor('wo-1', term, ['UER'], '2027-02-01'),
    });
    const at = '2027-02-01T10:00:00.000Z';
    const changed = await replay(workOrderTermOrchestrator, year1, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, year1),
      h.timerCreated(0, t0, years[0]!.events[0]!.at),
      h.orchestratorStarted(at),
      h.eventRaised(WORK_ORDER_SCHEDULE_CHANGED, at, withDuties),
    ]);
    expect(leaves(changed).at(-1)).toMatchObject({
      actionType: ActionType.ContinueAsNew,
      input: { yearIndex: 0, after: at, years: withDuties },
    });
    // the next execution waits for the UER-4 reminder (day 45 from the addition, 09:00 host time)
    const next = { ...year1, years: withDuties, after: at };
    const resumed = await replay(workOrderTermOrchestrator, next, [
      h.orchestratorStarted(at),
      h.executionStarted(at, next),
    ]);
    const reminder = withDuties[0]!.events.find((e) => e.kind === 'dutyReminder' && e.rule === 'UER-4')!;
    expect(reminder.date).toBe('2027-03-17');
    expect(leaves(resumed)[0]).toMatchObject({ actionType: ActionType.CreateTimer, fireAt: reminder.at });
    const fired = await replay(workOrderTermOrchestrator, next, [
      h.orchestratorStarted(at),
      h.executionStarted(at, next),
      h.timerCreated(0, at, reminder.at),
      h.orchestratorStarted(reminder.at),
      h.timerFired(0, reminder.at, reminder.at),
    ]);
    expect(leaves(fired).at(-1)).toMatchObject({ actionType: ActionType.CallActivity, functionName: REMIND_DUTY });
    expect(withDuties[0]!.events.filter((e) => e.kind === 'dutyOverdue').map((e) => e.rule)).toContain('UER-4');
  });
});
