import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { HostStorage } from '../storage';
import { EventType, completedId, type HistoryEvent, type RetryOptions } from './history';

export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';
export const TERMINAL: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

/** A retryable task: what to run again and how often (B §5.6). */
export interface RetryState {
  kind: 'activity' | 'orchestration';
  name: string;
  input: unknown;
  instanceId?: string;
  options: RetryOptions;
  attempt: number;
  firstAttemptAt: number;
}

export interface InstanceRecord {
  instanceId: string;
  name: string;
  status: RuntimeStatus;
  suspended: boolean;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  executionId: string;
  /** Leaves of the action list already processed in this execution. */
  leafCursor: number;
  /** Per processed leaf: its signature, for the determinism check. */
  leafSignatures: string[];
  /** Per processed leaf: the EventId it was given (-1 when it takes none). */
  leafEventIds: number[];
  nextEventId: number;
  parent: { instanceId: string; taskId: number; executionId: string } | null;
  /** Retryable tasks by their current scheduling EventId, and retry timers by TimerId. */
  retries: Record<string, RetryState>;
  retryTimers: Record<string, { taskId: number; finalFailure: boolean }>;
  /** The critical section this execution holds or is acquiring (lock request ID and entity scheduler IDs). */
  locks: { requestId: string; entities: string[] } | null;
  etag?: string;
}

export interface InboxItem {
  rowKey: string;
  executionId: string | null;
  event: HistoryEvent;
  /**
   * For a completion held only in memory: the work or timer row that makes it durable instead. Deleting that row
   * in the episode's commit consumes it; after a crash the row runs the activity again or re-arms the timer.
   */
  backedBy?: string;
}

export interface WorkItem {
  rowKey: string;
  executionId: string;
  taskId: number;
  name: string;
  input: unknown;
}

export interface TimerItem {
  rowKey: string;
  executionId: string;
  timerId: number;
  fireAt: string;
}

export type ParentRef = NonNullable<InstanceRecord['parent']>;

/** An effect on another instance, stored with the episode that causes it and carried out afterwards. */
export type OutboxItem =
  | {
      rowKey: string;
      kind: 'startChild';
      payload: { name: string; childId: string; input: unknown; parent: ParentRef };
    }
  | { rowKey: string; kind: 'notifyParent'; payload: { parent: ParentRef; completion: HistoryEvent } }
  | { rowKey: string; kind: 'deliver'; payload: { target: string; executionId: string | null; event: HistoryEvent } };

/** A Durable Entity's stored state (its `entity` row, in the partition named by its scheduler ID `@name@key`). */
export interface EntityRecord {
  entityId: string;
  exists: boolean;
  /** The state as the entity function returned it: a JSON string. */
  state: string | null;
  /** The orchestration holding the entity's lock (critical section), if any. */
  lockedBy: string | null;
  /** Lock requests released before they reached this entity (the requester ended while acquiring): never taken. */
  released: string[];
  lastModifiedTime: string | null;
  etag?: string;
}

/** Rows a previous run left pending, by kind, for recovery after a restart. */
export interface PendingRows {
  instancesWithInbox: Set<string>;
  work: Array<{ instanceId: string; item: WorkItem }>;
  timers: Array<{ instanceId: string; item: TimerItem }>;
  outbox: Array<{ instanceId: string; item: OutboxItem }>;
}

let arrival = 0;
/** Inbox row keys sort by arrival; ExecutionStarted of a new execution sorts before everything else. */
export function inboxKey(first = false): string {
  arrival = (arrival + 1) % 1e8;
  return first
    ? `i:0000000000000:${String(arrival).padStart(8, '0')}`
    : `i:${String(Date.now()).padStart(13, '0')}:${String(arrival).padStart(8, '0')}`;
}

// Row keys are built here and nowhere else; their prefixes ('i:', 'h:', 'w:', 't:', 'o:') are what the queries use.
export const historyKey = (executionId: string, seq: number) => `h:${executionId}:${String(seq).padStart(6, '0')}`;
export const workKey = (executionId: string, taskId: number) => `w:${executionId}:${String(taskId).padStart(6, '0')}`;
export const timerKey = (executionId: string, timerId: number) =>
  `t:${executionId}:${String(timerId).padStart(6, '0')}`;
