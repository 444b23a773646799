// The IncidentTable of commit 41baa49^ (before incidents had partitions of their own), unchanged but for its name
// and import paths: it writes the old layout that tools/migrateIncidentPartitions.ts moves (a test fixture).
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { odataString, readEntity } from '../../infra/tables/tableRows';
import type { FoldCursor, IncidentRecord } from '../../domain/incidents/arrival';
import type { Incident } from '../../domain/incidents/incident';
import type { KeptEvent } from '../../domain/incidents/incidentFold';
import {
  ConcurrencyConflict,
  type AwaitingOpen,
  type IncidentPage,
  type IncidentStore,
  type StoredIncident,
  type TimelineEntry,
} from '../../domain/incidents/incidentStore';
import type { TicketEvent } from '../../domain/incidents/ticketEvent';

/**
 * Incidents in Table Storage, in the `WorkOrders` table beside their Work Order. Keys (one Work Order = one
 * partition, so an incident change, the event that caused it and its timeline entries commit in one entity-group
 * transaction):
 *   PK = workOrderId   RK = incident|{incidentId}       the incident (JSON), where its fold stands (JSON), status and
 *                                                      firstResponseState for filtering; status awaitingOpen while
 *                                                      its events are held for an IncidentOpened not yet arrived
 *   PK = workOrderId   RK = ievent|{incidentId}|{eventId}   one kept event (URI-encoded ids), as received
 *   PK = workOrderId   RK = timeline|{at}|{incidentId}|{n}  timeline entries of the Work Order
 *   PK = incident|{incidentId}  RK = ''                lookup: incident ID → Work Order (written once, on open)
 */
export class IncidentTableBeforePartitions implements IncidentStore {
  constructor(private readonly table: TableClient) {}

  async get(incidentId: string): Promise<StoredIncident | undefined> {
    const workOrderId = await this.workOrderOf(incidentId);
    const found = workOrderId ? await this.getIn(workOrderId, incidentId) : undefined;
    return found && 'incident' in found ? found : undefined;
  }

  async getIn(workOrderId: string, incidentId: string): Promise<StoredIncident | AwaitingOpen | undefined> {
    const row = await this.read(workOrderId, incidentKey(incidentId));
    if (!row) return undefined;
    const parsed = incidentRow.parse(row);
    const etag = String(row['etag']);
    const record: IncidentRecord = { incidentId, workOrderId, incident: parsed.incident, cursor: parsed.fold };
    if (!parsed.incident) return { awaitingOpen: true, record, etag };
    return { incident: parsed.incident, record, etag };
  }

  async workOrderOf(incidentId: string): Promise<string | undefined> {
    const row = await this.read(`incident|${incidentId}`, '');
    return row ? String(row['workOrderId']) : undefined;
  }

