import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { odataString, readEntity } from './tableRows';
import type { HoursUsage } from '../../domain/workOrder/hours';
import type { WorkOrderView } from '../../domain/workOrder/workOrderView';
import {
  WorkOrderConflict,
  type LedgerEntry,
  type Page,
  type ServiceRequestRecord,
  type StoredWorkOrder,
  type TimelineEntry,
  type WorkOrderChange,
  type WorkOrderResource,
  type WorkOrderStore,
} from '../../domain/workOrder/workOrderStore';

/**
 * Work Orders in Table Storage, in the `WorkOrders` table that incidents share (so a Work Order's timeline is one
 * query: its own partition and its incidents' partitions `{workOrderId}|{incidentId}`). Keys:
 *   PK = workOrderId      RK = workOrder                        the Work Order (view JSON, balances included)
 *   PK = workOrderId      RK = ledger|{utc at}|{uuid}           credit ledger entries
 *   PK = workOrderId      RK = request|{requestId}              service requests
 *   PK = workOrderId      RK = aem|{id}, cyber|{id}             AEM bookings, cybersecurity engagements
 *   PK = workOrderId      RK = usage|{utc at}|{id}              hours used (EDE-1, REDE-1, ADV-1)
 *   PK = workOrderId      RK = timeline|{utc at}|{source}|{n}   timeline entries (incidents' are in their partitions)
 *   PK = workOrderId      RK = pending|{changeId}|{n}           the rest of a change too big for one transaction
 *   PK = customer|{id}    RK = {workOrderId}                    listing by customer
 *   PK = request|{id}     RK = ''                               service request ID → Work Order
 *   PK = aem|{id}, cyber|{id}  RK = ''                          booking ID → Work Order
 * A balance change, its ledger entries, request changes and timeline entries commit in one entity-group
 * transaction with the Work Order row, guarded by its ETag (a change of more than 100 rows: see commitInSteps).
 */
export class WorkOrderTable implements WorkOrderStore {
  /** The Work Order row's ETag this process saw last (read or written), by Work Order. */
  private readonly etags = new Map<string, string>();
  /**
   * Resources of one kind as read at a Work Order ETag. Every resource is written in its Work Order's transaction
   * (commit), so while that ETag is the one last seen, the rows are what storage holds for it.
   */
  private readonly resourceRows = new Map<string, { etag: string; rows: Array<{ id: string; data: string }> }>();

  constructor(private readonly table: TableClient) {}

  async get(workOrderId: string): Promise<StoredWorkOrder | undefined> {
    const row = await this.read(workOrderId, 'workOrder');
    if (!row) return undefined;
    if (row['pendingChange']) await this.finishPending(workOrderId);
    else this.saw(workOrderId, String(row['etag']));
    return { workOrder: workOrderRow.parse(row).view, etag: String(row['etag']) };
  }

  private saw(workOrderId: string, etag: string): void {
    if (!this.etags.has(workOrderId) && this.etags.size >= CACHED_WORK_ORDERS) {
      const oldest = this.etags.keys().next().value as string;
      this.etags.delete(oldest);
      for (const key of this.resourceRows.keys()) if (key.startsWith(`${oldest}|`)) this.resourceRows.delete(key);
    }
    this.etags.set(workOrderId, etag);
  }

  async create(workOrder: WorkOrderView, change: WorkOrderChange = {}): Promise<string> {
    await this.table.upsertEntity(
      { partitionKey: `customer|${workOrder.customerId}`, rowKey: workOrder.id, number: workOrder.number },
      'Replace',
    );
    return this.commit(workOrder, ['create', this.workOrderEntity(workOrder)], change, 'created');
  }

  async update(workOrder: WorkOrderView, etag: string, change: WorkOrderChange = {}): Promise<string> {
    return this.commit(workOrder, ['update', this.workOrderEntity(workOrder), 'Replace', { etag }], change, 'updated');
  }