export const outboxKey = {
  startChild: (executionId: string, taskId: number) => `o:start:${executionId}:${taskId}`,
  notifyParent: (executionId: string) => `o:notify:${executionId}`,
  /** A message to another instance (entity request or response), the n-th of its sender's commit. */
  message: (scope: string, n: number) => `o:msg:${scope}:${String(n).padStart(6, '0')}`,
};
const ENTITY_ROW = 'entity';
type RowKind = 'inbox' | 'history' | 'work' | 'timer' | 'outbox';
const PREFIX: Record<RowKind, string> = { inbox: 'i', history: 'h', work: 'w', timer: 't', outbox: 'o' };
const kindOf = (rowKey: string): RowKind | undefined =>
  (Object.keys(PREFIX) as RowKind[]).find((kind) => rowKey.startsWith(`${PREFIX[kind]}:`));
/** Whether a row key names an armed timer's row. */
export const isTimerRow = (rowKey: string): boolean => kindOf(rowKey) === 'timer';
const prefixFilter = (kind: RowKind) => `RowKey ge '${PREFIX[kind]}:' and RowKey lt '${PREFIX[kind]};'`;

/** Transaction actions for the rows of one instance's partition. */
export const rowAction = {
  history: (instanceId: string, executionId: string, seq: number, e: HistoryEvent): TransactionAction => [
    'create',
    { partitionKey: instanceId, rowKey: historyKey(executionId, seq), event: JSON.stringify(e) },
  ],
  work: (instanceId: string, item: WorkItem): TransactionAction => [
    'create',
    {
      partitionKey: instanceId,
      rowKey: item.rowKey,
      executionId: item.executionId,
      taskId: item.taskId,
      name: item.name,
      input: JSON.stringify(item.input ?? null),
    },
  ],
  timer: (instanceId: string, item: TimerItem): TransactionAction => [
    'create',
    {
      partitionKey: instanceId,
      rowKey: item.rowKey,
      executionId: item.executionId,
      timerId: item.timerId,
      fireAt: item.fireAt,
    },
  ],
  outbox: (instanceId: string, item: OutboxItem): TransactionAction => [
    'create',
    { partitionKey: instanceId, rowKey: item.rowKey, kind: item.kind, payload: JSON.stringify(item.payload) },
  ],
  inbox: (instanceId: string, item: InboxItem): TransactionAction => [
    'create',
    {
      partitionKey: instanceId,
      rowKey: item.rowKey,
      executionId: item.executionId ?? '',
      event: JSON.stringify(item.event),
    },
  ],
  delete: (instanceId: string, rowKey: string): TransactionAction => ['delete', { partitionKey: instanceId, rowKey }],
  entity: (entity: EntityRecord): TransactionAction => {
    const row = {
      partitionKey: entity.entityId,
      rowKey: ENTITY_ROW,
      exists: entity.exists,
      state: entity.state ?? '',
      lockedBy: entity.lockedBy ?? '',
      released: JSON.stringify(entity.released),
      lastModifiedTime: entity.lastModifiedTime ?? '',
    };
    return entity.etag ? ['update', row, 'Replace', { etag: entity.etag }] : ['create', row];
  },
};

/** Row keys of an execution's work and timers that history shows as scheduled and not yet completed. */
export function openRowKeys(executionId: string, history: HistoryEvent[]): string[] {
  const done = new Set(history.map(completedId).filter((id) => id !== undefined));
  const keys: string[] = [];
  for (const e of history) {
    if (done.has(e.EventId)) continue;
    if (e.EventType === EventType.TaskScheduled) keys.push(workKey(executionId, e.EventId));
    if (e.EventType === EventType.TimerCreated) keys.push(timerKey(executionId, e.EventId));
  }
  return keys;
}

const json = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Everything of one orchestration instance lives in one partition (PartitionKey = instanceId): the instance
 * row, its history, its inbox of undelivered events, its activity work, its armed timers and its outbox. So one
 * episode commits atomically in one entity-group transaction.
 */
