import { describe, expect, it } from 'vitest';
import type { IncidentClock } from '../../domain/incidents/incident';
import {
  RECORD_FIRST_RESPONSE_DUE,
  SEND_BREACH_CORRECTION,
  SEND_FIRST_RESPONSE_WARNING,
  SLA_CHANGED,
} from '../../orchestrations/incidentSla/names';
import { incidentSlaOrchestrator } from '../../orchestrations/incidentSla/orchestrator';
import { ActionType, history as h, leaves, replay } from '../support/orchestrationReplay';

const t0 = '2027-03-05T15:50:00.000Z';
const clock: IncidentClock = {
  incidentId: 'INC-1',
  status: 'open',
  state: 'pending',
  dueAt: '2027-03-05T16:20:00.000Z',
  warningAt: '2027-03-05T16:14:00.000Z',
};
const start = [h.orchestratorStarted(t0), h.executionStarted(t0, clock)];

describe('incidentSla orchestrator (replayed through the durable-functions executor)', () => {
  it('waits for a change or the 80 % warning timer, whichever comes first', async () => {
    const state = await replay(incidentSlaOrchestrator, clock, start);
    expect(state.isDone).toBe(false);
    const [wait, timer] = leaves(state);
    expect(wait).toMatchObject({ actionType: ActionType.WaitForExternalEvent, externalEventName: SLA_CHANGED });
    expect(timer).toMatchObject({ actionType: ActionType.CreateTimer, fireAt: clock.warningAt, isCanceled: false });
  });

  it('sends the warning when the warning timer fires, then times the due instant', async () => {
    const events = [
      ...start,
      h.timerCreated(0, t0, clock.warningAt),
      h.orchestratorStarted(clock.warningAt),
      h.timerFired(0, clock.warningAt, clock.warningAt),
    ];
    const afterWarning = await replay(incidentSlaOrchestrator, clock, events);
    expect(leaves(afterWarning).at(-1)).toMatchObject({
      actionType: ActionType.CallActivity,
      functionName: SEND_FIRST_RESPONSE_WARNING,
      input: { incidentId: 'INC-1', dueAt: clock.dueAt },
    });

    const afterSend = await replay(incidentSlaOrchestrator, clock, [
      ...events,
      h.taskScheduled(1, clock.warningAt, SEND_FIRST_RESPONSE_WARNING),
      h.orchestratorStarted(clock.warningAt),
      h.taskCompleted(1, clock.warningAt, null),
    ]);
    expect(leaves(afterSend).at(-1)).toMatchObject({ actionType: ActionType.CreateTimer, fireAt: clock.dueAt });
  });

  it('records the breach through an activity when the due timer fires', async () => {
    const warned = { ...clock, warnedForDueAt: clock.dueAt };
    const state = await replay(incidentSlaOrchestrator, warned, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, warned),
      h.timerCreated(0, t0, clock.dueAt),
      h.orchestratorStarted(clock.dueAt),
      h.timerFired(0, clock.dueAt, clock.dueAt),
    ]);
    expect(leaves(state).at(-1)).toMatchObject({
      actionType: ActionType.CallActivity,
      functionName: RECORD_FIRST_RESPONSE_DUE,
      input: { incidentId: 'INC-1', dueAt: clock.dueAt },
    });
  });

  it('cancels the pending timer and re-times when the clock changes (RESP-SEVCHG)', async () => {
    const changed: IncidentClock = {
      ...clock,
      dueAt: '2027-03-05T16:05:00.000Z',
      warningAt: '2027-03-05T16:02:00.000Z',
    };
    const at = '2027-03-05T15:55:00.000Z';
    const state = await replay(incidentSlaOrchestrator, clock, [
      ...start,
      h.timerCreated(0, t0, clock.warningAt),
      h.orchestratorStarted(at),
      h.eventRaised(SLA_CHANGED, at, changed),
    ]);
    const all = leaves(state);
    expect(all[1]).toMatchObject({ actionType: ActionType.CreateTimer, fireAt: clock.warningAt, isCanceled: true });
    expect(all.at(-1)).toMatchObject({
      actionType: ActionType.CreateTimer,
      fireAt: changed.warningAt,
      isCanceled: false,
    });
  });

  it('RESP-LATE: announces the correction when a late event takes a recorded breach back, then times the new due time', async () => {
    const breached: IncidentClock = { ...clock, state: 'breached' };
    const at = '2027-03-05T16:40:00.000Z';
    const met: IncidentClock = { ...clock, state: 'met' };
    const corrected = await replay(incidentSlaOrchestrator, breached, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, breached),
      h.orchestratorStarted(at),
      h.eventRaised(SLA_CHANGED, at, met),
    ]);
    expect(leaves(corrected).at(-1)).toMatchObject({
      actionType: ActionType.CallActivity,
      functionName: SEND_BREACH_CORRECTION,
      input: { incidentId: 'INC-1', dueAt: clock.dueAt },
    });
    // A due time moved later than now (a lowered severity that occurred in time) is a correction too, and is timed.
    const later: IncidentClock = { ...clock, dueAt: '2027-03-05T18:00:00.000Z', warningAt: '2027-03-05T17:30:00.000Z' };
    const moved = await replay(incidentSlaOrchestrator, breached, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, breached),
      h.orchestratorStarted(at),
      h.eventRaised(SLA_CHANGED, at, later),
      h.taskScheduled(0, at, SEND_BREACH_CORRECTION),
      h.orchestratorStarted(at),
      h.taskCompleted(0, at, null),
    ]);
    expect(leaves(moved).at(-1)).toMatchObject({ actionType: ActionType.CreateTimer, fireAt: later.warningAt });
    // Still breached (another event that changed nothing): no correction.
    const still = await replay(incidentSlaOrchestrator, breached, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, breached),
      h.orchestratorStarted(at),
      h.eventRaised(SLA_CHANGED, at, breached),
    ]);
    expect(leaves(still).filter((a) => a.actionType === ActionType.CallActivity)).toEqual([]);
  });

  it('stops timing once the target is met and ends when the incident closes', async () => {
    const at = '2027-03-05T15:55:00.000Z';
    const met: IncidentClock = { ...clock, state: 'met' };
    const waiting = await replay(incidentSlaOrchestrator, clock, [
      ...start,
      h.timerCreated(0, t0, clock.warningAt),
      h.orchestratorStarted(at),
      h.eventRaised(SLA_CHANGED, at, met),
    ]);
    expect(leaves(waiting).filter((a) => a.actionType === ActionType.CreateTimer && !a.isCanceled)).toHaveLength(0);
    const closed: IncidentClock = { ...met, status: 'closed' };
    const done = await replay(incidentSlaOrchestrator, clock, [
      ...start,
      h.timerCreated(0, t0, clock.warningAt),
      h.orchestratorStarted(at),
      h.eventRaised(SLA_CHANGED, at, met),
      h.orchestratorStarted(at),
      h.eventRaised(SLA_CHANGED, at, closed),
    ]);
    expect(done.isDone).toBe(true);
    expect(done.output).toMatchObject({ status: 'closed', state: 'met' });
  });

  it('continues as new after a bounded number of events, carrying the clock', async () => {
    const events: unknown[] = [...start];
    let timerId = 0;
    for (let i = 0; i < 25; i++) {
      const at = new Date(Date.parse(t0) + (i + 1) * 1000).toISOString();
      events.push(
        h.timerCreated(timerId++, at, clock.warningAt),
        h.orchestratorStarted(at),
        h.eventRaised(SLA_CHANGED, at, clock),
      );
    }
    const state = await replay(incidentSlaOrchestrator, clock, events);
    expect(state.isDone).toBe(true);
    expect(leaves(state).at(-1)).toMatchObject({
      actionType: ActionType.ContinueAsNew,
      input: expect.objectContaining({ incidentId: 'INC-1', state: 'pending' }),
    });
  });
});
