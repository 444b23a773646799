import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it, vi } from 'vitest';
import type { Services } from '../../app/services';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import {
  WorkOrderConflict,
  type StoredWorkOrder,
  type WorkOrderChange,
  type WorkOrderStore,
} from '../../domain/workOrder/workOrderStore';
import { acceptWorkOrder, type WorkOrderView } from '../../domain/workOrder/workOrderView';
import { redeemCredits } from '../../functions/http/redeemCredits';
import { manager } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

/** An in-memory Work Order store with ETags: enough for a trigger to run without storage. */
function fakeWorkOrders(initial: WorkOrderView): WorkOrderStore & { changes: WorkOrderChange[] } {
  let current: StoredWorkOrder = { workOrder: initial, etag: 'v1' };
  const changes: WorkOrderChange[] = [];
  const unused = () => Promise.reject(new Error('not used by this test'));
  return {
    changes,
    get: async (id) => (id === current.workOrder.id ? current : undefined),
    update: async (workOrder, etag, change = {}) => {
      if (etag !== current.etag) throw new WorkOrderConflict('stale');
      current = { workOrder, etag: `v${Number(current.etag.slice(1)) + 1}` };
      changes.push(change);
      return current.etag;
    },
    create: unused,
    listByCustomer: unused,
    timeline: unused,
    findServiceRequest: unused,
    serviceRequests: unused,
    findResource: unused,
    resources: unused,
    hoursUsage: unused,
  };
}

describe('composition root', () => {
  it('the entry point stops at start-up with a message naming a bad setting', async () => {
    vi.stubEnv('AzureWebJobsStorage', 'UseDevelopmentStorage=true');
    vi.stubEnv('TABLE_NAME_PREFIX', '1bad');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined); // "@azure/functions" in test mode skips registrations
    await expect(import('../../functions/index')).rejects.toThrow(/Invalid configuration: TABLE_NAME_PREFIX/);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('a trigger runs on the services it is given (fakes here): CRED-1 redemption, another customer 404', async () => {
    const workOrder = acceptWorkOrder(workOrderBody(), { id: 'wo-1', asOf: '2026-12-15' });
    const workOrders = fakeWorkOrders(workOrder);
    const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not used')) }) as never;
    const services = {
      workOrders,
      incidents: unused,
      eventClaims: unused,
      rejections: unused,
      dueIndex: unused,
      catalogue: DEFAULT_CATALOGUE,
      clock: { now: () => new Date('2027-03-01T10:00:00Z') },
      principalHeaderTrusted: true,
    } satisfies Services;
    const call = (customerId: string) =>
      redeemCredits.handler(services)(
        new HttpRequest({
          method: 'POST',
          url: 'http://localhost/api/work-orders/wo-1/credits/redemptions',
          params: { id: 'wo-1' },
          headers: manager(customerId),
          body: { string: JSON.stringify({ country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 }) },
        }),
        new InvocationContext({ functionName: 'redeemCredits' }),
      );
    const mine = await call('contoso');
    expect(mine.status).toBe(201);
    expect(mine.jsonBody).toEqual({ deducted: 13, balance: 187 });
    expect(workOrders.changes[0]?.ledger?.[0]).toMatchObject({ kind: 'redemption', credits: 13, balanceAfter: 187 });
    expect((await call('fabrikam')).status).toBe(404);
  });
});