export class InstanceStore {
  private table!: TableClient;

  constructor(
    private readonly storage: HostStorage,
    private readonly tableName: string,
  ) {}

  async open(): Promise<void> {
    this.table = await this.storage.table(this.tableName);
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(instanceId, 'instance');
      return fromInstanceRow(row);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  async getEntity(entityId: string): Promise<EntityRecord | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(entityId, ENTITY_ROW);
      const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
      return {
        entityId,
        exists: row['exists'] === true,
        state: text(row['state']),
        lockedBy: text(row['lockedBy']),
        released: JSON.parse(text(row['released']) ?? '[]') as string[],
        lastModifiedTime: text(row['lastModifiedTime']),
        etag: row['etag'] ? String(row['etag']) : undefined,
      };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  async listInstances(): Promise<InstanceRecord[]> {
    const out: InstanceRecord[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `RowKey eq 'instance'` },
    }))
      out.push(fromInstanceRow(row));
    return out;
  }

  async history(instanceId: string, executionId: string): Promise<HistoryEvent[]> {
    const out: HistoryEvent[] = [];
    const filter = `PartitionKey eq '${esc(instanceId)}' and RowKey ge 'h:${esc(executionId)}:' and RowKey lt 'h:${esc(executionId)};'`;
    for await (const row of this.table.listEntities<{ event: string }>({ queryOptions: { filter } }))
      out.push(JSON.parse(row.event) as HistoryEvent);
    return out;
  }

  private async rowsOf(instanceId: string, kind: RowKind): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    const filter = `PartitionKey eq '${esc(instanceId)}' and ${prefixFilter(kind)}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      out.push(row);
    return out;
  }

  async inbox(instanceId: string): Promise<InboxItem[]> {
    return (await this.rowsOf(instanceId, 'inbox')).map((row) => ({
      rowKey: String(row['rowKey']),
      executionId: row['executionId'] ? String(row['executionId']) : null,
      event: JSON.parse(String(row['event'])) as HistoryEvent,
    }));
  }

  /** Keys of every history, work and timer row of the instance (all executions): what continueAsNew replaces. */
  async executionRowKeys(instanceId: string): Promise<string[]> {
    const kinds: RowKind[] = ['history', 'work', 'timer'];
    const found = await Promise.all(kinds.map((kind) => this.rowsOf(instanceId, kind)));
    return found.flat().map((row) => String(row['rowKey']));
  }

  /** Every pending row of every instance (inbox, work, timers, outbox), for recovery after a restart. */
  async pendingRows(): Promise<PendingRows> {
    const pending: PendingRows = { instancesWithInbox: new Set(), work: [], timers: [], outbox: [] };
    const kinds: RowKind[] = ['inbox', 'outbox', 'timer', 'work'];
    const filter = kinds.map(prefixFilter).join(' or ');
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const instanceId = String(row['partitionKey']);
      const rowKey = String(row['rowKey']);
      const executionId = String(row['executionId']);
      switch (kindOf(rowKey)) {
        case 'inbox':
          pending.instancesWithInbox.add(instanceId);
          break;
        case 'timer':
          pending.timers.push({
            instanceId,
            item: { rowKey, executionId, timerId: Number(row['timerId']), fireAt: String(row['fireAt']) },
          });
          break;
        case 'work':
          pending.work.push({
            instanceId,
            item: {
              rowKey,
              executionId,
              taskId: Number(row['taskId']),
              name: String(row['name']),
              input: JSON.parse(String(row['input'])) as unknown,
            },
          });
          break;
        case 'outbox':
          pending.outbox.push({
            instanceId,
            item: {
              rowKey,
              kind: String(row['kind']),
              payload: JSON.parse(String(row['payload'])) as unknown,
            } as OutboxItem,
          });
          break;
        default:
          break;
      }
    }
    return pending;
  }

  async addToInbox(instanceId: string, item: InboxItem): Promise<void> {
    // One row: a plain insert, all-or-nothing like a transaction of one, which costs client and storage ~30 % more.
    await this.table.createEntity(rowAction.inbox(instanceId, item)[1]);
  }

  instanceRow(record: InstanceRecord, mode: 'create' | 'update' | 'upsert'): TransactionAction {
    const entity = {
      partitionKey: record.instanceId,
      rowKey: 'instance',
      name: record.name,
      status: record.status,
      suspended: record.suspended,
      input: json(record.input),
      output: json(record.output),
      customStatus: json(record.customStatus),
      createdTime: record.createdTime,
      lastUpdatedTime: record.lastUpdatedTime,
      executionId: record.executionId,
      leafCursor: record.leafCursor,
      leafSignatures: JSON.stringify(record.leafSignatures),
      leafEventIds: JSON.stringify(record.leafEventIds),
      nextEventId: record.nextEventId,
      parent: json(record.parent),
      retries: JSON.stringify(record.retries),
      retryTimers: JSON.stringify(record.retryTimers),
      locks: json(record.locks),
    };
    if (mode === 'create') return ['create', entity];
    if (mode === 'upsert') return ['upsert', entity, 'Replace'];
    return ['update', entity, 'Replace', { etag: record.etag ?? '*' }];
  }

  /** Commits actions of one partition; atomically when they fit one transaction (100 operations). */
  async commit(actions: TransactionAction[]): Promise<string | undefined> {
    let etag: string | undefined;
    // The instance row goes last so that it moves only when everything else of the episode is stored.
    for (let i = 0; i < actions.length; i += 100) {
      const result = await this.table.submitTransaction(actions.slice(i, i + 100));
      for (const [n, response] of result.subResponses.entries()) {
        const action = actions[i + n];
        const rowKey = action && (action[1] as { rowKey?: string }).rowKey;
        if (rowKey === 'instance' || rowKey === ENTITY_ROW) etag = response.etag;
      }
    }
    return etag;
  }

  async deleteRow(instanceId: string, rowKey: string): Promise<void> {
    try {
      await this.table.deleteEntity(instanceId, rowKey);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }

  /** Deletes a whole partition (purge). Returns whether an instance row existed. */
  async purge(instanceId: string): Promise<boolean> {
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${esc(instanceId)}'` },
    }))
      rows.push(row);
    const deletes: TransactionAction[] = rows.map((row) => [
      'delete',
      { partitionKey: instanceId, rowKey: String(row['rowKey']) },
    ]);
    for (let i = 0; i < deletes.length; i += 100) await this.table.submitTransaction(deletes.slice(i, i + 100));
    return rows.some((row) => row['rowKey'] === 'instance');
  }
}