  async listByCustomer(
    customerId: string | null,
    page: { limit: number; continuationToken?: string },
  ): Promise<Page<WorkOrderView>> {
    const filter =
      customerId === null
        ? `PartitionKey ge 'customer|' and PartitionKey lt 'customer}'`
        : `PartitionKey eq '${esc(`customer|${customerId}`)}'`;
    const result = await this.table
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: page.limit, continuationToken: page.continuationToken })
      .next();
    if (result.done) return { items: [], continuationToken: null };
    const views = await Promise.all(
      result.value.map(async (row) => (await this.get(String(row['rowKey'])))?.workOrder),
    );
    return {
      items: views.filter((v): v is WorkOrderView => v !== undefined),
      continuationToken: result.value.continuationToken ?? null,
    };
  }

  /**
   * Oldest first: the Work Order's own entries and those of its incidents (in the incidents' partitions,
   * `{workOrderId}|{incidentId}`, see IncidentTable), merged by RowKey (`timeline|{utc at}|…`). The token names the
   * next entry in the Table SDK's shape (base64 JSON of nextPartitionKey and nextRowKey).
   *
   * Storage returns a range over several partitions in partition order, not in time order, so a page reads whole
   * windows of time across all of them: from the page's start up to a bound that grows (a day, then ×4) until the
   * window holds more entries than the page needs. Every entry after the bound sorts after every entry read, so the
   * first entries of the sorted window are the page; a page no longer reads the whole rest of the timeline.
   */
  async timeline(
    workOrderId: string,
    page: { limit: number; continuationToken?: string },
  ): Promise<Page<TimelineEntry>> {
    const next = page.continuationToken ? decodeToken(page.continuationToken) : undefined;
    const from = next && next.nextRowKey.startsWith(TIMELINE) ? next.nextRowKey : TIMELINE;
    const key = (row: Record<string, unknown>) => [String(row['rowKey']), String(row['partitionKey'])] as const;
    const before = (a: readonly [string, string], b: readonly [string, string]) =>
      a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const start = next ? ([next.nextRowKey, next.nextPartitionKey] as const) : undefined;
    const onPage = (row: Record<string, unknown>) => !start || !before(key(row), start);

    // The first page's window starts at the Work Order's first own entry (its creation); earlier incident entries,
    // if any, are still read because the first window has no lower bound.
    let windowStart = instantOf(from) ?? instantOf((await this.timelineRows(workOrderId, TIMELINE, END, 1))[0]);
    let windowMs = TIMELINE_WINDOW_MS;
    let lower = from;
    const rows: Array<Record<string, unknown>> = [];
    for (;;) {
      const upperMs = windowStart === undefined ? undefined : windowStart + windowMs;
      const upper =
        upperMs !== undefined && upperMs < LAST_INSTANT ? `${TIMELINE}${new Date(upperMs).toISOString()}` : END;
      rows.push(...(await this.timelineRows(workOrderId, lower, upper)));
      if (upper === END || rows.filter(onPage).length > page.limit) break;
      [lower, windowStart, windowMs] = [upper, upperMs, windowMs * 4];
    }
    const ordered = rows.filter(onPage).sort((a, b) => (before(key(a), key(b)) ? -1 : before(key(b), key(a)) ? 1 : 0));
    const items = ordered.slice(0, page.limit);
    const following = ordered[page.limit];
    return {
      items: items.map((row) => timelineRow.parse(row)),
      continuationToken: following
        ? Buffer.from(
            JSON.stringify({
              nextPartitionKey: String(following['partitionKey']),
              nextRowKey: String(following['rowKey']),
            }),
          ).toString('base64')
        : null,
    };
  }

  /**
   * Timeline rows with lower <= RowKey < upper, of the Work Order and its incidents; with `ownFirst`, only the first
   * `ownFirst` of the Work Order's own partition.
   */
  private async timelineRows(
    workOrderId: string,
    lower: string,
    upper: string,
    ownFirst?: number,
  ): Promise<Array<Record<string, unknown>>> {
    const pk = esc(workOrderId);
    const partitions = ownFirst
      ? `PartitionKey eq '${pk}'`
      : `(PartitionKey eq '${pk}' or (PartitionKey gt '${pk}|' and PartitionKey lt '${pk}}'))`;
    const filter = `${partitions} and RowKey ge '${esc(lower)}' and RowKey lt '${esc(upper)}'`;
    const query = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } });
    if (ownFirst) {
      // Storage may answer a page with no rows and a continuation; the first rows are on the first page with any.
      for await (const rows of query.byPage({ maxPageSize: ownFirst }))
        if (rows.length > 0) return rows.slice(0, ownFirst);
      return [];
    }
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of query) rows.push(row);
    return rows;
  }

  async findServiceRequest(requestId: string): Promise<ServiceRequestRecord | undefined> {
    const lookup = await this.read(`request|${requestId}`, '');
    if (!lookup) return undefined;
    const row = await this.readSettled(String(lookup['workOrderId']), `request|${requestId}`);
    return row ? (JSON.parse(String(row['request'])) as ServiceRequestRecord) : undefined;
  }

  async serviceRequests(workOrderId: string): Promise<ServiceRequestRecord[]> {
    const filter = `PartitionKey eq '${esc(workOrderId)}' and RowKey ge 'request|' and RowKey lt 'request}'`;
    const out: ServiceRequestRecord[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      out.push(JSON.parse(String(row['request'])) as ServiceRequestRecord);
    return out;
  }

  async findResource<T>(kind: WorkOrderResource['kind'], id: string): Promise<WorkOrderResource<T> | undefined> {
    const lookup = await this.read(`${kind}|${id}`, '');
    if (!lookup) return undefined;
    const row = await this.readSettled(String(lookup['workOrderId']), `${kind}|${id}`);
    return row
      ? { kind, id, workOrderId: String(lookup['workOrderId']), data: JSON.parse(String(row['data'])) as T }
      : undefined;
  }

  async resources<T>(workOrderId: string, kind: WorkOrderResource['kind']): Promise<Array<WorkOrderResource<T>>> {
    const key = `${workOrderId}|${kind}`;
    const etag = this.etags.get(workOrderId);
    let rows =
      etag !== undefined && this.resourceRows.get(key)?.etag === etag ? this.resourceRows.get(key)?.rows : undefined;
    if (!rows) {
      rows = [];
      const filter = `PartitionKey eq '${esc(workOrderId)}' and RowKey ge '${kind}|' and RowKey lt '${kind}}'`;
      for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
        rows.push({ id: String(row['rowKey']).slice(kind.length + 1), data: String(row['data']) });
      // Kept under the ETag seen before the query: a change committed meanwhile moves the ETag past it.
      if (etag !== undefined) this.resourceRows.set(key, { etag, rows });
    }
    // Parsed per call, so no caller shares an object with another.
    return rows.map(({ id, data }) => ({ kind, id, workOrderId, data: JSON.parse(data) as T }));
  }

  async hoursUsage(workOrderId: string, filter: { caseId?: string } = {}): Promise<HoursUsage[]> {
    const byCase = filter.caseId === undefined ? '' : ` and caseId eq '${esc(filter.caseId)}'`;
    const query = `PartitionKey eq '${esc(workOrderId)}' and RowKey ge 'usage|' and RowKey lt 'usage}'${byCase}`;
    const out: HoursUsage[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: query } }))
      out.push(JSON.parse(String(row['usage'])) as HoursUsage);
    return out;
  }

  private workOrderEntity(view: WorkOrderView) {
    return {
      partitionKey: view.id,
      rowKey: 'workOrder',
      customerId: view.customerId,
      status: view.status,
      view: JSON.stringify(view),
    };
  }

  private async commit(
    view: WorkOrderView,
    main: TransactionAction,
    change: WorkOrderChange,
    verb: string,
  ): Promise<string> {
    const pk = view.id;
    // Lookup rows are written first (idempotent) so a request or booking never exists without one.
    for (const request of change.requests ?? [])
      await this.table.upsertEntity({ partitionKey: `request|${request.id}`, rowKey: '', workOrderId: pk }, 'Replace');
    for (const resource of change.resources ?? [])
      await this.table.upsertEntity(
        { partitionKey: `${resource.kind}|${resource.id}`, rowKey: '', workOrderId: pk },
        'Replace',
      );
    const actions: TransactionAction[] = [
      main,
      ...(change.ledger ?? []).map((entry): TransactionAction => [
        'create',
        { partitionKey: pk, rowKey: `ledger|${utc(entry.at)}|${randomUUID()}`, ...ledgerFields(entry) },
      ]),
      ...(change.requests ?? []).map((request): TransactionAction => [
        'upsert',
        { partitionKey: pk, rowKey: `request|${request.id}`, status: request.status, request: JSON.stringify(request) },
        'Replace',
      ]),
      ...(change.resources ?? []).map((resource): TransactionAction => [
        'upsert',
        { partitionKey: pk, rowKey: `${resource.kind}|${resource.id}`, data: JSON.stringify(resource.data) },
        'Replace',
      ]),
      ...(change.usage ?? []).map((usage): TransactionAction => [
        'create',
        {
          partitionKey: pk,
          rowKey: `usage|${utc(usage.recordedAt)}|${nextSequence()}|${usage.id}`,
          caseId: usage.caseId ?? '',
          usage: JSON.stringify(usage),
        },
      ]),
      ...(change.timeline ?? []).map((entry, n): TransactionAction => [
        'upsert',
        {
          partitionKey: pk,
          rowKey: `timeline|${utc(entry.at)}|${entry.key ? `key-${encodeURIComponent(entry.key)}` : `${nextSequence()}|${n}`}`,
          at: entry.at,
          kind: entry.kind,
          rule: entry.rule ?? '',
          detail: entry.detail,
        },
        'Replace',
      ]),
    ];
    if (actions.length > MAX_TRANSACTION_ACTIONS) return this.commitInSteps(pk, actions, verb);
    return this.submit(pk, actions, verb, true);
  }

  /**
   * A change of more than 100 rows (a termination cancelling dozens of requests) does not fit one transaction. The
   * Work Order row, as many rows as fit and the rest written down in `pending|` rows commit together, guarded by the
   * ETag; the rest is then written as idempotent upserts and its pending rows deleted. If the process dies in between,
   * the next reader of the Work Order finishes it: the Work Order row names the pending change until its next write.
   */
  private async commitInSteps(pk: string, actions: TransactionAction[], verb: string): Promise<string> {
    const [main, ...rows] = actions as [TransactionAction, ...TransactionAction[]];
    const changeId = `${new Date().toISOString()}|${randomUUID()}`; // pending changes finish in the order they were made
    // Replays of the rest must be idempotent: its creates (fresh keys) become upserts.
    const replayable = (action: TransactionAction): TransactionAction =>
      action[0] === 'create' ? ['upsert', action[1], 'Replace'] : action;
    const restOf = (inFirst: number) =>
      chunks(JSON.stringify(rows.slice(inFirst).map(replayable)), PENDING_SEGMENT_CHARS);
    let inFirst = MAX_TRANSACTION_ACTIONS - 1;
    let segments = restOf(inFirst);
    // Each pending row takes a place in the first transaction: make room until the rest fits the rows it needs.
    while (1 + segments.length + inFirst > MAX_TRANSACTION_ACTIONS) {
      inFirst = MAX_TRANSACTION_ACTIONS - 1 - segments.length;
      segments = restOf(inFirst);
    }
    const marked = main.map((part, n) =>
      n === 1 ? { ...(part as object), pendingChange: changeId } : part,
    ) as unknown as TransactionAction;
    const pending = segments.map((segment, n): TransactionAction => [
      'create',
      { partitionKey: pk, rowKey: `pending|${changeId}|${String(n).padStart(5, '0')}`, actions: segment },
    ]);
    const etag = await this.submit(pk, [marked, ...pending, ...rows.slice(0, inFirst)], verb);
    await this.finishPending(pk);
    return etag;
  }

  /**
   * A row of a Work Order's partition as its last change left it: the Work Order row is read alongside, and a change
   * that died between its steps (the row names it) is finished before the row is read again.
   */
  private async readSettled(pk: string, rowKey: string): Promise<Record<string, unknown> | undefined> {
    const [workOrder, row] = await Promise.all([this.read(pk, 'workOrder'), this.read(pk, rowKey)]);
    if (!workOrder?.['pendingChange']) return row;
    await this.finishPending(pk);
    return this.read(pk, rowKey);
  }

  /** Writes what pending changes of a Work Order still hold, then deletes them (idempotent: readers may race). */
  private async finishPending(pk: string): Promise<void> {
    // The Work Order row names its change until its next write, so its ETag does not tell whether the rest is written.
    this.etags.delete(pk);
    const filter = `PartitionKey eq '${esc(pk)}' and RowKey ge 'pending|' and RowKey lt 'pending}'`;
    const changes = new Map<string, Array<{ rowKey: string; actions: string }>>();
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const rowKey = String(row['rowKey']);
      const changeId = rowKey.slice('pending|'.length, rowKey.lastIndexOf('|'));
      changes.set(changeId, [...(changes.get(changeId) ?? []), { rowKey, actions: String(row['actions']) }]);
    }
    for (const segments of changes.values()) {
      const rest = JSON.parse(segments.map((s) => s.actions).join('')) as TransactionAction[];
      for (let i = 0; i < rest.length; i += MAX_TRANSACTION_ACTIONS)
        await this.table.submitTransaction(rest.slice(i, i + MAX_TRANSACTION_ACTIONS));
      try {
        await this.table.submitTransaction(
          segments.map(({ rowKey }): TransactionAction => ['delete', { partitionKey: pk, rowKey }]),
        );
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error; // another reader finished it
      }
    }
  }

  /** `whole`: the transaction holds the whole change, so the Work Order's new ETag stands for all of its rows. */
  private async submit(pk: string, actions: TransactionAction[], verb: string, whole = false): Promise<string> {
    try {
      const result = await this.table.submitTransaction(actions);
      const etag = result.subResponses[0]?.etag ?? '';
      if (etag && whole) this.saw(pk, etag);
      else this.etags.delete(pk);
      return etag;
    } catch (error) {
      this.etags.delete(pk); // whether it was written is unknown: storage is read again
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 409)
        throw new WorkOrderConflict(`Work Order ${pk} could not be ${verb}: it changed meanwhile or already exists.`);
      throw error;
    }
  }

  private read(pk: string, rk: string): Promise<Record<string, unknown> | undefined> {
    return readEntity(this.table, pk, rk);
  }
}

