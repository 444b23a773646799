import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentClock } from '../../domain/incidents/incident';
import { ConcurrencyConflict } from '../../domain/incidents/incidentStore';
import { CLAIM_TAKEOVER_MINUTES, ingestTicketEvent, type IngestionDeps } from '../../app/ingestion';
import { WorkOrderIncidentContext } from '../../domain/incidents/workOrderContext';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import type { RunningAzurite } from '../../infra/local/azurite';
import { DueIndexTable } from '../../infra/tables/dueIndexTable';
import { EventClaimTable } from '../../infra/tables/eventClaimTable';
import { IncidentTable } from '../../infra/tables/incidentTable';
import { RejectionTable } from '../../infra/tables/rejectionTable';
import { WorkOrderTable } from '../../infra/tables/workOrderTable';
import { startTestAzurite } from '../support/azurite';
import { workOrderBody } from '../support/workOrderFixtures';

/**
 * One eventId, one effect, product-wide, on Azurite: the claim in its own partition decides, whichever Work Order
 * and incident a re-sent message names. The durable clock is the only fake (the edge of the Azure cloud).
 */
describe('product-wide eventId claims on Azurite', () => {
  let azurite: RunningAzurite;
  let deps: IngestionDeps;
  let claims: EventClaimTable;
  let incidents: IncidentTable;
  let rejections: RejectionTable;
  let now = new Date('2027-03-05T10:00:00Z');
  const synced: IncidentClock[] = [];

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const client = async (name: string) => {
      const table = TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
      await table.createTable();
      return table;
    };
    const workOrdersTable = await client('ClaimWorkOrders');
    const workOrders = new WorkOrderTable(workOrdersTable);
    for (const [id, customerId] of [
      ['wo-a', 'contoso'],
      ['wo-b', 'fabrikam'],
    ] as const)
      await workOrders.create(
        acceptWorkOrder(workOrderBody({ customerId, number: `WO-${id}` }), { id, asOf: '2026-12-15' }),
      );
    incidents = new IncidentTable(workOrdersTable);
    claims = new EventClaimTable(workOrdersTable);
    rejections = new RejectionTable(await client('ClaimRejections'));
    deps = {
      incidents,
      claims,
      rejections,
      workOrders: new WorkOrderIncidentContext(workOrders),
      lifecycle: { sync: async (clock) => void synced.push(clock) },
      dueIndex: new DueIndexTable(await client('ClaimDueIndex')),
      now: () => now,
    };
  });
  afterAll(async () => azurite?.stop());

  const opened = (workOrderId: string, incidentId: string, eventId: string) => ({
    eventId,
    type: 'IncidentOpened',
    occurredAt: '2027-03-05T10:00:00Z',
    incidentId,
    workOrderId,
    severity: 'B',
    product: { family: 'Azure', service: 'Azure SQL Database' },
    channel: 'phone',
    location: 'NL',
  });
  const rejected = async () => (await rejections.listNewestFirst({ limit: 100 })).items.map((r) => r.messageId);

  it('a re-sent eventId naming another Work Order, or its incident under another Work Order, changes nothing', async () => {
    expect(await ingestTicketEvent(opened('wo-a', 'I-1', 'e-1'), { messageId: 'm1' }, deps)).toMatchObject({
      outcome: 'applied',
    });
    expect(await ingestTicketEvent(opened('wo-b', 'I-2', 'e-1'), { messageId: 'm2' }, deps)).toEqual({
      outcome: 'duplicate',
    });
    const closing = { eventId: 'e-1', type: 'Closed', occurredAt: '2027-03-05T10:05:00Z', incidentId: 'I-1' };
    expect(await ingestTicketEvent({ ...closing, workOrderId: 'wo-b' }, { messageId: 'm3' }, deps)).toEqual({
      outcome: 'duplicate',
    });
    expect(await incidents.getIn('wo-b', 'I-2')).toBeUndefined();
    expect((await incidents.get('I-1'))?.incident.status).toBe('open');
    expect(await rejected()).toEqual([]);
    // The same message delivered again (a redelivery) is the same effect: nothing more is kept.
    expect(await ingestTicketEvent(opened('wo-a', 'I-1', 'e-1'), { messageId: 'm1' }, deps)).toEqual({
      outcome: 'duplicate',
    });
    expect((await incidents.events('wo-a', 'I-1')).map((e) => e.event.eventId)).toEqual(['e-1']);
  });

  it('a claim whose holder kept nothing is waited for while it may be in flight, then taken over', async () => {
    // A message claimed e-2 for wo-b/I-3 and stopped before keeping it (a crash, or dead-lettered).
    expect(await claims.claim('e-2', { workOrderId: 'wo-b', incidentId: 'I-3' }, now.toISOString())).toEqual({
      claimed: true,
    });
    await expect(ingestTicketEvent(opened('wo-a', 'I-4', 'e-2'), { messageId: 'm4' }, deps)).rejects.toThrow(
      ConcurrencyConflict,
    );
    expect(await incidents.getIn('wo-a', 'I-4')).toBeUndefined();
    now = new Date(now.getTime() + (CLAIM_TAKEOVER_MINUTES + 1) * 60_000);
    expect(await ingestTicketEvent(opened('wo-a', 'I-4', 'e-2'), { messageId: 'm4' }, deps)).toMatchObject({
      outcome: 'applied',
    });
    expect(await claims.holderOf('e-2')).toMatchObject({ workOrderId: 'wo-a', incidentId: 'I-4' });
  });

  it('a rejected message claims nothing: a corrected re-send with the same eventId applies', async () => {
    expect(await ingestTicketEvent(opened('wo-b', 'I-1', 'e-3'), { messageId: 'm5' }, deps)).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringMatching(/RESP-LATE.*another Work Order/),
    });
    expect(await claims.holderOf('e-3')).toBeUndefined();
    const response = {
      eventId: 'e-3',
      type: 'FirstResponse',
      occurredAt: '2027-03-05T10:05:00Z',
      incidentId: 'I-1',
      workOrderId: 'wo-a',
      automated: false,
    };
    expect(await ingestTicketEvent(response, { messageId: 'm6' }, deps)).toMatchObject({ outcome: 'applied' });
    expect((await incidents.get('I-1'))?.incident.firstResponse.state).toBe('met');
    expect(await rejected()).toEqual(['m5']);
  });
});
