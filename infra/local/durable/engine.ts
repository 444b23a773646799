import { randomUUID } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import type { RegisteredFunction } from '../functionsCore';
import { fromTypedData, toJsonTypedData } from '../invoke';
import type { HostHttpRequest, HostHttpResponse, HostServices } from '../services';
import { ActivityRunner } from './activityRunner';
import { clientPayload } from './clientPayload';
import { DurableTimers } from './durableTimers';
import { DurableWork } from './durableWork';
import { EntityScheduler } from './entities';
import { isEntityId, requestEvent, schedulerId } from './entityProtocol';
import {
  consumedKey,
  isStale,
  orchestratorTrigger,
  stepEpisode,
  terminated,
  type EpisodeCommit,
  type EpisodeInput,
} from './episode';
import { EventType, OUT_OF_PROC_LABEL, event, type HistoryEvent, type OrchestratorState } from './history';
import { InstanceCache, type Completion } from './instanceCache';
import { InstanceLocks } from './instanceLocks';
import {
  InstanceStore,
  TERMINAL,
  inboxKey,
  isTimerRow,
  openRowKeys,
  rowAction,
  type InboxItem,
  type InstanceRecord,
  type OutboxItem,
} from './instanceStore';
import { handleManagementRequest } from './managementApi';
import { Outbox, notifyParentItem } from './outbox';

export class DurableBadRequest extends Error {}
export class DurableConflict extends Error {}
export class DurableNotFound extends Error {}
export class DurableGone extends Error {}

const newId = () => randomUUID().replace(/-/g, '');

/**
 * Stands in for the Durable Task extension (durable-protocol Part B): orchestration history in Azurite, every
 * episode replayed in full through the durable-functions library's own executor, activities at least once,
 * durable timers on the host clock, external events buffered, continueAsNew, sub-orchestrations, retries,
 * terminate, suspend/resume, custom status, Durable Entities (signals, calls, critical sections, state), and the
 * management HTTP API that df.getClient() calls.
 *
 * This class is the facade: it serialises the work on each instance and applies what the pure episode step
 * (episode.ts) decides, through the instance cache and store, the activity runner, the durable timers and the outbox.
 */
export class DurableEngine {
  readonly store: InstanceStore;
  private readonly orchestrators = new Map<string, RegisteredFunction>();
  private readonly cache: InstanceCache;
  private readonly locks = new InstanceLocks();
  private readonly work: DurableWork;
  private readonly activities: ActivityRunner;
  private readonly timers: DurableTimers;
  private readonly outbox: Outbox;
  private readonly entities: EntityScheduler;
  private readonly pumping = new Set<string>();
  private readonly repump = new Set<string>();

  constructor(
    private readonly services: HostServices,
    functions: RegisteredFunction[],
    readonly options: { hubName: string },
  ) {
    const activities = new Map<string, RegisteredFunction>();
    const entities: RegisteredFunction[] = [];
    for (const fn of functions) {
      const type = fn.trigger.type.toLowerCase();
      if (type === 'orchestrationtrigger') this.orchestrators.set(fn.name, fn);
      if (type === 'activitytrigger') activities.set(fn.name, fn);
      if (type === 'entitytrigger') entities.push(fn);
    }
    this.store = new InstanceStore(services.storage, `DurableHub${options.hubName.replace(/[^A-Za-z0-9]/g, '')}`);
    this.cache = new InstanceCache(this.store);
    this.work = new DurableWork(services);
    const complete = (completion: Completion) => this.complete(completion);
    this.activities = new ActivityRunner(services, activities, this.work, complete);
    this.timers = new DurableTimers(services.clock, complete);
    this.outbox = new Outbox(this.store, this.work, {
      startChild: async ({ name, childId, input, parent }) => {
        try {
          await this.startNew(name, { instanceId: childId, input, parent });
        } catch (error) {
          if (!(error instanceof DurableConflict)) throw error;
        }
      },
      addToInbox: (instanceId, item) => this.addToInbox(instanceId, item),
      now: () => this.services.clock.now().toISOString(),
    });
    this.entities = new EntityScheduler(
      services,
      { store: this.store, cache: this.cache, outbox: this.outbox },
      entities,
    );
  }

  /** Creates the table and resumes everything a previous run left pending (timers, activities, inboxes, outbox). */
  async start(): Promise<void> {
    await this.store.open();
    const pending = await this.store.pendingRows();
    for (const { instanceId, item } of [...pending.timers, ...pending.work]) {
      if (await this.isFinished(instanceId, item.executionId)) await this.store.deleteRow(instanceId, item.rowKey);
      else if ('timerId' in item) this.timers.arm(instanceId, item);
      else this.activities.run(instanceId, item);
    }
    const outboxes = new Map<string, OutboxItem[]>();
    for (const { instanceId, item } of pending.outbox)
      outboxes.set(instanceId, [...(outboxes.get(instanceId) ?? []), item]);
    for (const [instanceId, items] of outboxes) this.outbox.send(instanceId, items);
    for (const instanceId of pending.instancesWithInbox) this.pump(instanceId);
  }

