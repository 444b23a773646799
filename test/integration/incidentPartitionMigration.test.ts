import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import { arrive, type IncidentRecord } from '../../domain/incidents/arrival';
import type { KeptEvent } from '../../domain/incidents/incidentFold';
import { ticketEventSchema } from '../../domain/incidents/ticketEvent';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import type { RunningAzurite } from '../../infra/local/azurite';
import { migrateIncidentPartitions, type MigrationReport } from '../../infra/tables/incidentPartitionMigration';
import { IncidentTable } from '../../infra/tables/incidentTable';
import { WorkOrderTable } from '../../infra/tables/workOrderTable';
import { startTestAzurite } from '../support/azurite';
import { IncidentTableBeforePartitions } from '../support/incidentTableBeforePartitions';
import { workOrderBody } from '../support/workOrderFixtures';
import { incidentOpenedBody } from '../support/incidentFixtures';

/**
 * A store written before incidents had partitions of their own (commit 41baa49) is moved into them by
 * tools/migrateIncidentPartitions.ts: afterwards the current IncidentTable and WorkOrderTable find every incident,
 * kept event and timeline entry as the old build did.
 */
describe('incident partition migration on Azurite', () => {
  let azurite: RunningAzurite;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });
  afterAll(async () => azurite?.stop());

  let tableCount = 0;
  const newTable = async () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, `MigrateWorkOrders${(tableCount += 1)}`, {
      allowInsecureConnection: true,
    });
    await table.createTable();
    return table;
  };

  const context = {
    coverage: { plans: ['BASE' as const] },
    calendar: supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' }),
  };

  /** Feeds events to a store the way app/ingestion does (in order, so no history is needed). */
  async function ingest(
    store: IncidentTableBeforePartitions | IncidentTable,
    events: Array<Record<string, unknown>>,
  ): Promise<void> {
    const state = new Map<string, { record: IncidentRecord; etag: string }>();
    for (const raw of events) {
      const event = ticketEventSchema.parse(raw);
      const kept: KeptEvent = { event, receivedAt: event.occurredAt, messageId: `msg-${event.eventId}` };
      const before = state.get(event.incidentId);
      const arrival = arrive({
        record: before?.record,
        arriving: kept,
        openerContext: event.type === 'IncidentOpened' ? context : undefined,
      });
      const etag = await store.keep(arrival.record, kept, {
        etag: before?.etag,
        opened: arrival.record.incident !== null && !before?.record.incident,
        timeline: arrival.timeline,
      });
      state.set(event.incidentId, { record: arrival.record, etag });
    }
  }

  const severity = (workOrderId: string, incidentId: string, n: number, at: string) => ({
    eventId: `sev-${incidentId}-${n}`,
    type: 'SeverityChanged',
    occurredAt: at,
    incidentId,
    workOrderId,
    severity: n % 2 ? 'A' : 'C',
  });
  const firstResponse = (workOrderId: string, incidentId: string, at: string) => ({
    eventId: `fr-${incidentId}`,
    type: 'FirstResponse',
    occurredAt: at,
    incidentId,
    workOrderId,
    automated: false,
  });
  const minutes = (n: number) => new Date(Date.parse('2027-03-02T10:00:00Z') + n * 60_000).toISOString();

  /**
   * Two Work Orders written by the old build: three opened incidents (one with 110 severity changes, more rows than
   * one transaction holds) and one awaiting its IncidentOpened, with the Work Orders' own timeline entries.
   */
  async function oldStore(table: TableClient): Promise<void> {
    const workOrders = new WorkOrderTable(table);
    for (const id of ['wo-a', 'wo-b'])
      await workOrders.create(acceptWorkOrder(workOrderBody({ number: `WO-${id}` }), { id, asOf: '2026-12-15' }), {
        timeline: [{ at: '2027-03-01T08:00:00Z', kind: 'workOrderCreated', detail: id }],
      });
    const old = new IncidentTableBeforePartitions(table);
    await ingest(old, [
      incidentOpenedBody('wo-a', 'INC-1', minutes(0)),
      severity('wo-a', 'INC-1', 1, minutes(5)),
      firstResponse('wo-a', 'INC-1', minutes(20)),
      incidentOpenedBody('wo-a', 'INC-2', minutes(30)),
      incidentOpenedBody('wo-b', 'INC-3', minutes(1)),
      ...Array.from({ length: 110 }, (_, n) => severity('wo-b', 'INC-3', n, minutes(2 + n))),
      // Held: no IncidentOpened yet.
      severity('wo-b', 'INC-4', 1, minutes(40)),
    ]);
    const stored = (await workOrders.get('wo-a'))!;
    await workOrders.update(stored.workOrder, stored.etag, {
      timeline: [{ at: minutes(25), kind: 'between', detail: 'own entry among the incidents’' }],
    });
  }

  /** What the old build answered, read the old way (the old store's rows), and what the new build answers. */
  async function snapshot(table: TableClient, store: 'old' | 'new') {
    const incidents = store === 'old' ? new IncidentTableBeforePartitions(table) : new IncidentTable(table);
    const workOrders = new WorkOrderTable(table);
    const ids = { 'wo-a': ['INC-1', 'INC-2'], 'wo-b': ['INC-3', 'INC-4'] };
    const result: Record<string, unknown> = {};
    for (const [workOrderId, incidentIds] of Object.entries(ids)) {
      result[`${workOrderId} timeline`] = (await workOrders.timeline(workOrderId, { limit: 500 })).items;
      result[`${workOrderId} list`] = (await incidents.listByWorkOrder(workOrderId, { limit: 100 })).items;
      for (const incidentId of incidentIds) {
        const found = await incidents.getIn(workOrderId, incidentId);
        result[incidentId] = found && ('incident' in found ? found.incident : { awaitingOpen: found.record });
        result[`${incidentId} events`] = await incidents.events(workOrderId, incidentId);
        result[`${incidentId} get`] = (await incidents.get(incidentId))?.incident ?? null;
      }
    }
    return result;
  }

  const rowKeys = async (table: TableClient) => {
    const keys: string[] = [];
    for await (const row of table.listEntities()) keys.push(`${row.partitionKey} ${row.rowKey} ${row.etag}`);
    return keys.sort();
  };
  const oldLayoutRows = async (table: TableClient) =>
    (await rowKeys(table)).filter((key) => {
      const [pk, rk] = key.split(' ') as [string, string];
      if (pk.includes('|')) return false;
      return /^(incident|ievent)\|/.test(rk) || (rk.startsWith('timeline|') && rk.split('|').length === 5);
    });

  const moved = (report: MigrationReport) => ({
    workOrdersScanned: report.workOrdersScanned,
    incidentsMoved: report.incidentsMoved,
    eventsMoved: report.eventsMoved,
    timelineEntriesMoved: report.timelineEntriesMoved,
    conflicts: report.conflicts,
  });

  it('moves every incident, kept event and timeline entry: the new build reads what the old one did, old rows gone', async () => {
    const table = await newTable();
    await oldStore(table);
    const before = await snapshot(table, 'old');
    const timelineRows = (await oldLayoutRows(table)).filter((key) => key.includes(' timeline|')).length;
    expect(before['INC-3 events']).toHaveLength(111);
    expect(before['INC-4']).toMatchObject({ awaitingOpen: { incident: null } });
    expect((before['wo-a list'] as unknown[]).length).toBe(2);
    // The invisible data the migration is for: the new build does not find the old build's incidents.
    expect(await new IncidentTable(table).get('INC-1')).toBeUndefined();

    const dry = await migrateIncidentPartitions(table, { dryRun: true });
    const expected = {
      workOrdersScanned: 2,
      incidentsMoved: 4,
      eventsMoved: 3 + 1 + 111 + 1,
      timelineEntriesMoved: timelineRows,
      conflicts: 0,
    };
    expect(dry.dryRun).toBe(true);
    expect(moved(dry)).toEqual(expected);

    const report = await migrateIncidentPartitions(table);
    expect(report.dryRun).toBe(false);
    expect(moved(report)).toEqual(expected);
    expect(await oldLayoutRows(table)).toEqual([]);
    expect(await snapshot(table, 'new')).toEqual(before);
    expect((await new IncidentTable(table).get('INC-3'))?.incident.severity).toBe('A');

    const second = await migrateIncidentPartitions(table);
    expect(moved(second)).toEqual({
      workOrdersScanned: 2,
      incidentsMoved: 0,
      eventsMoved: 0,
      timelineEntriesMoved: 0,
      conflicts: 0,
    });
  });

  it('a dry run changes nothing', async () => {
    const table = await newTable();
    await oldStore(table);
    const rows = await rowKeys(table);
    const report = await migrateIncidentPartitions(table, { dryRun: true });
    expect(report.incidentsMoved).toBe(4);
    expect(await rowKeys(table)).toEqual(rows);
    // A store without the table at all: nothing to move, and no table created.
    const missing = TableClient.fromConnectionString(azurite.connectionString, 'MigrateNeverCreated', {
      allowInsecureConnection: true,
    });
    expect(moved(await migrateIncidentPartitions(missing))).toEqual({
      workOrdersScanned: 0,
      incidentsMoved: 0,
      eventsMoved: 0,
      timelineEntriesMoved: 0,
      conflicts: 0,
    });
  });

  it('finishes a run that crashed after copying an incident, while deleting its old rows', async () => {
    const table = await newTable();
    await oldStore(table);
    const before = await snapshot(table, 'old');
    // The crash: INC-3's rows (incident, 111 events, their timeline entries) copied as the migration copies them.
    for await (const row of table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq 'wo-b'` },
    })) {
      const rk = String(row.rowKey);
      if (!rk.startsWith('incident|INC-3') && !rk.startsWith('ievent|INC-3|') && !/^timeline\|[^|]+\|INC-3\|/.test(rk))
        continue;
      const { etag: _etag, timestamp: _timestamp, ...rest } = row;
      await table.createEntity({ ...rest, partitionKey: 'wo-b|INC-3', rowKey: rk });
    }
    // …and after deleting the first of its old rows (events first; the old incident row goes last).
    const oldEvents = (await oldLayoutRows(table)).filter((key) => key.startsWith('wo-b ievent|INC-3|'));
    for (const key of oldEvents.slice(0, 50)) await table.deleteEntity('wo-b', key.split(' ')[1]!);
    const report = await migrateIncidentPartitions(table);
    expect(report.conflicts).toBe(0);
    expect(report.incidentsMoved).toBe(4);
    expect(await oldLayoutRows(table)).toEqual([]);
    expect(await snapshot(table, 'new')).toEqual(before);
  });

  it('keeps an incident the new build wrote in the new partition, reports the conflict and leaves the old rows', async () => {
    const table = await newTable();
    await oldStore(table);
    const before = await snapshot(table, 'old');
    // The new build ran on the old store first and opened INC-2 again (its events went to the new partition).
    await ingest(new IncidentTable(table), [
      { ...incidentOpenedBody('wo-a', 'INC-2', minutes(50)), eventId: 'open-INC-2-again', description: 'newer' },
    ]);
    const newer = (await new IncidentTable(table).get('INC-2'))!.incident;
    const oldIncident2 = (await oldLayoutRows(table)).filter((key) => /\|INC-2\b/.test(key));
    expect(oldIncident2.length).toBeGreaterThan(1);

    const report = await migrateIncidentPartitions(table);
    expect(report.conflicts).toBe(1);
    expect(report.conflictDetails).toEqual([
      expect.objectContaining({ workOrderId: 'wo-a', incidentId: 'INC-2', rowKey: 'incident|INC-2' }),
    ]);
    expect(report.incidentsMoved).toBe(3);
    expect((await new IncidentTable(table).get('INC-2'))?.incident).toEqual(newer);
    expect(await oldLayoutRows(table)).toEqual(oldIncident2);
    // The others moved as usual.
    expect((await new IncidentTable(table).get('INC-1'))?.incident).toEqual(before['INC-1']);
    expect(await new IncidentTable(table).events('wo-b', 'INC-3')).toEqual(before['INC-3 events']);
    // A rerun reports the same conflict and moves nothing else.
    const again = await migrateIncidentPartitions(table);
    expect([again.incidentsMoved, again.eventsMoved, again.conflicts]).toEqual([0, 0, 1]);
  });
});
