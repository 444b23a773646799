import {
  ActionType,
  EventType,
  completedId,
  decodeActivityInput,
  event,
  leafActions,
  leafSignature,
  retryDelayMs,
  type Action,
  type HistoryEvent,
  type OrchestratorState,
} from './history';
import {
  inboxKey,
  timerKey,
  workKey,
  type InboxItem,
  type InstanceRecord,
  type OutboxItem,
  type RetryState,
  type TimerItem,
  type WorkItem,
} from './instanceStore';
import { deliverItem, isEntityId, releaseEvent, requestEvent, schedulerId, type EntityRequest } from './entityProtocol';
import { startChildItem } from './outbox';

/** What one episode starts from: the instance as stored, its history, the event to deliver and the host clock. */
export interface EpisodeInput {
  record: InstanceRecord;
  history: HistoryEvent[];
  item: InboxItem;
  clockMs: number;
}

/**
 * What one episode commits. `continued`: new history rows, the consumed inbox item and new work, timers and child
 * starts, with the instance row; `ended`: the last history rows and the final status (nothing new is started);
 * `continuedAsNew`: a fresh execution whose ExecutionStarted goes to the inbox.
 */
export interface EpisodeCommit {
  outcome: 'continued' | 'ended' | 'continuedAsNew';
  record: InstanceRecord;
  rows: HistoryEvent[];
  /** The row whose deletion consumes the delivered item. */
  consumed: string;
  activities: WorkItem[];
  timers: TimerItem[];
  children: OutboxItem[];
  /** Messages to other instances (entity requests, lock releases); sent even by the episode that ends. */
  messages: OutboxItem[];
  /** Timer rows of timers the orchestrator has cancelled (deleted if still armed). */
  canceledTimers: string[];
  /** The new execution's first event (continuedAsNew). */
  started?: InboxItem;
  /** Why the execution failed, for the log. */
  failure?: string;
}

/** An episode's time: the host clock, never earlier than the previous episode's (B §5.2). */
export function episodeTime(history: HistoryEvent[], clockMs: number): number {
  const lastStart = history.findLast((e) => e.EventType === EventType.OrchestratorStarted);
  return Math.max(clockMs, lastStart ? Date.parse(lastStart.Timestamp) : 0);
}