  async stop(): Promise<void> {
    this.work.stop();
    this.timers.stop();
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
    const instanceId = options.instanceId ?? newId();
    if (isEntityId(instanceId))
      throw new DurableBadRequest(`Instance IDs starting with '@' are reserved for entities ('${instanceId}').`);
    const create = async (): Promise<void> => {
      const now = this.services.clock.now().toISOString();
      const executionId = newId();
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
        locks: null,
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
      this.cache.emptyInbox(instanceId);
      const first: InboxItem = { rowKey: inboxKey(true), executionId, event: started };
      await this.cache.commit(record, [rowAction.inbox(instanceId, first), this.store.instanceRow(record, 'create')]);
      this.cache.remember(instanceId, first);
      this.cache.setHistory(record, []);
    };
    await this.locks.with(instanceId, async () => {
      // An instance not in the cache is most likely new: its rows are created at once, and only when its row exists
      // already (409) is it read and decided on as below (a read fewer per new instance).
      if (!this.cache.cachedRecord(instanceId)) {
        try {
          return await create();
        } catch (error) {
          if ((error as { statusCode?: number }).statusCode !== 409) throw error;
        }
      }
      const existing = await this.cache.record(instanceId);
      if (existing && !TERMINAL.has(existing.status)) {
        if (options.parent && existing.parent?.instanceId === options.parent.instanceId) return; // idempotent child start
        throw new DurableConflict(`An instance with ID '${instanceId}' already exists and is ${existing.status}.`);
      }
      if (existing) {
        this.cache.drop(instanceId);
        await this.store.purge(instanceId); // a terminal instance is overwritten, as the extension does by default
      }
      await create();
    });
    this.pump(instanceId);
    return instanceId;
  }

  async raiseEvent(instanceId: string, name: string, data: unknown): Promise<void> {
    const record = await this.cache.record(instanceId);
    if (!record) throw new DurableNotFound(`No instance with ID '${instanceId}' found.`);
    if (TERMINAL.has(record.status)) throw new DurableGone(`Instance '${instanceId}' is ${record.status}.`);
    const raised = event(EventType.EventRaised, this.services.clock.now().toISOString(), {
      Name: name,
      Input: data === undefined ? null : JSON.stringify(data),
    });
    await this.addToInbox(instanceId, { executionId: null, event: raised });
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    await this.locks.with(instanceId, async () => {
      const record = await this.running(instanceId);
      const history = await this.cache.history(record);
      const end = terminated(record, reason, this.services.clock.now().toISOString());
      await this.commitEnd({ ...end, history, deletes: [] });
    });
  }

  async setSuspended(instanceId: string, suspended: boolean, reason: string): Promise<void> {
    await this.locks.with(instanceId, async () => {
      const record = await this.running(instanceId);
      if (record.suspended === suspended) return;
      const now = this.services.clock.now().toISOString();
      const history = await this.cache.history(record);
      const marker = event(suspended ? EventType.ExecutionSuspended : EventType.ExecutionResumed, now, {
        Reason: reason,
      });
      const next: InstanceRecord = {
        ...record,
        suspended,
        status: suspended ? 'Suspended' : record.leafCursor > 0 || history.length > 0 ? 'Running' : 'Pending',
        lastUpdatedTime: now,
      };
      await this.cache.commit(next, [
        rowAction.history(instanceId, record.executionId, history.length, marker),
        this.store.instanceRow(next, 'update'),
      ]);
      this.cache.setHistory(next, [...history, marker]);
    });
    if (!suspended) this.pump(instanceId);
  }

  async purge(instanceId: string): Promise<boolean> {
    return this.locks.with(instanceId, async () => {
      this.cache.drop(instanceId);
      return this.store.purge(instanceId);
    });
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return this.cache.record(instanceId);
  }

  async historyOf(record: InstanceRecord): Promise<HistoryEvent[]> {
    return this.store.history(record.instanceId, record.executionId);
  }

  /** client.signalEntity (B §9): the request is stored in the entity's inbox; 400 for an unknown entity name. */
  async signalEntity(name: string, key: string, operation: string, input: string | null): Promise<void> {
    if (!this.entities.has(name))
      throw new DurableBadRequest(`The function '${name}' doesn't exist, is disabled, or is not an entity function.`);
    const request = { id: newId(), op: operation, signal: true, input, parent: null, parentExecution: null };
    const now = this.services.clock.now().toISOString();
    await this.addToInbox(schedulerId(name, key), { executionId: null, event: requestEvent(request, now) });
  }