function fromInstanceRow(row: Record<string, unknown>): InstanceRecord {
  const parse = (v: unknown) => (typeof v === 'string' && v.length > 0 ? (JSON.parse(v) as unknown) : null);
  return {
    instanceId: String(row['partitionKey']),
    name: String(row['name']),
    status: String(row['status']) as RuntimeStatus,
    suspended: row['suspended'] === true,
    input: parse(row['input']),
    output: parse(row['output']),
    customStatus: parse(row['customStatus']),
    createdTime: String(row['createdTime']),
    lastUpdatedTime: String(row['lastUpdatedTime']),
    executionId: String(row['executionId']),
    leafCursor: Number(row['leafCursor'] ?? 0),
    leafSignatures: (parse(row['leafSignatures']) as string[] | null) ?? [],
    leafEventIds: (parse(row['leafEventIds']) as number[] | null) ?? [],
    nextEventId: Number(row['nextEventId'] ?? 0),
    parent: parse(row['parent']) as InstanceRecord['parent'],
    retries: (parse(row['retries']) as InstanceRecord['retries'] | null) ?? {},
    retryTimers: (parse(row['retryTimers']) as InstanceRecord['retryTimers'] | null) ?? {},
    locks: parse(row['locks']) as InstanceRecord['locks'],
    etag: row['etag'] ? String(row['etag']) : undefined,
  };
}

export function esc(value: string): string {
  return value.replace(/'/g, "''");
}
