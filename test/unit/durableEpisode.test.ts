import { describe, expect, it } from 'vitest';
import { stepEpisode, type EpisodeInput } from '../../infra/local/durable/episode';
import { ActionType, EventType, event, type OrchestratorState } from '../../infra/local/durable/history';
import type { InstanceRecord } from '../../infra/local/durable/instanceStore';

const T0 = '2027-03-01T08:00:00.000Z';

function record(overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId: 'i-1',
    name: 'approval',
    status: 'Pending',
    suspended: false,
    input: null,
    output: null,
    customStatus: null,
    createdTime: T0,
    lastUpdatedTime: T0,
    executionId: 'e1',
    leafCursor: 0,
    leafSignatures: [],
    leafEventIds: [],
    nextEventId: 0,
    parent: null,
    retries: {},
    retryTimers: {},
    locks: null,
    ...overrides,
  };
}

const started = event(EventType.ExecutionStarted, T0, { Name: 'approval', Input: 'null' });
const input = (over: Partial<EpisodeInput> = {}): EpisodeInput => ({
  record: record(),
  history: [],
  item: { rowKey: 'i:1', executionId: 'e1', event: started },
  clockMs: Date.parse(T0),
  ...over,
});
const newId = () => 'e2';

describe('durable episode step (pure: record + history + orchestrator result -> commit)', () => {
  it('numbers new leaves in yield order and returns their work, timer and child rows without starting anything', () => {
    const state: OrchestratorState = {
      isDone: false,
      actions: [
        [
          {
            actionType: ActionType.WhenAll,
            compoundActions: [
              { actionType: ActionType.CallActivity, functionName: 'greet', input: '"Ada"' },
              { actionType: ActionType.CreateTimer, fireAt: '2027-03-01T09:00:00.000Z', isCanceled: false },
              { actionType: ActionType.CallSubOrchestrator, functionName: 'child', input: 7 },
            ],
          },
        ],
      ],
    };
    const commit = stepEpisode(input(), state, newId);
    expect(commit.outcome).toBe('continued');
    expect(commit.record).toMatchObject({ status: 'Running', nextEventId: 3, leafCursor: 3, leafEventIds: [0, 1, 2] });
    expect(commit.rows.map((e) => [e.EventType, e.EventId])).toEqual([
      [EventType.OrchestratorStarted, -1],
      [EventType.ExecutionStarted, -1],
      [EventType.TaskScheduled, 0],
      [EventType.TimerCreated, 1],
      [EventType.SubOrchestrationInstanceCreated, 2],
      [EventType.OrchestratorCompleted, -1],
    ]);
    expect(commit.activities).toEqual([
      { rowKey: 'w:e1:000000', executionId: 'e1', taskId: 0, name: 'greet', input: 'Ada' },
    ]);
    expect(commit.timers).toEqual([
      { rowKey: 't:e1:000001', executionId: 'e1', timerId: 1, fireAt: '2027-03-01T09:00:00.000Z' },
    ]);
    expect(commit.children[0]).toMatchObject({ kind: 'startChild', payload: { childId: 'i-1:2', input: 7 } });
    expect(commit.consumed).toBe('i:1');
  });

  it('gives a failed retryable activity its retry timer before the orchestrator schedules anything new (B §5.6)', () => {
    const scheduled = event(EventType.TaskScheduled, T0, { Name: 'flaky' }, 0);
    const failed = event(EventType.TaskFailed, T0, { TaskScheduledId: 0, Reason: 'boom' });
    const options = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3 };
    const before = record({
      status: 'Running',
      leafCursor: 1,
      leafSignatures: ['activity:flaky'],
      leafEventIds: [0],
      nextEventId: 1,
      retries: {
        0: { kind: 'activity', name: 'flaky', input: null, options, attempt: 1, firstAttemptAt: Date.parse(T0) },
      },
    });
    const state: OrchestratorState = {
      isDone: false,
      actions: [[{ actionType: ActionType.CallActivityWithRetry, functionName: 'flaky', retryOptions: options }]],
    };
    const commit = stepEpisode(
      input({
        record: before,
        history: [started, scheduled],
        item: { rowKey: 'i:2', executionId: 'e1', event: failed, backedBy: 'w:e1:000000' },
      }),
      state,
      newId,
    );
    expect(commit.consumed).toBe('w:e1:000000');
    expect(commit.timers).toEqual([
      { rowKey: 't:e1:000001', executionId: 'e1', timerId: 1, fireAt: '2027-03-01T08:00:01.000Z' },
    ]);
    expect(commit.record.retryTimers).toEqual({ 1: { taskId: 0, finalFailure: false } });
  });

  it('fails the execution when the replayed prefix schedules something else, and starts nothing', () => {
    const before = record({ status: 'Running', leafCursor: 1, leafSignatures: ['activity:a'], leafEventIds: [0] });
    const state: OrchestratorState = {
      isDone: false,
      actions: [
        [{ actionType: ActionType.CallActivity, functionName: 'b' }],
        [{ actionType: ActionType.CallActivity, functionName: 'c' }],
      ],
    };
    const commit = stepEpisode(input({ record: before, history: [started] }), state, newId);
    expect(commit.outcome).toBe('ended');
    expect(commit.record.status).toBe('Failed');
    expect(String(commit.record.output)).toMatch(/Non-deterministic workflow detected/);
    expect(commit.activities).toEqual([]);
    expect(commit.rows.at(-1)).toMatchObject({ EventType: EventType.ExecutionCompleted, OrchestrationStatus: 3 });
  });

  it('reports a timer the orchestrator cancelled, and continues as new with a fresh execution', () => {
    const before = record({
      status: 'Running',
      leafCursor: 1,
      leafSignatures: ['timer'],
      leafEventIds: [0],
      nextEventId: 1,
    });
    const state: OrchestratorState = {
      isDone: true,
      actions: [
        [{ actionType: ActionType.CreateTimer, fireAt: '2027-03-02T00:00:00.000Z', isCanceled: true }],
        [{ actionType: ActionType.ContinueAsNew, input: 5 }],
      ],
    };
    const raised = event(EventType.EventRaised, T0, { Name: 'Go', Input: 'null' });
    const commit = stepEpisode(
      input({ record: before, history: [started], item: { rowKey: 'i:3', executionId: null, event: raised } }),
      state,
      newId,
    );
    expect(commit.outcome).toBe('continuedAsNew');
    expect(commit.record).toMatchObject({ executionId: 'e2', input: 5, leafCursor: 0, nextEventId: 0 });
    expect(commit.started?.event).toMatchObject({ EventType: EventType.ExecutionStarted, Input: '5' });
    const cancelling = stepEpisode(
      input({ record: before, history: [started], item: { rowKey: 'i:3', executionId: null, event: raised } }),
      { isDone: false, actions: [state.actions[0]!] },
      newId,
    );
    expect(cancelling.canceledTimers).toEqual(['t:e1:000000']);
  });
});
