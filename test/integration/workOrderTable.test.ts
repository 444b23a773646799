import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideRedemption } from '../../domain/workOrder/credits';
import { WorkOrderConflict } from '../../domain/workOrder/workOrderStore';
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

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const table = TableClient.fromConnectionString(azurite.connectionString, 'WorkOrdersTest', {
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
});
