import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrive } from '../../domain/incidents/arrival';
import type { IncidentStore } from '../../domain/incidents/incidentStore';
import { ticketEventSchema } from '../../domain/incidents/ticketEvent';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import type { RunningAzurite } from '../../infra/local/azurite';
import {
  INCIDENT_LAYOUT_VERSION,
  LAYOUT_MARKER_KEY,
  OutdatedStoreError,
  checkIncidentLayout,
  markIncidentLayout,
} from '../../infra/tables/incidentLayout';
import { migrateIncidentPartitions } from '../../infra/tables/incidentPartitionMigration';
import { IncidentTable } from '../../infra/tables/incidentTable';
import { WorkOrderTable } from '../../infra/tables/workOrderTable';
import { startTestAzurite } from '../support/azurite';
import { baseContext, incidentOpenedBody } from '../support/incidentFixtures';
import { IncidentTableBeforePartitions } from '../support/incidentTableBeforePartitions';
import { workOrderBody } from '../support/workOrderFixtures';

/**
 * Issue 18 (nothing acknowledged is lost): a store whose incidents are still in the layout before incident
 * partitions is refused at start, naming the migration, instead of being half-read; a current store is recognised
 * by its layout marker with one point read.
 */
describe('incident layout check on Azurite', () => {
  let azurite: RunningAzurite;
  beforeAll(async () => {
    azurite = await startTestAzurite();
  });
  afterAll(async () => azurite?.stop());

  const now = () => new Date('2027-03-02T10:00:00Z');
  let tableCount = 0;
  /** A client of a table not created yet, with the HTTP requests it sends recorded. */
  const newStore = () => {
    const table = TableClient.fromConnectionString(azurite.connectionString, `LayoutWorkOrders${(tableCount += 1)}`, {
      allowInsecureConnection: true,
    });
    const requests: string[] = [];
    table.pipeline.addPolicy({
      name: 'recordRequests',
      sendRequest: (request, next) => {
        requests.push(`${request.method} ${decodeURIComponent(new URL(request.url).pathname).split('/').pop()}`);
        return next(request);
      },
    });
    return { table, requests };
  };

  const marker = async (table: TableClient) => {
    try {
      return await table.getEntity<Record<string, unknown>>(LAYOUT_MARKER_KEY.partitionKey, LAYOUT_MARKER_KEY.rowKey);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  };

  /** A Work Order and incidents opened on it through `store` (the old build's IncidentTable or the current one). */
  async function storeWith(table: TableClient, store: IncidentStore, incidentIds: string[]): Promise<void> {
    await table.createTable();
    await new WorkOrderTable(table).create(
      acceptWorkOrder(workOrderBody({ number: 'WO-layout' }), { id: 'wo-a', asOf: '2026-12-15' }),
      { timeline: [] },
    );
    for (const incidentId of incidentIds) {
      const event = ticketEventSchema.parse(incidentOpenedBody('wo-a', incidentId, '2027-03-02T09:00:00Z'));
      const kept = { event, receivedAt: event.occurredAt, messageId: `msg-${event.eventId}` };
      const arrival = arrive({ record: undefined, arriving: kept, openerContext: baseContext });
      await store.keep(arrival.record, kept, { opened: true, timeline: arrival.timeline });
    }
  }

  it('an empty store passes and gets the marker; the next start reads only the marker', async () => {
    const { table, requests } = newStore();
    expect(await checkIncidentLayout(table, { now })).toBe('scanned');
    expect(await marker(table)).toMatchObject({
      version: INCIDENT_LAYOUT_VERSION,
      writtenAt: '2027-03-02T10:00:00.000Z',
      writtenBy: expect.stringContaining('app start'),
    });
    requests.length = 0;
    expect(await checkIncidentLayout(table, { now })).toBe('marker');
    expect(requests).toEqual([`GET ${table.tableName}(PartitionKey='$layout',RowKey='incidents')`]);
  });

  it('a store with incidents in their own partitions only passes and gets the marker', async () => {
    const { table } = newStore();
    await storeWith(table, new IncidentTable(table), ['INC-1', 'INC-2']);
    expect(await checkIncidentLayout(table, { now })).toBe('scanned');
    expect((await marker(table))?.['version']).toBe(INCIDENT_LAYOUT_VERSION);
  });

  it('a start that loses the race to write the marker passes, and the marker written first stands', async () => {
    const { table } = newStore();
    await storeWith(table, new IncidentTable(table), ['INC-1']);
    // Another start writes the marker while this one scans.
    const other = TableClient.fromConnectionString(azurite.connectionString, table.tableName, {
      allowInsecureConnection: true,
    });
    table.pipeline.addPolicy({
      name: 'anotherStart',
      sendRequest: async (request, next) => {
        const response = await next(request);
        if (decodeURIComponent(request.url).includes('$filter='))
          await markIncidentLayout(other, { now: () => new Date('2027-03-02T09:59:00Z'), writtenBy: 'another start' });
        return response;
      },
    });
    expect(await checkIncidentLayout(table, { now })).toBe('scanned');
    expect(await marker(table)).toMatchObject({ version: INCIDENT_LAYOUT_VERSION, writtenBy: 'another start' });
  });

  it('a store written before incident partitions is refused, naming the command, until it is migrated', async () => {
    const { table, requests } = newStore();
    await storeWith(table, new IncidentTableBeforePartitions(table), ['INC-1', 'INC-2']);

    const refusal = await checkIncidentLayout(table, { now }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OutdatedStoreError);
    expect((refusal as Error).message).toContain('npm run migrate:incidents');
    expect((refusal as Error).message).toContain('incident INC-1 of Work Order wo-a');
    expect((refusal as Error).message).toContain('Stores written before incident partitions');
    expect(await marker(table)).toBeUndefined();

    // A dry run counts, writes no marker, and the store is still refused.
    const dry = await migrateIncidentPartitions(table, { dryRun: true, now });
    expect([dry.incidentsMoved, dry.layoutMarked]).toEqual([2, false]);
    expect(await marker(table)).toBeUndefined();
    await expect(checkIncidentLayout(table, { now })).rejects.toThrow(OutdatedStoreError);

    const report = await migrateIncidentPartitions(table, { now });
    expect([report.incidentsMoved, report.conflicts, report.layoutMarked]).toEqual([2, 0, true]);
    expect(await marker(table)).toMatchObject({
      version: INCIDENT_LAYOUT_VERSION,
      writtenBy: 'npm run migrate:incidents',
    });
    requests.length = 0;
    expect(await checkIncidentLayout(table, { now })).toBe('marker');
    expect(requests).toHaveLength(1);
    expect((await new IncidentTable(table).get('INC-2'))?.incident.incidentId).toBe('INC-2');
  });

  it('a migration that leaves an incident behind writes no marker', async () => {
    const { table } = newStore();
    await storeWith(table, new IncidentTableBeforePartitions(table), ['INC-1']);
    // The new build ran on the old store first and opened INC-1 again: the migration keeps that one, reports it.
    await new IncidentTable(table).keep(
      {
        incidentId: 'INC-1',
        workOrderId: 'wo-a',
        incident: null,
        cursor: { count: 0, last: null, context: null },
      },
      {
        event: ticketEventSchema.parse({
          ...incidentOpenedBody('wo-a', 'INC-1', '2027-03-02T09:30:00Z'),
          eventId: 'x',
        }),
        receivedAt: '2027-03-02T09:30:00Z',
        messageId: 'msg-x',
      },
      { opened: false, timeline: [] },
    );
    const report = await migrateIncidentPartitions(table, { now });
    expect([report.conflicts, report.layoutMarked]).toEqual([1, false]);
    expect(await marker(table)).toBeUndefined();
    await expect(checkIncidentLayout(table, { now })).rejects.toThrow(/npm run migrate:incidents/);
  });

  it('a migration that finds an old incident of a Work Order without its row reports it and writes no marker', async () => {
    const { table } = newStore();
    await storeWith(table, new IncidentTable(table), []);
    await table.createEntity({ partitionKey: 'wo-gone', rowKey: 'incident|INC-9', status: 'open' });
    const report = await migrateIncidentPartitions(table, { now });
    expect(report.conflictDetails).toEqual([
      expect.objectContaining({ workOrderId: 'wo-gone', incidentId: 'INC-9', rowKey: 'incident|INC-9' }),
    ]);
    expect(report.layoutMarked).toBe(false);
    expect(await marker(table)).toBeUndefined();
  });

  it('a marker of another layout version is refused', async () => {
    const { table } = newStore();
    await table.createTable();
    await table.createEntity({ ...LAYOUT_MARKER_KEY, version: INCIDENT_LAYOUT_VERSION + 1 });
    await expect(checkIncidentLayout(table, { now })).rejects.toThrow(/newer build/);
  });
});
