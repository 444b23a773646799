import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

describe('ETag on every single-resource read, If-Match on every change of one (api-contract.md conventions)', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let workOrderId: string;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-03-01T09:00:00Z',
    });
    const created = await host.post(
      '/api/work-orders',
      workOrderBody({
        number: 'WO-ETAG',
        entitlements: [
          { serviceCode: 'AEM', quantity: 2 },
          { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 15 },
          { serviceCode: 'WORKSHOP', quantity: 2 },
          { serviceCode: 'EDE', hours: 100 },
        ],
      }),
      csam,
    );
    workOrderId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const etagOf = async (path: string) => {
    const response = await host.get(path, reader('contoso'));
    expect(response.status).toBe(200);
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    return etag as string;
  };
  const post = (path: string, body: unknown, ifMatch?: string, who: Record<string, string> = manager('contoso')) =>
    host.post(path, body, ifMatch ? { ...who, 'if-match': ifMatch } : who);

  it('service requests: a stale If-Match on schedule or cancel answers 412; the current one applies', async () => {
    const created = await post(`/api/work-orders/${workOrderId}/service-requests`, {
      serviceCode: 'WORKSHOP',
      startDate: '2027-06-01',
      days: 1,
      price: 1000,
      fundedBy: 'entitlement',
    });
    const id = ((await created.json()) as { id: string }).id;
    expect((await host.get(`/api/service-requests/${id}`, reader('fabrikam'))).status).toBe(404);
    const first = await etagOf(`/api/service-requests/${id}`);
    expect((await post(`/api/service-requests/${id}/schedule`, undefined, first)).status).toBe(200);
    const second = await etagOf(`/api/service-requests/${id}`);
    expect(second).not.toBe(first);
    expect((await post(`/api/service-requests/${id}/cancel`, undefined, first)).status).toBe(412);
    expect((await post(`/api/service-requests/${id}/cancel`, undefined, second)).status).toBe(200);
  });

  it('cybersecurity engagements, swaps and AEM bookings: If-Match names the resource read, not its Work Order', async () => {
    const booked = await post(`/api/work-orders/${workOrderId}/cyber-engagements`, {
      offering: 'CYBER_INCIDENT_RESPONSE',
      start: '2027-05-03',
      days: 5,
      timeZone: 'Europe/Amsterdam',
    });
    const cyberId = ((await booked.json()) as { id: string }).id;
    const c1 = await etagOf(`/api/cyber-engagements/${cyberId}`);
    // Another change of the Work Order does not make the engagement's ETag stale.
    expect(
      (
        await post(`/api/work-orders/${workOrderId}/credits/redemptions`, {
          country: 'NL',
          serviceCode: 'WORKSHOP',
          value: 1,
        })
      ).status,
    ).toBe(201);
    const ack = { toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed: true };
    const acknowledged = await post(`/api/cyber-engagements/${cyberId}/acknowledgements`, ack, c1);
    expect(acknowledged.status).toBe(201);
    const c2 = acknowledged.headers.get('etag') as string;
    expect(c2).toBe(await etagOf(`/api/cyber-engagements/${cyberId}`));
    expect((await post(`/api/cyber-engagements/${cyberId}/extensions`, { blocks: 1 }, c1)).status).toBe(412);
    expect((await post(`/api/cyber-engagements/${cyberId}/extensions`, { blocks: 1 }, c2)).status).toBe(201);

    const swap = await post(`/api/work-orders/${workOrderId}/swaps`, {
      from: 'EDE',
      to: 'DESIGNATED_ENGINEERING',
      hours: 8,
      fundedBy: 'purchase',
      country: 'NL',
    });
    const swapId = ((await swap.json()) as { id: string }).id;
    const s1 = await etagOf(`/api/swaps/${swapId}`);
    expect((await post(`/api/swaps/${swapId}/decision`, { approved: true, by: 'sdr' }, '"stale"', csam)).status).toBe(
      412,
    );
    expect((await post(`/api/swaps/${swapId}/decision`, { approved: true, by: 'sdr' }, s1, csam)).status).toBe(200);

    const aem = await post(`/api/work-orders/${workOrderId}/aem-events`, {
      solutionName: 'checkout',
      cloud: 'AzurePublic',
      start: '2027-06-01',
      days: 2,
      confirmedAt: '2027-03-01',
    });
    const aemId = ((await aem.json()) as { id: string }).id;
    const a1 = await etagOf(`/api/aem-events/${aemId}`);
    expect((await post(`/api/aem-events/${aemId}/cancel`, { reason: 'no answers' }, '"stale"', csam)).status).toBe(412);
    expect((await post(`/api/aem-events/${aemId}/cancel`, { reason: 'no answers' }, a1, csam)).status).toBe(202);

    // Lifecycles and Work Orders carry an ETag too.
    await etagOf(`/api/lifecycles/aem-event-${aemId}`);
    await etagOf(`/api/work-orders/${workOrderId}`);
  });
});