  /** client.readEntityState (B §9): the state as JSON text, or undefined when the entity does not exist. */
  async readEntityState(name: string, key: string): Promise<{ state: string | null } | undefined> {
    const entityId = schedulerId(name, key);
    const entity = await this.locks.with(entityId, () => this.entities.record(entityId));
    return entity.exists ? { state: entity.state } : undefined;
  }

  private async running(instanceId: string): Promise<InstanceRecord> {
    const record = await this.cache.record(instanceId);
    if (!record) throw new DurableNotFound(`No instance with ID '${instanceId}' found.`);
    if (TERMINAL.has(record.status)) throw new DurableGone(`Instance '${instanceId}' is ${record.status}.`);
    return record;
  }

  // ---- episodes ---------------------------------------------------------------------------------------

  /** Delivers pending events to an instance, one per episode, serialised per instance. Counted as host work. */
  private pump(instanceId: string): void {
    if (this.work.isStopped) return;
    if (this.pumping.has(instanceId)) {
      this.repump.add(instanceId);
      return;
    }
    this.pumping.add(instanceId);
    this.work.spawn(
      `orchestration ${instanceId}`,
      async () => {
        try {
          do {
            this.repump.delete(instanceId);
            while (await this.locks.with(instanceId, () => this.runOneEpisode(instanceId)));
          } while (this.repump.has(instanceId) && !this.work.isStopped);
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
      if (isEntityId(instanceId)) return await this.entities.runStep(instanceId);
      const record = await this.cache.record(instanceId);
      const pending = await this.cache.inbox(instanceId);
      const inbox = [...pending.values()].sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1));
      if (!record) this.cache.dropHeld(instanceId); // purged: nothing left to complete
      if (!record || inbox.length === 0) return false;
      if (TERMINAL.has(record.status)) {
        for (const item of inbox) {
          await this.store.deleteRow(instanceId, consumedKey(item)); // late events for a finished instance
          this.cache.consumed(instanceId, item);
        }
        return false;
      }
      if (record.suspended) return false;
      const history = await this.cache.history(record);
      const item = inbox[0] as InboxItem;
      if (isStale(record, history, item)) await this.store.deleteRow(instanceId, consumedKey(item));
      else await this.runEpisode({ record, history, item, clockMs: this.services.clock.nowMs() });
      this.cache.consumed(instanceId, item);
      return true;
    } catch (error) {
      this.cache.forget(instanceId); // storage is the truth again
      this.entities.forget(instanceId);
      throw error;
    }
  }

  /** Calls the orchestrator with the history and the event, and commits what the episode step decides. */
  private async runEpisode(input: EpisodeInput): Promise<void> {
    const fn = this.orchestrators.get(input.record.name);
    const state = fn ? await this.invokeOrchestrator(fn, input) : undefined;
    const commit = stepEpisode(input, state, newId);
    if (commit.failure)
      this.services.logger.warn(`Orchestration '${input.record.instanceId}' failed: ${commit.failure}`);
    if (commit.outcome === 'continuedAsNew') return this.commitContinueAsNew(commit);
    const { record, rows, consumed } = commit;
    const instanceId = record.instanceId;
    const canceled = commit.canceledTimers.filter((key) => this.timers.disarm(instanceId, key));
    const deletes = [consumed, ...canceled];
    if (commit.outcome === 'ended')
      return this.commitEnd({ record, history: input.history, rows, deletes, messages: commit.messages });
    const actions: TransactionAction[] = [
      ...rows.map((e, n) => rowAction.history(instanceId, record.executionId, input.history.length + n, e)),
      ...deletes.map((key) => rowAction.delete(instanceId, key)),
      ...commit.activities.map((item) => rowAction.work(instanceId, item)),
      ...commit.timers.map((item) => rowAction.timer(instanceId, item)),
      ...[...commit.children, ...commit.messages].map((item) => rowAction.outbox(instanceId, item)),
      this.store.instanceRow(record, 'update'),
    ];
    await this.cache.commit(record, actions);
    this.cache.setHistory(record, [...input.history, ...rows]);
    for (const item of commit.activities) this.activities.run(instanceId, item);
    for (const item of commit.timers) this.timers.arm(instanceId, item);
    this.outbox.send(instanceId, [...commit.children, ...commit.messages]);
  }

