import { randomUUID } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import type { RegisteredFunction } from '../functionsCore';
import { fromTypedData, toJsonTypedData } from '../invoke';
import type { HostHttpRequest, HostHttpResponse, HostServices } from '../services';
import { BoundedCache } from './boundedCache';
import { clientPayload } from './clientPayload';
import {
  ActionType,
  EventType,
  OUT_OF_PROC_LABEL,
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
  InstanceStore,
  TERMINAL,
  openRowKeys,
  historyKey,
  inboxKey,
  timerKey,
  workKey,
  type InboxItem,
  type InstanceRecord,
  type RetryState,
} from './instanceStore';
import { handleManagementRequest } from './managementApi';

const CACHED_INSTANCES = 20_000;

export class DurableConflict extends Error {}
export class DurableNotFound extends Error {}
export class DurableGone extends Error {}

interface Episode {
  record: InstanceRecord;
  history: HistoryEvent[];
  item: InboxItem;
}

/**
 * Stands in for the Durable Task extension (durable-protocol Part B): orchestration history in Azurite, every
 * episode replayed in full through the durable-functions library's own executor, activities at least once,
 * durable timers on the host clock, external events buffered, continueAsNew, sub-orchestrations, retries,
 * terminate, suspend/resume, custom status, and the management HTTP API that df.getClient() calls.
 */
export class DurableEngine {
  readonly store: InstanceStore;
  private readonly orchestrators = new Map<string, RegisteredFunction>();
  private readonly activities = new Map<string, RegisteredFunction>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly pumping = new Set<string>();
  private readonly repump = new Set<string>();
  private readonly armedTimers = new Map<string, number>();
  /** Activity and timer completions not yet delivered, held in memory only (see InboxItem.backedBy); never evicted. */
  private readonly completions = new Map<string, Map<string, InboxItem>>();
  /** Pause before the next retry of failed durable work, by work label. */
  private readonly retryPauses = new Map<string, number>();
  // This host is the task hub's only writer, so what it committed last is what storage holds: instance rows,
  // inboxes and histories are kept write-through (bounded), and storage is read only on a miss or after a failure.
  private readonly historyCache = new BoundedCache<string, { executionId: string; events: HistoryEvent[] }>(
    CACHED_INSTANCES,
  );
  private readonly records = new BoundedCache<string, InstanceRecord>(CACHED_INSTANCES);
  private readonly inboxes = new BoundedCache<string, Map<string, InboxItem>>(CACHED_INSTANCES);
  private stopped = false;

  constructor(
    private readonly services: HostServices,
    functions: RegisteredFunction[],
    readonly options: { hubName: string },
  ) {
    for (const fn of functions) {
      const type = fn.trigger.type.toLowerCase();
      if (type === 'orchestrationtrigger') this.orchestrators.set(fn.name, fn);
      if (type === 'activitytrigger') this.activities.set(fn.name, fn);
      if (type === 'entitytrigger')
        services.logger.warn(
          `Entity function '${fn.name}' is registered, but the local host does not support Durable Entities.`,
        );
    }
    this.store = new InstanceStore(services.storage, `DurableHub${options.hubName.replace(/[^A-Za-z0-9]/g, '')}`);
  }

  /** Creates the table and resumes everything a previous run left pending (timers, activities, inboxes, outbox). */
  async start(): Promise<void> {
    await this.store.open();
    const instancesWithInbox = new Set<string>();
    for (const row of await this.store.pendingRows()) {
      const instanceId = String(row['partitionKey']);
      const rowKey = String(row['rowKey']);
      if (rowKey.startsWith('i:')) instancesWithInbox.add(instanceId);
      else if (/^[tw]:/.test(rowKey) && (await this.isFinished(instanceId, String(row['executionId']))))
        await this.store.deleteRow(instanceId, rowKey);
      else if (rowKey.startsWith('t:'))
        this.armTimer(instanceId, String(row['executionId']), Number(row['timerId']), String(row['fireAt']));
      else if (rowKey.startsWith('w:'))
        this.spawnActivity(instanceId, {
          rowKey,
          executionId: String(row['executionId']),
          taskId: Number(row['taskId']),
          name: String(row['name']),
          input: JSON.parse(String(row['input'])) as unknown,
        });
      else if (rowKey.startsWith('o:'))
        this.spawn(`outbox ${instanceId}`, () =>
          this.dispatchOutbox(
            instanceId,
            rowKey,
            JSON.parse(String(row['payload'])) as Record<string, unknown>,
            String(row['kind']),
          ),
        );
    }
    for (const instanceId of instancesWithInbox) this.pump(instanceId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of this.armedTimers.values()) this.services.clock.cancel(id);
  }

  clientPayload(): Record<string, unknown> {
    return clientPayload(this.services.origin(), this.options.hubName);
  }

