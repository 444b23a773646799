import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import { arrive } from '../../domain/incidents/arrival';
import { ticketEventSchema } from '../../domain/incidents/ticketEvent';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import type { RunningAzurite } from '../../infra/local/azurite';
import { IncidentTable } from '../../infra/tables/incidentTable';
import { WorkOrderTable } from '../../infra/tables/workOrderTable';
import { startTestAzurite } from '../support/azurite';
import { workOrderBody } from '../support/workOrderFixtures';
import { incidentOpenedBody } from '../support/incidentFixtures';

/**
 * Each incident has its own partition ({workOrderId}|{incidentId}) so no partition grows with a Work Order's
 * incidents; the Work Order's timeline and incident list still read as one, in order, page by page.
 */
describe('incident partitions on Azurite', () => {
  let azurite: RunningAzurite;
  let table: TableClient;
  let workOrders: WorkOrderTable;
  let incidents: IncidentTable;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    table = TableClient.fromConnectionString(azurite.connectionString, 'PartitionWorkOrders', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    workOrders = new WorkOrderTable(table);
    incidents = new IncidentTable(table);
  });
  afterAll(async () => azurite?.stop());

  const open = async (workOrderId: string, incidentId: string, at: string) => {
    const event = ticketEventSchema.parse(incidentOpenedBody(workOrderId, incidentId, at));
    const kept = { event, receivedAt: at, messageId: `msg-${incidentId}` };
    const arrival = arrive({
      arriving: kept,
      openerContext: {
        coverage: { plans: ['BASE'] },
        calendar: supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' }),
      },
    });
    expect(arrival.timeline.length).toBeGreaterThan(0);
    await incidents.keep(arrival.record, kept, { opened: true, timeline: arrival.timeline });
  };

  it("pages one Work Order's timeline oldest first across its own and its incidents' partitions", async () => {
    // 'wo-p' and 'wo-p-2': one id is a prefix of the other, and neither sees the other's entries.
    for (const id of ['wo-p', 'wo-p-2'])
      await workOrders.create(acceptWorkOrder(workOrderBody({ number: `WO-${id}` }), { id, asOf: '2026-12-15' }), {
        timeline: [{ at: '2027-03-01T08:00:00Z', kind: 'workOrderCreated', detail: id }],
      });
    await open('wo-p', 'I-2', '2027-03-03T10:00:00Z');
    await open('wo-p-2', 'J-1', '2027-03-02T10:00:00Z');
    await open('wo-p', 'I-1', '2027-03-02T10:00:00Z');
    const stored = (await workOrders.get('wo-p'))!;
    await workOrders.update(stored.workOrder, stored.etag, {
      timeline: [
        { at: '2027-03-02T12:00:00Z', kind: 'between', detail: 'after I-1, before I-2' },
        { at: '2027-03-04T12:00:00Z', kind: 'last', detail: 'after both' },
      ],
    });

    const whole = (await workOrders.timeline('wo-p', { limit: 500 })).items;
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await workOrders.timeline('wo-p', { limit: 2, continuationToken: token });
      pages.push(page.items.map((e) => `${e.at} ${e.kind}`));
      token = page.continuationToken ?? undefined;
      if (token)
        expect(Object.keys(JSON.parse(Buffer.from(token, 'base64').toString('utf8')))).toEqual([
          'nextPartitionKey',
          'nextRowKey',
        ]);
    } while (token);

    expect(pages.flat()).toEqual(whole.map((e) => `${e.at} ${e.kind}`));
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    const times = whole.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(whole[0]?.kind).toBe('workOrderCreated');
    expect(whole.map((e) => e.detail).join(' ')).toMatch(/I-1.*after I-1, before I-2.*I-2.*after both/);
    expect(whole.some((e) => /J-1|wo-p-2/.test(e.detail))).toBe(false);
  });

  it("lists only the Work Order's incidents, in incident order, and keeps each in a partition of its own", async () => {
    const listed = await incidents.listByWorkOrder('wo-p', { limit: 1 });
    expect(listed.items.map((i) => i.incidentId)).toEqual(['I-1']);
    const rest = await incidents.listByWorkOrder('wo-p', { limit: 10, continuationToken: listed.continuationToken! });
    expect(rest.items.map((i) => i.incidentId)).toEqual(['I-2']);
    expect((await incidents.listByWorkOrder('wo-p-2', { limit: 10 })).items.map((i) => i.incidentId)).toEqual(['J-1']);

    const partitions = new Set<string>();
    for await (const row of table.listEntities({
      queryOptions: { filter: `RowKey ge 'ievent|' and RowKey lt 'ievent}'` },
    }))
      partitions.add(String(row.partitionKey));
    expect([...partitions].sort()).toEqual(['wo-p-2|J-1', 'wo-p|I-1', 'wo-p|I-2']);
    expect((await incidents.get('I-2'))?.incident.workOrderId).toBe('wo-p');
  });

  it("reads a Work Order's bookings again once its row's ETag moved, whichever process changed them", async () => {
    const other = new WorkOrderTable(table); // another instance of the app, on the same storage
    const book = async (store: WorkOrderTable, id: string) => {
      const stored = (await store.get('wo-p'))!;
      await store.update(stored.workOrder, stored.etag, {
        resources: [{ kind: 'aem', id, workOrderId: 'wo-p', data: { id } }],
      });
    };
    const ids = async (store: WorkOrderTable) => {
      await store.get('wo-p');
      return (await store.resources<{ id: string }>('wo-p', 'aem')).map((r) => r.data.id);
    };
    await book(workOrders, 'aem-1');
    expect(await ids(workOrders)).toEqual(['aem-1']);
    expect(await ids(workOrders)).toEqual(['aem-1']);
    await book(other, 'aem-2');
    expect(await ids(workOrders)).toEqual(['aem-1', 'aem-2']);
    await book(workOrders, 'aem-3');
    expect(await ids(other)).toEqual(['aem-1', 'aem-2', 'aem-3']);
    expect(await ids(workOrders)).toEqual(['aem-1', 'aem-2', 'aem-3']);
    // Each call parses its own objects: a caller changing one does not change what the next one reads.
    const first = await workOrders.resources<{ id: string }>('wo-p', 'aem');
    first[0]!.data.id = 'changed';
    expect((await workOrders.resources<{ id: string }>('wo-p', 'aem'))[0]?.data.id).toBe('aem-1');
  });
});