function ledgerFields(entry: LedgerEntry) {
  return {
    at: entry.at,
    kind: entry.kind,
    country: entry.country,
    credits: entry.credits,
    balanceAfter: entry.balanceAfter,
    serviceCode: entry.serviceCode ?? '',
  };
}

/** An entity-group transaction holds at most 100 operations. */
const MAX_TRANSACTION_ACTIONS = 100;
/** A string property holds at most 64 KiB: 30,000 UTF-16 characters stay under it. */
const PENDING_SEGMENT_CHARS = 30_000;

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

let sequence = 0;
const processTag = randomUUID().slice(0, 8);
/** Keeps entries written at the same instant in write order (within a process; time orders across processes). */
function nextSequence(): string {
  sequence += 1;
  return `${String(sequence).padStart(12, '0')}-${processTag}`;
}

/** Timeline row keys sort by UTC instant whatever offset the source used. */
export function utc(at: string): string {
  return new Date(at).toISOString();
}

const esc = odataString;
const TIMELINE = 'timeline|';
/** Sorts after every timeline RowKey. */
const END = 'timeline}';
/** The first window of a timeline page; each next one is four times as long. */
const TIMELINE_WINDOW_MS = 86_400_000;
/** Past this instant ISO strings change shape (+0100000-…), so the window becomes open-ended. */
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** The instant a timeline RowKey (or row) begins with, when it has one. */
function instantOf(rowOrKey: string | Record<string, unknown> | undefined): number | undefined {
  const rowKey = typeof rowOrKey === 'string' ? rowOrKey : rowOrKey ? String(rowOrKey['rowKey']) : '';
  const at = Date.parse(rowKey.slice(TIMELINE.length, TIMELINE.length + 24));
  return Number.isFinite(at) ? at : undefined;
}
/** Work Orders whose last seen ETag (and resources read at it) are kept in memory. */
const CACHED_WORK_ORDERS = 10_000;

/** A token this API issued (functions/http checked its shape); anything else starts from the beginning. */
function decodeToken(token: string): { nextPartitionKey: string; nextRowKey: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
    const { nextPartitionKey, nextRowKey } = parsed;
    return typeof nextPartitionKey === 'string' && typeof nextRowKey === 'string'
      ? { nextPartitionKey, nextRowKey }
      : undefined;
  } catch {
    return undefined;
  }
}

const workOrderRow = z.object({ view: z.string().transform((text) => JSON.parse(text) as WorkOrderView) }).loose();

const timelineRow = z
  .object({ at: z.string(), kind: z.string(), rule: z.string().optional(), detail: z.string() })
  .loose()
  .transform(({ at, kind, rule, detail }): TimelineEntry => ({ at, kind, ...(rule ? { rule } : {}), detail }));
