import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideRedemption } from '../../domain/workOrder/credits';
import { WorkOrderConflict, type ServiceRequestRecord } from '../../domain/workOrder/workOrderStore';
import { acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import type { RunningAzurite } from '../../infra/local/azurite';
import { WorkOrderTable } from '../../infra/tables/workOrderTable';
import { startTestAzurite } from '../support/azurite';

const body = (customerId: string) => ({
  customerId,
  number: `WO-${customerId}`,
  signedAt: '2026-12-15',
  term: { start: '2027-01-01', end: '2027-12-31' },
  host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
  downstream: [],
  currency: 'USD',
  basePackage: { listPrice: 1000000, flexAllowancePerYear: 100000 },
  flexAllocations: [
    { year: 1, target: 'proactiveCredits', amount: 50000 },
    { year: 1, target: 'service', serviceCode: 'WORKSHOP', amount: 50000 },
  ],
  entitlements: [],
  proactiveCredits: { NL: 100 },
});

describe('WorkOrderTable on Azurite', () => {
  let azurite: RunningAzurite;
  let store: WorkOrderTable;
  let table: TableClient;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    table = TableClient.fromConnectionString(azurite.connectionString, 'WorkOrdersTest', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    store = new WorkOrderTable(table);
  });
  afterAll(async () => azurite?.stop());

  it('creates, reads back through its schema and lists by customer', async () => {
    const view = acceptWorkOrder(body('contoso'), { id: 'wo-a', asOf: '2027-01-01' });
    const etag = await store.create(view, {
      timeline: [{ at: '2027-01-01T00:00:00Z', kind: 'workOrderCreated', detail: 'created' }],
    });
    expect(etag).not.toBe('');
    expect((await store.get('wo-a'))?.workOrder).toEqual(view);
    expect((await store.listByCustomer('contoso', { limit: 10 })).items.map((w) => w.id)).toEqual(['wo-a']);
    expect((await store.timeline('wo-a', { limit: 10 })).items).toEqual([
      { at: '2027-01-01T00:00:00Z', kind: 'workOrderCreated', detail: 'created' },
    ]);
    await expect(store.create(view)).rejects.toBeInstanceOf(WorkOrderConflict);
  });

  it('refuses an update with a stale ETag and writes nothing of it (balance and ledger commit together)', async () => {
    const stored = (await store.get('wo-a'))!;
    await store.update({ ...stored.workOrder, creditBalances: { NL: 90 } }, stored.etag, {
      ledger: [{ at: '2027-02-01T00:00:00Z', kind: 'redemption', country: 'NL', credits: 10, balanceAfter: 90 }],
    });
    await expect(
      store.update({ ...stored.workOrder, creditBalances: { NL: 80 } }, stored.etag, {
        timeline: [{ at: '2027-02-01T00:00:00Z', kind: 'lost', detail: 'must not be written' }],
      }),
    ).rejects.toBeInstanceOf(WorkOrderConflict);
    expect((await store.get('wo-a'))?.workOrder.creditBalances).toEqual({ NL: 90 });
    expect((await store.timeline('wo-a', { limit: 10 })).items.map((e) => e.kind)).not.toContain('lost');
  });

  it('CRED-1, CRED-2: 20 parallel redemptions on one balance end exact and never below zero', async () => {
    const view = acceptWorkOrder(body('fabrikam'), { id: 'wo-b', asOf: '2027-01-01' });
    await store.create(view);
    let refused = 0;
    const redeem = async () => {
      for (;;) {
        const stored = (await store.get('wo-b'))!;
        let outcome;
        try {
          outcome = decideRedemption(stored.workOrder.creditBalances, {
            country: 'NL',
            serviceCode: 'WORKSHOP',
            value: 7.5,
          }); // 8 credits each
        } catch {
          refused++;
          return;
        }
        try {
          await store.update({ ...stored.workOrder, creditBalances: outcome.balances }, stored.etag, {
            ledger: [
              {
                at: '2027-03-01T00:00:00Z',
                kind: 'redemption',
                country: 'NL',
                credits: outcome.deducted,
                balanceAfter: outcome.balance,
              },
            ],
          });
          return;
        } catch (error) {
          if (!(error instanceof WorkOrderConflict)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, redeem));
    // 100 credits / 8 per redemption: 12 succeed (96), 8 are refused by CRED-2, 4 credits remain.
    expect((await store.get('wo-b'))?.workOrder.creditBalances).toEqual({ NL: 4 });
    expect(refused).toBe(8);
  });

  // A termination writes each cancelled request and its timeline entry: 50 open requests are more than the 100
  // operations one entity-group transaction holds.
  const cancelled = (workOrderId: string, count: number) => {
    const requests = Array.from(
      { length: count },
      (_, n) =>
        ({
          id: `sr-${n}`,
          workOrderId,
          serviceCode: 'WORKSHOP',
          startDate: '2027-09-01',
          status: 'cancelled',
          quantity: 0,
          maxCancellationFee: 0,
          requestedAt: '2027-01-05T00:00:00Z',
          updatedAt: '2027-05-01T00:00:00Z',
        }) as unknown as ServiceRequestRecord,
    );
    const timeline = requests.map((r) => ({
      at: '2027-05-01T00:00:00Z',
      kind: 'serviceCancelled',
      rule: 'EXP-1',
      detail: `${r.id} cancelled by the termination`,
    }));
    return { requests, timeline };
  };
  const pendingRows = async (workOrderId: string) => {
    const filter = `PartitionKey eq '${workOrderId}' and RowKey ge 'pending|' and RowKey lt 'pending}'`;
    let n = 0;
    for await (const _ of table.listEntities({ queryOptions: { filter } })) n++;
    return n;
  };

  it('EXP-1: a termination cancelling 150 requests (301 rows) commits whole, and a stale ETag still writes none of it', async () => {
    const view = acceptWorkOrder(body('tailspin'), { id: 'wo-c', asOf: '2027-01-01' });
    const first = await store.create(view);
    const moved = await store.update({ ...view, creditBalances: { NL: 99 } }, first);
    const terminated = { ...view, creditBalances: { NL: 99 }, terminatesOn: '2027-05-31' };

    await expect(store.update(terminated, first, cancelled('wo-c', 150))).rejects.toBeInstanceOf(WorkOrderConflict);
    expect(await store.serviceRequests('wo-c')).toEqual([]);
    expect(await pendingRows('wo-c')).toBe(0);

    await store.update(terminated, moved, cancelled('wo-c', 150));
    expect((await store.get('wo-c'))?.workOrder).toEqual(terminated);
    const requests = await store.serviceRequests('wo-c');
    expect(requests).toHaveLength(150);
    expect(new Set(requests.map((r) => r.status))).toEqual(new Set(['cancelled']));
    expect((await store.timeline('wo-c', { limit: 500 })).items).toHaveLength(150);
    expect(await pendingRows('wo-c')).toBe(0);
  });

  it('EXP-1: when the process dies after the Work Order row of a 301-row change, the next reader finishes the change', async () => {
    const view = acceptWorkOrder(body('wingtip'), { id: 'wo-d', asOf: '2027-01-01' });
    const etag = await store.create(view);
    let transactions = 0;
    // The process dies after its first transaction: every later one fails.
    const dying = new Proxy(table, {
      get(target, property) {
        if (property === 'submitTransaction')
          return (actions: Parameters<TableClient['submitTransaction']>[0]) => {
            transactions++;
            if (transactions > 1) return Promise.reject(new Error('the process died'));
            return target.submitTransaction(actions);
          };
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(
      new WorkOrderTable(dying).update({ ...view, terminatesOn: '2027-05-31' }, etag, cancelled('wo-d', 150)),
    ).rejects.toThrow('the process died');
    const written = (await store.serviceRequests('wo-d')).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(150);
    expect(await pendingRows('wo-d')).toBeGreaterThan(0);

    // A request read by its id (its lookup row was written first) is read as the change left it: finished.
    expect((await store.findServiceRequest('sr-149'))?.status).toBe('cancelled');
    expect(await pendingRows('wo-d')).toBe(0);
    expect((await store.get('wo-d'))?.workOrder.terminatesOn).toBe('2027-05-31');
    expect(await store.serviceRequests('wo-d')).toHaveLength(150);
    expect((await store.timeline('wo-d', { limit: 500 })).items).toHaveLength(150);
    expect(await pendingRows('wo-d')).toBe(0);
  });
});