  handleManagement(req: HostHttpRequest): Promise<HostHttpResponse> {
    return handleManagementRequest(this, req, this.services.origin());
  }

  // ---- client operations -------------------------------------------------------------------------------

  async startNew(
    name: string,
    options: { instanceId?: string; input?: unknown; parent?: InstanceRecord['parent'] } = {},
  ): Promise<string> {
    if (!this.orchestrators.has(name))
      throw new DurableNotFound(
        `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
      );
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    await this.withLock(instanceId, async () => {
      const existing = await this.loadRecord(instanceId);
      if (existing && !TERMINAL.has(existing.status)) {
        if (options.parent && existing.parent?.instanceId === options.parent.instanceId) return; // idempotent child start
        throw new DurableConflict(`An instance with ID '${instanceId}' already exists and is ${existing.status}.`);
      }
      if (existing) {
        this.forget(instanceId);
        this.completions.delete(instanceId);
        await this.store.purge(instanceId); // a terminal instance is overwritten, as the extension does by default
      }
      const now = this.services.clock.now().toISOString();
      const executionId = randomUUID().replace(/-/g, '');
      const record: InstanceRecord = {
        instanceId,
        name,
        status: 'Pending',
        suspended: false,
        input: options.input ?? null,
        output: null,
        customStatus: null,
        createdTime: now,
        lastUpdatedTime: now,
        executionId,
        leafCursor: 0,
        leafSignatures: [],
        leafEventIds: [],
        nextEventId: 0,
        parent: options.parent ?? null,
        retries: {},
        retryTimers: {},
      };
      const started = event(EventType.ExecutionStarted, now, {
        Name: name,
        Version: '',
        Input: JSON.stringify(options.input ?? null),
        OrchestrationInstance: { InstanceId: instanceId, ExecutionId: executionId },
        ParentInstance: options.parent
          ? { OrchestrationInstance: { InstanceId: options.parent.instanceId }, TaskScheduleId: options.parent.taskId }
          : null,
      });
      // A new instance's inbox is known to be empty; events raised once the row exists land in this map too.
      this.inboxes.set(instanceId, new Map());
      const first = { rowKey: inboxKey(true), executionId, event: started };
      await this.commitInstance(record, [
        this.store.inboxRow(instanceId, first, first.rowKey),
        this.store.instanceRow(record, 'create'),
      ]);
      this.remember(instanceId, first);
      this.cacheHistory(record, []);
    });
    this.pump(instanceId);
    return instanceId;
  }

  async raiseEvent(instanceId: string, name: string, data: unknown): Promise<void> {
    const record = await this.loadRecord(instanceId);
    if (!record) throw new DurableNotFound(`No instance with ID '${instanceId}' found.`);
    if (TERMINAL.has(record.status)) throw new DurableGone(`Instance '${instanceId}' is ${record.status}.`);
    const raised = event(EventType.EventRaised, this.services.clock.now().toISOString(), {
      Name: name,
      Input: data === undefined ? null : JSON.stringify(data),
    });
    await this.addToInbox(instanceId, { executionId: null, event: raised });
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    await this.withLock(instanceId, async () => {
      const record = await this.loadRecord(instanceId);
      if (!record) throw new DurableNotFound(`No instance with ID '${instanceId}' found.`);
      if (TERMINAL.has(record.status)) throw new DurableGone(`Instance '${instanceId}' is ${record.status}.`);
      const now = this.services.clock.now().toISOString();
      const history = await this.loadHistory(record);
      const rows = [
        event(EventType.ExecutionTerminated, now, { Input: reason }),
        event(EventType.ExecutionCompleted, now, { OrchestrationStatus: 5, Result: JSON.stringify(reason) }),
      ];
      const next: InstanceRecord = { ...record, status: 'Terminated', output: reason, lastUpdatedTime: now };
      await this.commitTerminal(next, history, rows, []);
    });
  }

  async setSuspended(instanceId: string, suspended: boolean, reason: string): Promise<void> {
    await this.withLock(instanceId, async () => {
      const record = await this.loadRecord(instanceId);
      if (!record) throw new DurableNotFound(`No instance with ID '${instanceId}' found.`);
      if (TERMINAL.has(record.status)) throw new DurableGone(`Instance '${instanceId}' is ${record.status}.`);
      if (record.suspended === suspended) return;
      const now = this.services.clock.now().toISOString();
      const history = await this.loadHistory(record);
      const marker = event(suspended ? EventType.ExecutionSuspended : EventType.ExecutionResumed, now, {
        Reason: reason,
      });
      const next: InstanceRecord = {
        ...record,
        suspended,
        status: suspended ? 'Suspended' : record.leafCursor > 0 || history.length > 0 ? 'Running' : 'Pending',
        lastUpdatedTime: now,
      };
      await this.commitInstance(next, [
        ['create', this.historyEntity(record, history.length, marker)],
        this.store.instanceRow(next, 'update'),
      ]);
      this.cacheHistory(next, [...history, marker]);
    });
    if (!suspended) this.pump(instanceId);
  }

  async purge(instanceId: string): Promise<boolean> {
    return this.withLock(instanceId, async () => {
      this.forget(instanceId);
      this.completions.delete(instanceId);
      return this.store.purge(instanceId);
    });
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return this.loadRecord(instanceId);
  }

  async historyOf(record: InstanceRecord): Promise<HistoryEvent[]> {
    return this.store.history(record.instanceId, record.executionId);
  }

  // ---- episodes ---------------------------------------------------------------------------------------

  /** Delivers pending events to an instance, one per episode, serialised per instance. Counted as host work. */
  pump(instanceId: string): void {
    if (this.stopped) return;
    if (this.pumping.has(instanceId)) {
      this.repump.add(instanceId);
      return;
    }
    this.pumping.add(instanceId);
    this.spawn(
      `orchestration ${instanceId}`,
      async () => {
        try {
          do {
            this.repump.delete(instanceId);
            while (await this.withLock(instanceId, () => this.runOneEpisode(instanceId)));
          } while (this.repump.has(instanceId) && !this.stopped);
        } finally {
          this.pumping.delete(instanceId);
        }
      },
      () => this.pump(instanceId),
    );
  }

  /** Runs one episode if there is an event to deliver; returns whether to look for another. */
  private async runOneEpisode(instanceId: string): Promise<boolean> {
    try {
      const record = await this.loadRecord(instanceId);
      const pending = await this.loadInbox(instanceId);
      const inbox = [...pending.values()].sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1));
      if (!record) this.completions.delete(instanceId); // purged: nothing left to complete
      if (!record || inbox.length === 0) return false;
      if (TERMINAL.has(record.status)) {
        for (const item of inbox) {
          await this.store.deleteRow(instanceId, consumedKey(item)); // late events for a finished instance
          this.consumed(instanceId, pending, item);
        }
        return false;
      }
      if (record.suspended) return false;
      const history = await this.loadHistory(record);
      const item = inbox[0] as InboxItem;
      if (this.isStale(record, history, item)) await this.store.deleteRow(instanceId, consumedKey(item));
      else await this.runEpisode({ record, history, item });
      this.consumed(instanceId, pending, item);
      return true;
    } catch (error) {
      this.forget(instanceId); // storage is the truth again
      throw error;
    }
  }

  /** A completion for another execution, or a second completion of the same task, is dropped (at-least-once). */
  private isStale(record: InstanceRecord, history: HistoryEvent[], item: InboxItem): boolean {
    if (item.executionId && item.executionId !== record.executionId) return true;
    if (item.event.EventType === EventType.ExecutionStarted)
      return history.some((e) => e.EventType === EventType.ExecutionStarted);
    const id = completedId(item.event);
    return id !== undefined && history.some((e) => completedId(e) === id);
  }

  private async runEpisode({ record, history, item }: Episode): Promise<void> {
    const fn = this.orchestrators.get(record.name);
    const lastStart = [...history].reverse().find((e) => e.EventType === EventType.OrchestratorStarted);
    const nowMs = Math.max(this.services.clock.nowMs(), lastStart ? Date.parse(lastStart.Timestamp) : 0);
    const now = new Date(nowMs).toISOString();
    const started = event(EventType.OrchestratorStarted, now);
    const delivered = { ...item.event, IsPlayed: false };
    const newRows: HistoryEvent[] = [started, delivered];
    let next: InstanceRecord = {
      ...record,
      status: record.status === 'Pending' ? 'Running' : record.status,
      lastUpdatedTime: now,
    };
    const work: Array<() => void> = [];
    const extra: TransactionAction[] = [];

    if (!fn)
      return this.fail(
        next,
        history,
        newRows,
        item,
        `The orchestrator function '${record.name}' is not registered in this app.`,
      );

    // Ids implied by the event itself come first (B §5.1 item 5): retry timers and retried tasks.
    this.allocateRetryIds(next, delivered, nowMs, newRows, extra, work);

    const trigger = {
      history: [...history.map((e) => ({ ...e, IsPlayed: true })), ...newRows.slice(0, 2)].map((e) =>
        structuredClone(e),
      ),
      input: record.input,
      instanceId: record.instanceId,
      isReplaying: history.length > 0,
      parentInstanceId: record.parent?.instanceId ?? null,
      upperSchemaVersion: 2,
      upperSchemaVersionNew: 2,
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '36500.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    const outcome = await this.services.invoker.invoke(fn, {
      inputData: [{ name: fn.triggerKey, data: toJsonTypedData(trigger) }],
    });
    let state: OrchestratorState;
    if (outcome.ok) {
      state = fromTypedData(outcome.response.returnValue) as OrchestratorState;
    } else {
      const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      const at = message.indexOf(OUT_OF_PROC_LABEL);
      state =
        at >= 0
          ? (JSON.parse(message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorState)
          : { isDone: false, actions: [], error: message };
    }
    if (state.customStatus !== undefined) next.customStatus = state.customStatus;
    if (state.error !== undefined) return this.fail(next, history, newRows, item, state.error);

    const leaves = leafActions(state);
    // Non-determinism: the replayed prefix must schedule what history recorded (B §11 item 16).
    for (let i = 0; i < Math.min(next.leafCursor, leaves.length); i++) {
      const signature = leafSignature(leaves[i] as Action);
      if (signature !== next.leafSignatures[i]) {
        return this.fail(
          next,
          history,
          newRows,
          item,
          `Non-deterministic workflow detected: the orchestrator scheduled '${signature}' where history recorded '${next.leafSignatures[i]}' (action ${i}).`,
        );
      }
    }
    this.cancelTimers(next, leaves, extra);
    let continueAsNew: Action | undefined;
    for (let i = next.leafCursor; i < leaves.length; i++) {
      const action = leaves[i] as Action;
      const eventId = this.schedule(next, action, now, newRows, extra, work);
      if (eventId === 'unsupported')
        return this.fail(
          next,
          history,
          newRows,
          item,
          `Action type ${action.actionType} (${leafSignature(action)}) is not supported by the local host (Durable Entities and callHttp are not emulated).`,
        );
      if (action.actionType === ActionType.ContinueAsNew) continueAsNew = action;
      next.leafSignatures = [...next.leafSignatures, leafSignature(action)];
      next.leafEventIds = [...next.leafEventIds, eventId];
    }
    next.leafCursor = Math.max(next.leafCursor, leaves.length);
    newRows.push(event(EventType.OrchestratorCompleted, now));

    if (state.isDone && continueAsNew)
      return this.continueAsNew(next, history, newRows, item, decodeActivityInput(continueAsNew.input), now);
    if (state.isDone) {
      next = { ...next, status: 'Completed', output: state.output ?? null };
      newRows.push(
        event(EventType.ExecutionCompleted, now, {
          OrchestrationStatus: 1,
          Result: JSON.stringify(state.output ?? null),
        }),
      );
      return this.commitTerminal(
        next,
        history,
        newRows,
        [['delete', { partitionKey: next.instanceId, rowKey: consumedKey(item) }], ...extra],
        work,
      );
    }
    const actions: TransactionAction[] = [
      ...newRows.map((e, n): TransactionAction => ['create', this.historyEntity(next, history.length + n, e)]),
      ['delete', { partitionKey: next.instanceId, rowKey: consumedKey(item) }],
      ...extra,
      this.store.instanceRow(next, 'update'),
    ];
    await this.commitInstance(next, actions);
    this.cacheHistory(next, [...history, ...newRows]);
    for (const run of work) run();
  }

  /** Gives a new leaf its EventId, history row and side effect (B §4, §12). */
  private schedule(
    record: InstanceRecord,
    action: Action,
    now: string,
    rows: HistoryEvent[],
    extra: TransactionAction[],
    work: Array<() => void>,
  ): number | 'unsupported' {
    const pk = record.instanceId;
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const id = record.nextEventId++;
        const input = decodeActivityInput(action.input);
        rows.push(
          event(
            EventType.TaskScheduled,
            now,
            { Name: action.functionName, Version: '', Input: JSON.stringify(input ?? null) },
            id,
          ),
        );
        extra.push(this.workRow(pk, record.executionId, id, String(action.functionName), input));
        if (action.actionType === ActionType.CallActivityWithRetry && action.retryOptions) {
          record.retries = {
            ...record.retries,
            [id]: {
              kind: 'activity',
              name: String(action.functionName),
              input,
              options: action.retryOptions,
              attempt: 1,
              firstAttemptAt: Date.parse(now),
            },
          };
        }
        const item = {
          rowKey: workKey(record.executionId, id),
          executionId: record.executionId,
          taskId: id,
          name: String(action.functionName),
          input,
        };
        work.push(() => this.spawnActivity(pk, item));
        return id;
      }
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const id = record.nextEventId++;
        const childId = action.instanceId ?? `${record.instanceId}:${id}`;
        rows.push(
          event(
            EventType.SubOrchestrationInstanceCreated,
            now,
            {
              Name: action.functionName,
              Version: '',
              InstanceId: childId,
              Input: JSON.stringify(action.input ?? null),
            },
            id,
          ),
        );
        if (action.actionType === ActionType.CallSubOrchestratorWithRetry && action.retryOptions) {
          record.retries = {
            ...record.retries,
            [id]: {
              kind: 'orchestration',
              name: String(action.functionName),
              input: action.input,
              instanceId: childId,
              options: action.retryOptions,
              attempt: 1,
              firstAttemptAt: Date.parse(now),
            },
          };
        }
        this.outboxStartChild(record, id, String(action.functionName), childId, action.input, extra, work);
        return id;
      }
      case ActionType.CreateTimer: {
        const id = record.nextEventId++;
        rows.push(event(EventType.TimerCreated, now, { FireAt: action.fireAt }, id));
        if (!action.isCanceled) this.addTimer(record, id, String(action.fireAt), extra, work);
        return id;
      }
      case ActionType.WaitForExternalEvent:
      case ActionType.ContinueAsNew:
        return -1;
      default:
        return 'unsupported';
    }
  }

  /** B §5.6: a failed retryable task gets a timer (delay 0 after the last attempt); its firing reschedules. */
  private allocateRetryIds(
    record: InstanceRecord,
    delivered: HistoryEvent,
    nowMs: number,
    rows: HistoryEvent[],
    extra: TransactionAction[],
    work: Array<() => void>,
  ): void {
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
      rows.push(event(EventType.TimerCreated, now, { FireAt: fireAt }, timerId));
      this.addTimer(record, timerId, fireAt, extra, work);
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
    if (next.kind === 'activity') {
      rows.push(
        event(
          EventType.TaskScheduled,
          now,
          { Name: next.name, Version: '', Input: JSON.stringify(next.input ?? null) },
          id,
        ),
      );
      extra.push(this.workRow(record.instanceId, record.executionId, id, next.name, next.input));
      const item = {
        rowKey: workKey(record.executionId, id),
        executionId: record.executionId,
        taskId: id,
        name: next.name,
        input: next.input,
      };
      work.push(() => this.spawnActivity(record.instanceId, item));
    } else {
      const childId = `${next.instanceId ?? record.instanceId}:${id}`;
      rows.push(
        event(
          EventType.SubOrchestrationInstanceCreated,
          now,
          { Name: next.name, Version: '', InstanceId: childId, Input: JSON.stringify(next.input ?? null) },
          id,
        ),
      );
      this.outboxStartChild(record, id, next.name, childId, next.input, extra, work);
    }
  }

  private cancelTimers(record: InstanceRecord, leaves: Action[], extra: TransactionAction[]): void {
    for (let i = 0; i < Math.min(record.leafCursor, leaves.length); i++) {
      const action = leaves[i] as Action;
      const timerId = record.leafEventIds[i];
      if (action.actionType !== ActionType.CreateTimer || !action.isCanceled || timerId === undefined || timerId < 0)
        continue;
      const key = timerKey(record.executionId, timerId);
      const armed = this.armedTimers.get(`${record.instanceId}|${key}`);
      if (armed === undefined) continue;
      this.services.clock.cancel(armed);
      this.armedTimers.delete(`${record.instanceId}|${key}`);
      extra.push(['delete', { partitionKey: record.instanceId, rowKey: key }]);
    }
  }

  private async continueAsNew(
    record: InstanceRecord,
    history: HistoryEvent[],
    rows: HistoryEvent[],
    item: InboxItem,
    input: unknown,
    now: string,
  ): Promise<void> {
    const executionId = randomUUID().replace(/-/g, '');
    const next: InstanceRecord = {
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
      lastUpdatedTime: now,
    };
    const started = event(EventType.ExecutionStarted, now, {
      Name: record.name,
      Version: '',
      Input: JSON.stringify(input ?? null),
      OrchestrationInstance: { InstanceId: record.instanceId, ExecutionId: executionId },
    });
    // Old history, work and timers go; raised events still in the inbox carry over (as the extension does).
    const stale = [
      ...(await this.store.rows(record.instanceId, 'h')),
      ...(await this.store.rows(record.instanceId, 'w')),
      ...(await this.store.rows(record.instanceId, 't')),
    ];
    this.disarmTimers(record.instanceId);
    const first = { rowKey: inboxKey(true), executionId, event: started };
    const actions: TransactionAction[] = [
      ...stale.map((row): TransactionAction => [
        'delete',
        { partitionKey: record.instanceId, rowKey: String(row['rowKey']) },
      ]),
      ...(stale.some((row) => row['rowKey'] === consumedKey(item))
        ? []
        : [['delete', { partitionKey: record.instanceId, rowKey: consumedKey(item) }] as TransactionAction]),
      this.store.inboxRow(record.instanceId, first, first.rowKey),
      this.store.instanceRow(next, 'update'),
    ];
    void history;
    void rows;
    await this.commitInstance(next, actions);
    this.remember(record.instanceId, first);
    this.cacheHistory(next, []);
  }

  private async fail(
    record: InstanceRecord,
    history: HistoryEvent[],
    rows: HistoryEvent[],
    item: InboxItem,
    error: string,
  ): Promise<void> {
    const now = record.lastUpdatedTime;
    const output = `Orchestrator function '${record.name}' failed: ${error}`;
    this.services.logger.warn(`Orchestration '${record.instanceId}' failed: ${error}`);
    rows.push(
      event(EventType.OrchestratorCompleted, now),
      event(EventType.ExecutionCompleted, now, { OrchestrationStatus: 3, Result: JSON.stringify(output) }),
    );
    await this.commitTerminal({ ...record, status: 'Failed', output }, history, rows, [
      ['delete', { partitionKey: record.instanceId, rowKey: consumedKey(item) }],
    ]);
  }

  /**
   * Completes, fails or terminates: history rows and the status commit together, the parent is told, and then the
   * execution's open work and timer rows are deleted one by one. Those are known from history (a task or timer
   * without its completion), so no query scans the hub; a row already gone (its completion is in the inbox) is a
   * no-op, and rows left by a crash in between are dropped at start-up.
   */
  private async commitTerminal(
    record: InstanceRecord,
    history: HistoryEvent[],
    rows: HistoryEvent[],
    extra: TransactionAction[],
    work: Array<() => void> = [],
  ): Promise<void> {
    this.disarmTimers(record.instanceId);
    const deleted = extra.filter((a) => a[0] === 'delete');
    const deletedKeys = new Set(deleted.map((a) => (a[1] as { rowKey: string }).rowKey));
    const actions: TransactionAction[] = [
      ...rows.map((e, n): TransactionAction => ['create', this.historyEntity(record, history.length + n, e)]),
      ...deleted,
    ];
    const parentNote = record.parent ? this.notifyParentRow(record) : undefined;
    if (parentNote) actions.push(parentNote.action);
    actions.push(this.store.instanceRow(record, 'update'));
    await this.commitInstance(record, actions);
    this.cacheHistory(record, [...history, ...rows]);
    void work; // work of a finished execution is not started
    if (parentNote)
      this.spawn(`notify parent of ${record.instanceId}`, () =>
        this.dispatchOutbox(record.instanceId, parentNote.rowKey, parentNote.payload, 'notifyParent'),
      );
    const open = openRowKeys(record.executionId, [...history, ...rows]).filter((key) => !deletedKeys.has(key));
    if (open.length > 0)
      this.spawn(`clean up ${record.instanceId}`, () =>
        Promise.all(open.map((key) => this.store.deleteRow(record.instanceId, key))),
      );
  }

  /** A work or timer row left by a crash after its execution ended (or was replaced by continueAsNew). */
  private async isFinished(instanceId: string, executionId: string): Promise<boolean> {
    const record = await this.loadRecord(instanceId);
    return !record || record.executionId !== executionId || TERMINAL.has(record.status);
  }

  // ---- activities, timers, outbox -----------------------------------------------------------------------

  private workRow(pk: string, executionId: string, taskId: number, name: string, input: unknown): TransactionAction {
    return [
      'create',
      {
        partitionKey: pk,
        rowKey: workKey(executionId, taskId),
        executionId,
        taskId,
        name,
        input: JSON.stringify(input ?? null),
      },
    ];
  }

  private spawnActivity(
    instanceId: string,
    item: { rowKey: string; executionId: string; taskId: number; name: string; input: unknown },
  ): void {
    this.spawn(`activity ${item.name} for ${instanceId} (${item.rowKey})`, async () => {
      const fn = this.activities.get(item.name);
      const now = () => this.services.clock.now().toISOString();
      let completion: HistoryEvent;
      if (!fn) {
        completion = event(EventType.TaskFailed, now(), {
          TaskScheduledId: item.taskId,
          Reason: `Activity function '${item.name}' failed: The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`,
          Details: '',
        });
      } else {
        const outcome = await this.services.invoker.invoke(fn, {
          inputData: [{ name: fn.triggerKey, data: toJsonTypedData(item.input) }],
        });
        if (outcome.ok) {
          await this.services.dispatchOutputs(fn, outcome.response);
          completion = event(EventType.TaskCompleted, now(), {
            TaskScheduledId: item.taskId,
            Result: JSON.stringify(fromTypedData(outcome.response.returnValue) ?? null),
          });
        } else {
          const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
          completion = event(EventType.TaskFailed, now(), {
            TaskScheduledId: item.taskId,
            Reason: `Activity function '${item.name}' failed: ${error.message}`,
            Details: JSON.stringify({ stack: error.stack ?? '' }),
          });
        }
      }
      this.completeWork(instanceId, item.rowKey, item.executionId, completion);
    });
  }

  /**
   * Queues an activity's or timer's completion for the next episode without writing it: its work or timer row stays
   * until that episode's commit deletes it, so a crash before then re-runs the activity or re-arms the timer (at
   * least once), and a completion costs no storage write of its own.
   */
  private completeWork(instanceId: string, rowKey: string, executionId: string, completion: HistoryEvent): void {
    const item: InboxItem = { rowKey: inboxKey(), executionId, event: completion, backedBy: rowKey };
    let held = this.completions.get(instanceId);
    if (!held) this.completions.set(instanceId, (held = new Map()));
    held.set(item.rowKey, item);
    this.remember(instanceId, item);
    this.pump(instanceId);
  }

  private consumed(instanceId: string, pending: Map<string, InboxItem>, item: InboxItem): void {
    pending.delete(item.rowKey);
    const held = this.completions.get(instanceId);
    if (held?.delete(item.rowKey) && held.size === 0) this.completions.delete(instanceId);
  }

  private addTimer(
    record: InstanceRecord,
    timerId: number,
    fireAt: string,
    extra: TransactionAction[],
    work: Array<() => void>,
  ): void {
    extra.push([
      'create',
      {
        partitionKey: record.instanceId,
        rowKey: timerKey(record.executionId, timerId),
        executionId: record.executionId,
        timerId,
        fireAt,
      },
    ]);
    const { instanceId, executionId } = record;
    work.push(() => this.armTimer(instanceId, executionId, timerId, fireAt));
  }

  private armTimer(instanceId: string, executionId: string, timerId: number, fireAt: string): void {
    const key = timerKey(executionId, timerId);
    const id = this.services.clock.schedule(Date.parse(fireAt), `durable timer ${instanceId} #${timerId}`, () => {
      this.armedTimers.delete(`${instanceId}|${key}`);
      const fired = event(EventType.TimerFired, this.services.clock.now().toISOString(), {
        TimerId: timerId,
        FireAt: fireAt,
      });
      this.completeWork(instanceId, key, executionId, fired);
    });
    this.armedTimers.set(`${instanceId}|${key}`, id);
  }

  private disarmTimers(instanceId: string): void {
    for (const [key, id] of this.armedTimers) {
      if (!key.startsWith(`${instanceId}|`)) continue;
      this.services.clock.cancel(id);
      this.armedTimers.delete(key);
    }
  }

  private outboxStartChild(
    record: InstanceRecord,
    taskId: number,
    name: string,
    childId: string,
    input: unknown,
    extra: TransactionAction[],
    work: Array<() => void>,
  ): void {
    const rowKey = `o:start:${record.executionId}:${taskId}`;
    const payload = {
      name,
      childId,
      input: input ?? null,
      parent: { instanceId: record.instanceId, taskId, executionId: record.executionId },
    };
    extra.push([
      'create',
      { partitionKey: record.instanceId, rowKey, kind: 'startChild', payload: JSON.stringify(payload) },
    ]);
    work.push(() =>
      this.spawn(`start ${childId}`, () => this.dispatchOutbox(record.instanceId, rowKey, payload, 'startChild')),
    );
  }

  private notifyParentRow(record: InstanceRecord): {
    action: TransactionAction;
    rowKey: string;
    payload: Record<string, unknown>;
  } {
    const parent = record.parent!;
    const now = this.services.clock.now().toISOString();
    const completion =
      record.status === 'Completed'
        ? event(EventType.SubOrchestrationInstanceCompleted, now, {
            TaskScheduledId: parent.taskId,
            Result: JSON.stringify(record.output ?? null),
          })
        : event(EventType.SubOrchestrationInstanceFailed, now, {
            TaskScheduledId: parent.taskId,
            Reason: String(record.output),
            Details: String(record.output),
          });
    const rowKey = `o:notify:${record.executionId}`;
    const payload = { parent, completion };
    return {
      action: [
        'create',
        { partitionKey: record.instanceId, rowKey, kind: 'notifyParent', payload: JSON.stringify(payload) },
      ],
      rowKey,
      payload,
    };
  }

  /** Carries a cross-instance effect to its target (idempotently), then removes the outbox row. */
  private async dispatchOutbox(
    instanceId: string,
    rowKey: string,
    payload: Record<string, unknown>,
    kind: string,
  ): Promise<void> {
    if (kind === 'startChild') {
      const p = payload as { name: string; childId: string; input: unknown; parent: InstanceRecord['parent'] };
      try {
        await this.startNew(p.name, { instanceId: p.childId, input: p.input, parent: p.parent });
      } catch (error) {
        if (!(error instanceof DurableConflict)) {
          const reason = error instanceof Error ? error.message : String(error);
          const failed = event(EventType.SubOrchestrationInstanceFailed, this.services.clock.now().toISOString(), {
            TaskScheduledId: p.parent!.taskId,
            Reason: reason,
            Details: reason,
          });
          await this.addToInbox(p.parent!.instanceId, { executionId: p.parent!.executionId, event: failed });
        }
      }
    } else {
      const p = payload as { parent: NonNullable<InstanceRecord['parent']>; completion: HistoryEvent };
      await this.addToInbox(p.parent.instanceId, { executionId: p.parent.executionId, event: p.completion });
    }
    await this.store.deleteRow(instanceId, rowKey);
  }

  // ---- plumbing --------------------------------------------------------------------------------------

  private historyEntity(record: InstanceRecord, seq: number, e: HistoryEvent) {
    return { partitionKey: record.instanceId, rowKey: historyKey(record.executionId, seq), event: JSON.stringify(e) };
  }

  private async loadHistory(record: InstanceRecord): Promise<HistoryEvent[]> {
    const cached = this.historyCache.get(record.instanceId);
    if (cached && cached.executionId === record.executionId) return cached.events;
    const events = await this.store.history(record.instanceId, record.executionId);
    this.historyCache.set(record.instanceId, { executionId: record.executionId, events });
    return events;
  }

  private cacheHistory(record: InstanceRecord, events: HistoryEvent[]): void {
    this.historyCache.set(record.instanceId, { executionId: record.executionId, events });
  }

  private async loadRecord(instanceId: string): Promise<InstanceRecord | undefined> {
    const cached = this.records.get(instanceId);
    if (cached) return cached;
    const record = await this.store.getInstance(instanceId);
    if (record) this.records.set(instanceId, record);
    return record;
  }

  private async loadInbox(instanceId: string): Promise<Map<string, InboxItem>> {
    const cached = this.inboxes.get(instanceId);
    if (cached) return cached;
    // Events added while this query runs are put in the same map; keys make a double sighting harmless.
    const pending = new Map<string, InboxItem>();
    this.inboxes.set(instanceId, pending);
    for (const item of await this.store.inbox(instanceId)) pending.set(item.rowKey, item);
    for (const item of this.completions.get(instanceId)?.values() ?? []) pending.set(item.rowKey, item);
    return pending;
  }

  /** Commits an episode's actions, instance row included; the stored record (with its new ETag) is cached. */
  private async commitInstance(record: InstanceRecord, actions: TransactionAction[]): Promise<void> {
    let etag: string | undefined;
    try {
      etag = await this.store.commit(record.instanceId, actions);
    } catch (error) {
      this.forget(record.instanceId);
      throw error;
    }
    this.records.set(record.instanceId, { ...record, etag });
  }

  private async addToInbox(instanceId: string, item: Omit<InboxItem, 'rowKey'>): Promise<void> {
    const stored = { ...item, rowKey: inboxKey() };
    await this.store.addToInbox(instanceId, stored, stored.rowKey);
    this.remember(instanceId, stored);
    this.pump(instanceId);
  }

  /** Notes a stored inbox row in the cached inbox, if that inbox is cached (otherwise a load will read it). */
  private remember(instanceId: string, item: InboxItem): void {
    this.inboxes.peek(instanceId)?.set(item.rowKey, item);
  }

  private forget(instanceId: string): void {
    this.records.delete(instanceId);
    this.inboxes.delete(instanceId);
    this.historyCache.delete(instanceId);
  }

  private async withLock<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(instanceId) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => current);
    this.locks.set(instanceId, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(instanceId) === chained) this.locks.delete(instanceId);
    }
  }

  /**
   * Runs durable work; if it fails (storage trouble), it is retried after a growing pause (0.1 s doubling to 10 s), as
   * the extension retries a message it could not process. Everything it does is stored first or idempotent, so a
   * retry repeats at most an activity (at least once). The pause is real time and not counted as host work.
   */
  private spawn(label: string, fn: () => Promise<unknown>, retry: () => void = () => this.spawn(label, fn)): void {
    this.services.work.spawn(
      label,
      async () => {
        await fn();
        this.retryPauses.delete(label);
      },
      (error) => {
        if (this.stopped) return;
        const pause = Math.min((this.retryPauses.get(label) ?? 50) * 2, 10_000);
        this.retryPauses.set(label, pause);
        const reason = error instanceof Error ? error.message : String(error);
        this.services.logger.warn(
          `Durable work '${label}' failed (${reason}); retrying in ${pause} ms (it is stored, so a restart resumes it too).`,
        );
        setTimeout(() => {
          if (!this.stopped) retry();
        }, pause).unref();
      },
    );
  }
}

/** The row whose deletion consumes an inbox item: its own, or the work or timer row behind an unstored completion. */
function consumedKey(item: InboxItem): string {
  return item.backedBy ?? item.rowKey;
}
