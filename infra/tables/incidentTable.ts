import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { odataString, readEntity } from './tableRows';
import type { Incident } from '../../domain/incidents/incident';
import {
  ConcurrencyConflict,
  type AwaitingOpen,
  type HeldTicketEvent,
  type IncidentPage,
  type IncidentStore,
  type StoredIncident,
  type TimelineEntry,
} from '../../domain/incidents/incidentStore';

/**
 * Incidents in Table Storage, in the `WorkOrders` table beside their Work Order. Keys (one Work Order = one partition, so an incident change, its processed-event
 * marker and its timeline entries commit in one entity-group transaction):
 *   PK = workOrderId   RK = incident|{incidentId}       the incident (JSON) + firstResponseState for filtering; before its
 *                                                      IncidentOpened arrives, the events held for it (status awaitingOpen)
 *   PK = workOrderId   RK = event|{eventId}             processed ticket event
 *   PK = workOrderId   RK = timeline|{at}|{incidentId}|{n}  timeline entries of the Work Order
 *   PK = incident|{incidentId}  RK = ''                lookup: incident ID → Work Order (written once, on open)
 */
export class IncidentTable implements IncidentStore {
  constructor(private readonly table: TableClient) {}

  async get(incidentId: string): Promise<StoredIncident | undefined> {
    const workOrderId = await this.workOrderOf(incidentId);
    const found = workOrderId ? await this.getIn(workOrderId, incidentId) : undefined;
    return found && 'incident' in found ? found : undefined;
  }

  async getIn(workOrderId: string, incidentId: string): Promise<StoredIncident | AwaitingOpen | undefined> {
    const row = await this.read(workOrderId, incidentKey(incidentId));
    if (!row) return undefined;
    if (row['status'] === AWAITING_OPEN)
      return { awaitingOpen: true, held: heldRow.parse(row).held, etag: String(row['etag']) };
    return { incident: incidentRow.parse(row).incident, etag: String(row['etag']) };
  }

  async hold(
    workOrderId: string,
    incidentId: string,
    held: HeldTicketEvent[],
    options: { etag?: string; timeline: TimelineEntry },
  ): Promise<void> {
    const entity = {
      partitionKey: workOrderId,
      rowKey: incidentKey(incidentId),
      status: AWAITING_OPEN,
      firstResponseState: '',
      held: JSON.stringify(held),
    };
    const latest = held.at(-1);
    await this.commit(incidentId, [
      options.etag ? ['update', entity, 'Replace', { etag: options.etag }] : ['create', entity],
      timelineAction(workOrderId, options.timeline, incidentId, latest?.event.eventId ?? 'held', 0, 'upsert'),
    ]);
  }

  async isProcessed(workOrderId: string, eventId: string): Promise<boolean> {
    return (await this.read(workOrderId, eventKey(eventId))) !== undefined;
  }

  async release(
    workOrderId: string,
    incidentId: string,
    options: { etag: string; timeline: TimelineEntry },
  ): Promise<boolean> {
    try {
      await this.table.deleteEntity(workOrderId, incidentKey(incidentId), { etag: options.etag });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 404) return false;
      throw error;
    }
    // After the delete: a crash in between loses only this entry; the rejections are the record.
    await this.table.submitTransaction([
      timelineAction(workOrderId, options.timeline, incidentId, 'released', 0, 'upsert'),
    ]);
    return true;
  }

  async save(
    incident: Incident,
    options: { etag?: string; opened?: boolean; eventIds?: string[]; timeline: TimelineEntry[] },
  ): Promise<string> {
    const pk = incident.workOrderId;
    const entity = {
      partitionKey: pk,
      rowKey: incidentKey(incident.incidentId),
      incident: JSON.stringify(incident),
      firstResponseState: incident.firstResponse.state,
      status: incident.status,
    };
    const actions: TransactionAction[] = [
      options.etag ? ['update', entity, 'Replace', { etag: options.etag }] : ['create', entity],
    ];
    for (const eventId of options.eventIds ?? [])
      actions.push(['create', { partitionKey: pk, rowKey: eventKey(eventId), incidentId: incident.incidentId }]);
    // Keyed by a ticket event, a timeline row is as unique as the event's marker, so a plain create will do.
    const cause = options.eventIds?.[0];
    options.timeline.forEach((entry, n) =>
      actions.push(timelineAction(pk, entry, incident.incidentId, cause ?? entry.kind, n, cause ? 'create' : 'upsert')),
    );
    if (options.opened ?? !options.etag) {
      // Lookup row first: harmless if the transaction then fails, and it must exist before anyone can read by ID.
      await this.table.upsertEntity(
        { partitionKey: `incident|${incident.incidentId}`, rowKey: '', workOrderId: pk },
        'Replace',
      );
    }
    const first = (await this.commit(incident.incidentId, actions))[0];
    return first?.etag ?? (await this.read(pk, entity.rowKey))?.['etag']?.toString() ?? '';
  }

  /** One entity-group transaction; a stale ETag or an existing row means the incident changed meanwhile. */
  private async commit(incidentId: string, actions: TransactionAction[]) {
    try {
      return (await this.table.submitTransaction(actions)).subResponses;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 409) throw new ConcurrencyConflict(`Incident ${incidentId} changed meanwhile.`);
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
    const items = page.value.map((row) => incidentRow.parse(row).incident);
    return { items, continuationToken: page.value.continuationToken ?? null };
  }

  private async workOrderOf(incidentId: string): Promise<string | undefined> {
    const row = await this.read(`incident|${incidentId}`, '');
    return row ? String(row['workOrderId']) : undefined;
  }

  private read(pk: string, rk: string): Promise<Record<string, unknown> | undefined> {
    return readEntity(this.table, pk, rk);
  }
}

const incidentRow = z.object({ incident: z.string().transform((text) => JSON.parse(text) as Incident) }).loose();
const heldRow = z.object({ held: z.string().transform((text) => JSON.parse(text) as HeldTicketEvent[]) }).loose();
const AWAITING_OPEN = 'awaitingOpen';

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
const eventKey = (eventId: string) => `event|${encodeURIComponent(eventId)}`;
const escape = odataString;