  private async invokeOrchestrator(fn: RegisteredFunction, input: EpisodeInput): Promise<OrchestratorState> {
    const outcome = await this.services.invoker.invoke(fn, {
      inputData: [{ name: fn.triggerKey, data: toJsonTypedData(orchestratorTrigger(input)) }],
    });
    if (outcome.ok) return fromTypedData(outcome.response.returnValue) as OrchestratorState;
    // A thrown orchestrator carries its state after a label in the error message (B §5.9).
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const at = message.indexOf(OUT_OF_PROC_LABEL);
    return at >= 0
      ? (JSON.parse(message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorState)
      : { isDone: false, actions: [], error: message };
  }

  /** Old history, work and timers go; raised events still in the inbox carry over (as the extension does). */
  private async commitContinueAsNew({ record, consumed, started, messages }: EpisodeCommit): Promise<void> {
    const instanceId = record.instanceId;
    const stale = await this.store.executionRowKeys(instanceId);
    this.timers.disarmAll(instanceId);
    const first = started as InboxItem;
    const actions: TransactionAction[] = [
      ...stale.map((key) => rowAction.delete(instanceId, key)),
      ...(stale.includes(consumed) ? [] : [rowAction.delete(instanceId, consumed)]),
      rowAction.inbox(instanceId, first),
      ...messages.map((item) => rowAction.outbox(instanceId, item)),
      this.store.instanceRow(record, 'update'),
    ];
    await this.cache.commit(record, actions);
    this.cache.remember(instanceId, first);
    this.cache.setHistory(record, []);
    this.outbox.send(instanceId, messages);
  }

  /**
   * Completes, fails or terminates: history rows and the status commit together, the parent is told, and then the
   * execution's open work and timer rows are deleted one by one. Those are known from history (a task or timer
   * without its completion), so no query scans the hub; a row already gone (its completion is in the inbox) is a
   * no-op, and rows left by a crash in between are dropped at start-up.
   */
  private async commitEnd(end: {
    record: InstanceRecord;
    history: HistoryEvent[];
    rows: HistoryEvent[];
    deletes: string[];
    /** Signals of the last episode and releases of a critical section it held. */
    messages: OutboxItem[];
  }): Promise<void> {
    const { record, history, rows, deletes, messages } = end;
    const instanceId = record.instanceId;
    // A timer's row is stored while it is armed or its firing waits to be recorded; a cancelled timer's row went
    // with the episode that cancelled it, so deleting it again would only cost a request.
    const storedTimers = new Set([...this.timers.armedKeys(instanceId), ...this.cache.heldRowKeys(instanceId)]);
    this.timers.disarmAll(instanceId);
    const parentNote = notifyParentItem(record, this.services.clock.now().toISOString());
    const outgoing = [...messages, ...(parentNote ? [parentNote] : [])];
    const actions: TransactionAction[] = [
      ...rows.map((e, n) => rowAction.history(instanceId, record.executionId, history.length + n, e)),
      ...deletes.map((key) => rowAction.delete(instanceId, key)),
      ...outgoing.map((item) => rowAction.outbox(instanceId, item)),
      this.store.instanceRow(record, 'update'),
    ];
    await this.cache.commit(record, actions);
    this.cache.setHistory(record, [...history, ...rows]);
    this.outbox.send(instanceId, outgoing);
    const open = openRowKeys(record.executionId, [...history, ...rows]).filter(
      (key) => !deletes.includes(key) && (!isTimerRow(key) || storedTimers.has(key)),
    );
    if (open.length > 0)
      this.work.spawn(`clean up ${instanceId}`, () =>
        Promise.all(open.map((key) => this.store.deleteRow(instanceId, key))),
      );
  }

  /** A work or timer row left by a crash after its execution ended (or was replaced by continueAsNew). */
  private async isFinished(instanceId: string, executionId: string): Promise<boolean> {
    const record = await this.cache.record(instanceId);
    return !record || record.executionId !== executionId || TERMINAL.has(record.status);
  }

  // ---- inbox ----------------------------------------------------------------------------------------

  /**
   * Queues an activity's or timer's completion for the next episode without writing it: its work or timer row stays
   * until that episode's commit deletes it, so a crash before then re-runs the activity or re-arms the timer (at
   * least once), and a completion costs no storage write of its own.
   */
  private complete(completion: Completion): void {
    this.cache.hold(completion);
    this.pump(completion.instanceId);
  }

  private async addToInbox(instanceId: string, item: Omit<InboxItem, 'rowKey'>): Promise<void> {
    const stored: InboxItem = { ...item, rowKey: inboxKey() };
    await this.store.addToInbox(instanceId, stored);
    this.cache.remember(instanceId, stored);
    this.pump(instanceId);
  }
}