  async events(workOrderId: string, incidentId: string): Promise<KeptEvent[]> {
    const prefix = eventPrefix(incidentId);
    const filter = `PartitionKey eq '${odataString(workOrderId)}' and RowKey gt '${odataString(prefix)}' and RowKey lt '${odataString(prefix.slice(0, -1))}}'`;
    const events: KeptEvent[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      events.push(eventRow.parse(row));
    return events;
  }

  async hasEvent(workOrderId: string, incidentId: string, eventId: string): Promise<boolean> {
    return (await this.read(workOrderId, eventKey(incidentId, eventId))) !== undefined;
  }

  async keep(
    record: IncidentRecord,
    kept: KeptEvent,
    options: { etag?: string; opened: boolean; timeline: TimelineEntry[] },
  ): Promise<string> {
    const pk = record.workOrderId;
    const entity = incidentEntity(record);
    const { event } = kept;
    const actions: TransactionAction[] = [
      options.etag ? ['update', entity, 'Replace', { etag: options.etag }] : ['create', entity],
      [
        'create',
        {
          partitionKey: pk,
          rowKey: eventKey(record.incidentId, event.eventId),
          eventId: event.eventId,
          incidentId: record.incidentId,
          type: event.type,
          occurredAt: event.occurredAt,
          receivedAt: kept.receivedAt,
          messageId: kept.messageId,
          event: JSON.stringify(event),
        },
      ],
      // Keyed by the event that caused them: as unique as the event's row, so a plain create will do.
      ...options.timeline.map((entry, n) =>
        timelineAction(pk, entry, record.incidentId, encodeURIComponent(event.eventId), n, 'create'),
      ),
    ];
    if (options.opened) {
      // Lookup row first: harmless if the transaction then fails, and it must exist before anyone can read by ID.
      await this.table.upsertEntity(
        { partitionKey: `incident|${record.incidentId}`, rowKey: '', workOrderId: pk },
        'Replace',
      );
    }
    return this.commit(record.incidentId, actions, entity.rowKey, pk);
  }

  async save(incident: Incident, options: { etag: string; timeline: TimelineEntry[] }): Promise<string> {
    const pk = incident.workOrderId;
    const entity = {
      partitionKey: pk,
      rowKey: incidentKey(incident.incidentId),
      incident: JSON.stringify(incident),
      firstResponseState: incident.firstResponse.state,
      status: incident.status,
    };
    // Merge: where the fold stands is left as it is.
    const actions: TransactionAction[] = [
      ['update', entity, 'Merge', { etag: options.etag }],
      ...options.timeline.map((entry, n) => timelineAction(pk, entry, incident.incidentId, entry.kind, n, 'upsert')),
    ];
    return this.commit(incident.incidentId, actions, entity.rowKey, pk);
  }

  async release(
    workOrderId: string,
    incidentId: string,
    options: { etag: string; eventIds: string[]; timeline: TimelineEntry },
  ): Promise<boolean> {
    // The place is emptied under its ETag together with its events (a transaction cannot delete by ETag), then
    // removed; an empty place left by a crash in between is the same as none.
    const empty: IncidentRecord = {
      incidentId,
      workOrderId,
      incident: null,
      cursor: { count: 0, last: null, context: null },
    };
    const actions: TransactionAction[] = [
      ['update', incidentEntity(empty), 'Replace', { etag: options.etag }],
      ...options.eventIds.map((eventId): TransactionAction => [
        'delete',
        { partitionKey: workOrderId, rowKey: eventKey(incidentId, eventId) },
      ]),
      timelineAction(workOrderId, options.timeline, incidentId, 'released', 0, 'upsert'),
    ];
    let etag: string | undefined;
    try {
      etag = (await this.table.submitTransaction(actions)).subResponses[0]?.etag;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 404) return false;
      throw error;
    }
    try {
      await this.table.deleteEntity(workOrderId, incidentKey(incidentId), etag ? { etag } : {});
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 412 && status !== 404) throw error;
    }
    return true;
  }

  /** One entity-group transaction; a stale ETag or an existing row means the incident changed meanwhile. */
  private async commit(incidentId: string, actions: TransactionAction[], rowKey: string, pk: string): Promise<string> {
    try {
      const first = (await this.table.submitTransaction(actions)).subResponses[0];
      return first?.etag ?? (await this.read(pk, rowKey))?.['etag']?.toString() ?? '';
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 409 || status === 404)
        throw new ConcurrencyConflict(`Incident ${incidentId} changed meanwhile.`);
      throw error;
    }
  }

  async listByWorkOrder(
    workOrderId: string,
    options: { firstResponseState?: string; limit: number; continuationToken?: string },
  ): Promise<IncidentPage> {
    const filter = [`PartitionKey eq '${escape(workOrderId)}'`, `RowKey ge 'incident|'`, `RowKey lt 'incident}'`];
    if (options.firstResponseState) filter.push(`firstResponseState eq '${escape(options.firstResponseState)}'`);
    if (!options.firstResponseState) filter.push(`status ne '${AWAITING_OPEN}'`);
    const pages = this.table
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: filter.join(' and ') } })
      .byPage({
        maxPageSize: options.limit,
        continuationToken: options.continuationToken,
      });
    const page = await pages.next();
    if (page.done) return { items: [], continuationToken: null };
    const items = page.value.flatMap((row) => incidentRow.parse(row).incident ?? []);
    return { items, continuationToken: page.value.continuationToken ?? null };
  }

  private read(pk: string, rk: string): Promise<Record<string, unknown> | undefined> {
    return readEntity(this.table, pk, rk);
  }
}

const AWAITING_OPEN = 'awaitingOpen';
const json = <T>() => z.string().transform((text) => JSON.parse(text) as T);

const incidentRow = z
  .object({
    incident: z
      .string()
      .optional()
      .transform((text) => (text ? (JSON.parse(text) as Incident) : null)),
    fold: json<FoldCursor>(),
  })
  .loose();

const eventRow = z
  .object({ event: json<TicketEvent>(), receivedAt: z.string(), messageId: z.string() })
  .loose()
  .transform((row): KeptEvent => ({ event: row.event, receivedAt: row.receivedAt, messageId: row.messageId }));

function incidentEntity(record: IncidentRecord) {
  const incident = record.incident;
  return {
    partitionKey: record.workOrderId,
    rowKey: incidentKey(record.incidentId),
    incident: incident ? JSON.stringify(incident) : '',
    fold: JSON.stringify(record.cursor),
    firstResponseState: incident?.firstResponse.state ?? '',
    status: incident?.status ?? AWAITING_OPEN,
  };
}

function timelineAction(
  pk: string,
  entry: TimelineEntry,
  incidentId: string,
  cause: string,
  n: number,
  verb: 'create' | 'upsert',
): TransactionAction {
  const entity = {
    partitionKey: pk,
    rowKey: `timeline|${new Date(entry.at).toISOString()}|${incidentId}|${cause}|${n}`,
    ...entry,
    rule: entry.rule ?? '',
  };
  return verb === 'create' ? ['create', entity] : ['upsert', entity, 'Replace'];
}

const incidentKey = (incidentId: string) => `incident|${incidentId}`;
const eventPrefix = (incidentId: string) => `ievent|${encodeURIComponent(incidentId)}|`;
const eventKey = (incidentId: string, eventId: string) => `${eventPrefix(incidentId)}${encodeURIComponent(eventId)}`;
const escape = odataString;
