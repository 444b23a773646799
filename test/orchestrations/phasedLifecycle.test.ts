import { describe, expect, it } from 'vitest';
import { LIFECYCLE_CHANGED, type PhasedLifecycleInput } from '../../orchestrations/phasedLifecycle/names';
import { phasedLifecycleOrchestrator } from '../../orchestrations/phasedLifecycle/orchestrator';
import { ActionType, history as h, leaves, replay } from '../support/orchestrationReplay';

const input: PhasedLifecycleInput = {
  resourceId: 'aem-1',
  workOrderId: 'wo-1',
  cancelActivity: 'cancelAemEvent',
  next: 0,
  steps: [
    { at: '2027-11-06T00:00:00.000Z', activity: 'startAemPhase', phase: 'assessment' },
    { at: '2027-11-19T23:00:00.000Z', activity: 'startAemPhase', phase: 'live' },
    { at: '2027-11-26T23:00:00.000Z', activity: 'summariseAemEvent', phase: 'postEvent' },
  ],
};
const t0 = '2027-09-01T00:00:00.000Z';

describe('phased lifecycle orchestrator (AEM events, cybersecurity engagements)', () => {
  it('AEM-5, AEM-6, AEM-7: runs each phase activity at its instant, in order, then completes', async () => {
    const events: unknown[] = [h.orchestratorStarted(t0), h.executionStarted(t0, input)];
    let id = 0;
    for (const step of input.steps) {
      const waiting = await replay(phasedLifecycleOrchestrator, input, events);
      expect(
        leaves(waiting)
          .filter((a) => a.actionType === ActionType.CreateTimer)
          .at(-1),
      ).toMatchObject({ fireAt: step.at });
      const timerId = id++;
      events.push(
        h.timerCreated(timerId, step.at, step.at),
        h.orchestratorStarted(step.at),
        h.timerFired(timerId, step.at, step.at),
      );
      const running = await replay(phasedLifecycleOrchestrator, input, events);
      expect(leaves(running).at(-1)).toMatchObject({
        actionType: ActionType.CallActivity,
        functionName: step.activity,
        input: { resourceId: 'aem-1', phase: step.phase },
      });
      events.push(
        h.taskScheduled(id, step.at, step.activity),
        h.orchestratorStarted(step.at),
        h.taskCompleted(id++, step.at, null),
      );
    }
    const done = await replay(phasedLifecycleOrchestrator, input, events);
    expect(done).toMatchObject({
      isDone: true,
      output: { outcome: 'completed', phase: 'postEvent' },
      customStatus: { phase: 'postEvent' },
    });
  });

  it('AEM-8: a cancellation runs the cancel activity with the steps it releases and ends the lifecycle', async () => {
    const at = '2027-10-01T00:00:00.000Z';
    const state = await replay(phasedLifecycleOrchestrator, input, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, input),
      h.timerCreated(0, t0, input.steps[0]!.at),
      h.orchestratorStarted(at),
      h.eventRaised(LIFECYCLE_CHANGED, at, { kind: 'cancelled', at, reason: 'customer unresponsive' }),
    ]);
    expect(leaves(state).at(-1)).toMatchObject({
      actionType: ActionType.CallActivity,
      functionName: 'cancelAemEvent',
      input: { resourceId: 'aem-1', remaining: input.steps },
    });
  });

  it('CYB-3: a reschedule (an extension) restarts the lifecycle with the new steps', async () => {
    const at = '2027-10-01T00:00:00.000Z';
    const steps = [{ at: '2027-12-01T00:00:00.000Z', activity: 'closeCyberEngagement', phase: 'closed' }];
    const state = await replay(phasedLifecycleOrchestrator, input, [
      h.orchestratorStarted(t0),
      h.executionStarted(t0, input),
      h.timerCreated(0, t0, input.steps[0]!.at),
      h.orchestratorStarted(at),
      h.eventRaised(LIFECYCLE_CHANGED, at, { kind: 'rescheduled', steps }),
    ]);
    expect(state.isDone).toBe(true);
    expect(leaves(state).at(-1)).toMatchObject({ actionType: ActionType.ContinueAsNew, input: { steps, next: 0 } });
  });
});