/** The orchestrationTrigger input (B §2.1): full history marked played, then this episode's start and event. */
export function orchestratorTrigger(input: EpisodeInput): Record<string, unknown> {
  const { record, history } = input;
  const [started, delivered] = episodeHead(input);
  return {
    // Copies (the trigger is serialised to JSON for the invocation, so nothing stored is shared with the app).
    history: [...history.map((e) => ({ ...e, IsPlayed: true })), started, delivered],
    input: record.input,
    instanceId: record.instanceId,
    isReplaying: history.length > 0,
    parentInstanceId: record.parent?.instanceId ?? null,
    // V4 (3) is what context.df.lock() needs; it changes nothing else in durable-functions 3.5.0 (B §2.3).
    upperSchemaVersion: 2,
    upperSchemaVersionNew: 3,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '36500.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}

function episodeHead({ history, item, clockMs }: EpisodeInput): [HistoryEvent, HistoryEvent] {
  const now = new Date(episodeTime(history, clockMs)).toISOString();
  return [event(EventType.OrchestratorStarted, now), { ...item.event, IsPlayed: false }];
}

/** A completion for another execution, or a second completion of the same task, is dropped (at-least-once). */
export function isStale(record: InstanceRecord, history: HistoryEvent[], item: InboxItem): boolean {
  if (item.executionId && item.executionId !== record.executionId) return true;
  if (item.event.EventType === EventType.ExecutionStarted)
    return history.some((e) => e.EventType === EventType.ExecutionStarted);
  const id = completedId(item.event);
  return id !== undefined && history.some((e) => completedId(e) === id);
}

/** The row whose deletion consumes an inbox item: its own, or the work or timer row behind an unstored completion. */
export function consumedKey(item: InboxItem): string {
  return item.backedBy ?? item.rowKey;
}

/**
 * The pure episode step: given what the orchestrator returned (undefined when it is not registered), decide the
 * history rows, the new record and the effects (B §4, §5). `newExecutionId` names a continueAsNew execution.
 */
export function stepEpisode(
  input: EpisodeInput,
  state: OrchestratorState | undefined,
  newId: () => string,
): EpisodeCommit {
  const { record, item } = input;
  const nowMs = episodeTime(input.history, input.clockMs);
  const now = new Date(nowMs).toISOString();
  const [started, delivered] = episodeHead(input);
  const next: InstanceRecord = {
    ...record,
    status: record.status === 'Pending' ? 'Running' : record.status,
    lastUpdatedTime: now,
  };
  const commit: EpisodeCommit = {
    outcome: 'continued',
    record: next,
    rows: [started, delivered],
    consumed: consumedKey(item),
    activities: [],
    timers: [],
    children: [],
    messages: [],
    canceledTimers: [],
  };
  if (!state) return failed(commit, `The orchestrator function '${record.name}' is not registered in this app.`);

  // Ids implied by the event itself come first (B §5.1 item 5): retry timers and retried tasks.
  allocateRetryIds(commit, delivered, nowMs);

  if (state.customStatus !== undefined) next.customStatus = state.customStatus;
  if (state.error !== undefined) return failed(commit, state.error);

  const leaves = leafActions(state);
  // Non-determinism: the replayed prefix must schedule what history recorded (B §11 item 16).
  for (let i = 0; i < Math.min(next.leafCursor, leaves.length); i++) {
    const signature = leafSignature(leaves[i] as Action);
    if (signature !== next.leafSignatures[i]) {
      return failed(
        commit,
        `Non-deterministic workflow detected: the orchestrator scheduled '${signature}' where history recorded '${next.leafSignatures[i]}' (action ${i}).`,
      );
    }
  }
  commit.canceledTimers = canceledTimers(next, leaves);
  let continueAsNew: Action | undefined;
  for (let i = next.leafCursor; i < leaves.length; i++) {
    const action = leaves[i] as Action;
    const eventId = schedule(commit, action, now, newId);
    if (typeof eventId === 'string') return failed(commit, eventId);
    if (action.actionType === ActionType.ContinueAsNew) continueAsNew = action;
    next.leafSignatures = [...next.leafSignatures, leafSignature(action)];
    next.leafEventIds = [...next.leafEventIds, eventId];
  }
  next.leafCursor = Math.max(next.leafCursor, leaves.length);
  commit.rows.push(event(EventType.OrchestratorCompleted, now));

  if (state.isDone && continueAsNew) {
    releaseLocks(commit, now);
    return continuedAsNew(commit, decodeActivityInput(continueAsNew.input), newId());
  }
  if (state.isDone) {
    releaseLocks(commit, now);
    commit.record = { ...next, status: 'Completed', output: state.output ?? null };
    commit.rows.push(
      event(EventType.ExecutionCompleted, now, {
        OrchestrationStatus: 1,
        Result: JSON.stringify(state.output ?? null),
      }),
    );
    return { ...commit, outcome: 'ended', activities: [], timers: [], children: [] };
  }
  return commit;
}

/**
 * The execution fails: its last rows and the Failed status; nothing it scheduled in this episode is started, and the
 * critical section it held (if any) is released.
 */
function failed(commit: EpisodeCommit, error: string): EpisodeCommit {
  const now = commit.record.lastUpdatedTime;
  commit.messages = [];
  releaseLocks(commit, now);
  const { record } = commit;
  const output = `Orchestrator function '${record.name}' failed: ${error}`;
  return {
    ...commit,
    outcome: 'ended',
    record: { ...record, status: 'Failed', output },
    rows: [
      ...commit.rows,
      event(EventType.OrchestratorCompleted, now),
      event(EventType.ExecutionCompleted, now, { OrchestrationStatus: 3, Result: JSON.stringify(output) }),
    ],
    activities: [],
    timers: [],
    children: [],
    canceledTimers: [],
    failure: error,
  };
}

/** B §5.5: a new execution with the new input; its ExecutionStarted goes to the inbox, ahead of everything else. */
function continuedAsNew(commit: EpisodeCommit, input: unknown, executionId: string): EpisodeCommit {
  const { record } = commit;
  const now = record.lastUpdatedTime;
  const started = event(EventType.ExecutionStarted, now, {
    Name: record.name,
    Version: '',
    Input: JSON.stringify(input ?? null),
    OrchestrationInstance: { InstanceId: record.instanceId, ExecutionId: executionId },
  });
  // The messages of the last episode (signals, releases) still go out; they are keyed by the old execution.
  return {
    ...commit,
    outcome: 'continuedAsNew',
    record: {
      ...record,
      status: 'Running',
      input: input ?? null,
      executionId,
      leafCursor: 0,
      leafSignatures: [],
      leafEventIds: [],
      nextEventId: 0,
      retries: {},
      retryTimers: {},
    },
    rows: [],
    activities: [],
    timers: [],
    children: [],
    canceledTimers: [],
    started: { rowKey: inboxKey(true), executionId, event: started },
  };
}

/** The record, rows and lock releases of a terminated execution. */
export function terminated(
  record: InstanceRecord,
  reason: string,
  now: string,
): { record: InstanceRecord; rows: HistoryEvent[]; messages: OutboxItem[] } {
  const commit = { record: { ...record }, messages: [] as OutboxItem[] };
  releaseLocks(commit, now);
  return {
    record: { ...commit.record, status: 'Terminated', output: reason, lastUpdatedTime: now },
    rows: [
      event(EventType.ExecutionTerminated, now, { Input: reason }),
      event(EventType.ExecutionCompleted, now, { OrchestrationStatus: 5, Result: JSON.stringify(reason) }),
    ],
    messages: commit.messages,
  };
}

/**
 * An execution that ends holding a critical section releases it, as the extension does; the releases are keyed
 * past every EventId the execution could have used, so they never collide with its other messages.
 */
function releaseLocks(commit: { record: InstanceRecord; messages: OutboxItem[] }, now: string): void {
  const { record } = commit;
  if (!record.locks) return;
  for (const [n, entityId] of record.locks.entities.entries())
    commit.messages.push(
      deliverItem(
        `${record.executionId}:end`,
        n,
        { instanceId: entityId, executionId: null },
        releaseEvent(record.instanceId, record.locks.requestId, now),
      ),
    );
  record.locks = null;
}

/** Gives a new leaf its EventId, history row and side effect (B §4, §12); a string is why it cannot run. */
function schedule(commit: EpisodeCommit, action: Action, now: string, newId: () => string): number | string {
  const record = commit.record;
  switch (action.actionType) {
    case ActionType.CallEntity:
    case ActionType.SignalEntity: {
      const target = String(action.instanceId);
      if (!isEntityId(target)) return `'${target}' is not an entity ID.`;
      const request: EntityRequest = {
        id: newId(),
        op: String(action.operation),
        signal: action.actionType === ActionType.SignalEntity,
        input: action.input === undefined ? null : JSON.stringify(action.input),
        parent: record.instanceId,
        parentExecution: record.executionId,
      };
      return sendToEntity(commit, { target, name: 'op', request, now });
    }
    case ActionType.LockEntities: {
      if (record.locks) return 'A critical section cannot be entered while another is held.';
      const entities = (action.lockSet ?? []).map((e) => schedulerId(e.name, e.key));
      const request: EntityRequest = {
        id: String(action.lockRequestId),
        op: null,
        signal: false,
        input: null,
        parent: record.instanceId,
        parentExecution: record.executionId,
        lockset: entities,
        pos: 0,
      };
      record.locks = { requestId: request.id, entities };
      return sendToEntity(commit, { target: entities[0] ?? '', name: 'op', request, now });
    }
    case ActionType.ReleaseEntities: {
      // The library counts one EventId per locked entity (recordFireAndForgetAction with the lock set's size).
      const locks = record.locks;
      if (!locks) return -1;
      const first = record.nextEventId;
      for (const entityId of locks.entities) {
        const id = record.nextEventId++;
        const release = releaseEvent(record.instanceId, locks.requestId, now);
        commit.rows.push(
          event(EventType.EventSent, now, { InstanceId: entityId, Name: 'release', Input: release['Input'] }, id),
        );
        commit.messages.push(deliverItem(record.executionId, id, { instanceId: entityId, executionId: null }, release));
      }
      record.locks = null;
      return first;
    }
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry: {
      const id = record.nextEventId++;
      const input = decodeActivityInput(action.input);
      const name = String(action.functionName);
      scheduleActivity(commit, { id, name, input, now });
      if (action.actionType === ActionType.CallActivityWithRetry && action.retryOptions) {
        const retry: RetryState = {
          kind: 'activity',
          name,
          input,
          options: action.retryOptions,
          attempt: 1,
          firstAttemptAt: Date.parse(now),
        };
        record.retries = { ...record.retries, [id]: retry };
      }
      return id;
    }
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry: {
      const id = record.nextEventId++;
      const name = String(action.functionName);
      const childId = action.instanceId ?? `${record.instanceId}:${id}`;
      scheduleChild(commit, { id, name, childId, input: action.input, now });
      if (action.actionType === ActionType.CallSubOrchestratorWithRetry && action.retryOptions) {
        const retry: RetryState = {
          kind: 'orchestration',
          name,
          input: action.input,
          instanceId: childId,
          options: action.retryOptions,
          attempt: 1,
          firstAttemptAt: Date.parse(now),
        };
        record.retries = { ...record.retries, [id]: retry };
      }
      return id;
    }
    case ActionType.CreateTimer: {
      const id = record.nextEventId++;
      commit.rows.push(event(EventType.TimerCreated, now, { FireAt: action.fireAt }, id));
      if (!action.isCanceled) addTimer(commit, id, String(action.fireAt));
      return id;
    }
    case ActionType.WaitForExternalEvent:
    case ActionType.ContinueAsNew:
      return -1;
    default:
      return `Action type ${action.actionType} (${leafSignature(action)}) is not supported by the local host (callHttp is not emulated).`;
  }
}

/** EventSent (B §3.1: its Input carries the request ID the library re-keys a call's task by) and the message. */
function sendToEntity(
  commit: EpisodeCommit,
  { target, name, request, now }: { target: string; name: string; request: EntityRequest; now: string },
): number {
  const { record } = commit;
  const id = record.nextEventId++;
  const message = requestEvent(request, now);
  commit.rows.push(event(EventType.EventSent, now, { InstanceId: target, Name: name, Input: message['Input'] }, id));
  commit.messages.push(deliverItem(record.executionId, id, { instanceId: target, executionId: null }, message));
  return id;
}

interface Scheduled {
  id: number;
  name: string;
  input: unknown;
  now: string;
}

function scheduleActivity(commit: EpisodeCommit, { id, name, input, now }: Scheduled): void {
  const { executionId } = commit.record;
  commit.rows.push(
    event(EventType.TaskScheduled, now, { Name: name, Version: '', Input: JSON.stringify(input ?? null) }, id),
  );
  commit.activities.push({ rowKey: workKey(executionId, id), executionId, taskId: id, name, input });
}

function scheduleChild(commit: EpisodeCommit, { id, name, childId, input, now }: Scheduled & { childId: string }) {
  commit.rows.push(
    event(
      EventType.SubOrchestrationInstanceCreated,
      now,
      { Name: name, Version: '', InstanceId: childId, Input: JSON.stringify(input ?? null) },
      id,
    ),
  );
  commit.children.push(startChildItem(commit.record, { taskId: id, name, childId, input }));
}

function addTimer(commit: EpisodeCommit, timerId: number, fireAt: string): void {
  const { executionId } = commit.record;
  commit.timers.push({ rowKey: timerKey(executionId, timerId), executionId, timerId, fireAt });
}

/** B §5.6: a failed retryable task gets a timer (delay 0 after the last attempt); its firing reschedules. */
function allocateRetryIds(commit: EpisodeCommit, delivered: HistoryEvent, nowMs: number): void {
  const record = commit.record;
  const now = new Date(nowMs).toISOString();
  const failed =
    delivered.EventType === EventType.TaskFailed || delivered.EventType === EventType.SubOrchestrationInstanceFailed;
  const failedId = failed ? (delivered['TaskScheduledId'] as number) : undefined;
  const retry = failedId !== undefined ? record.retries[failedId] : undefined;
  if (retry && failedId !== undefined) {
    const timedOut =
      retry.options.retryTimeoutInMilliseconds !== undefined &&
      nowMs - retry.firstAttemptAt >= retry.options.retryTimeoutInMilliseconds;
    const finalFailure = retry.attempt >= retry.options.maxNumberOfAttempts || timedOut;
    const timerId = record.nextEventId++;
    const fireAt = new Date(nowMs + (finalFailure ? 0 : retryDelayMs(retry.options, retry.attempt))).toISOString();
    commit.rows.push(event(EventType.TimerCreated, now, { FireAt: fireAt }, timerId));
    addTimer(commit, timerId, fireAt);
    record.retryTimers = { ...record.retryTimers, [timerId]: { taskId: failedId, finalFailure } };
    return;
  }
  if (delivered.EventType !== EventType.TimerFired) return;
  const timer = record.retryTimers[String(delivered['TimerId'])];
  const pending = timer ? record.retries[timer.taskId] : undefined;
  if (!timer || !pending || timer.finalFailure) return;
  const id = record.nextEventId++;
  const next: RetryState = { ...pending, attempt: pending.attempt + 1 };
  const { [timer.taskId]: _done, ...others } = record.retries;
  record.retries = { ...others, [id]: next };
  if (next.kind === 'activity') scheduleActivity(commit, { id, name: next.name, input: next.input, now });
  else {
    const childId = `${next.instanceId ?? record.instanceId}:${id}`;
    scheduleChild(commit, { id, name: next.name, childId, input: next.input, now });
  }
}

/** Timer rows of timers in the replayed prefix that the orchestrator now reports as cancelled. */
function canceledTimers(record: InstanceRecord, leaves: Action[]): string[] {
  const keys: string[] = [];
  for (let i = 0; i < Math.min(record.leafCursor, leaves.length); i++) {
    const action = leaves[i] as Action;
    const timerId = record.leafEventIds[i];
    if (action.actionType !== ActionType.CreateTimer || !action.isCanceled || timerId === undefined || timerId < 0)
      continue;
    keys.push(timerKey(record.executionId, timerId));
  }
  return keys;
}
