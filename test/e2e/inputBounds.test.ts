import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, principal, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface Problem {
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

/** api-contract Conventions: malformed input never reaches storage and never answers 5xx. */
describe('bounded input and identity rules over HTTP', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let workOrderId: string;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-02-01T09:00:00Z',
    });
    const created = await host.post(
      '/api/work-orders',
      workOrderBody({
        entitlements: [
          { serviceCode: 'AEM', quantity: 3 },
          { serviceCode: 'WORKSHOP', quantity: 2 },
        ],
      }),
      csam,
    );
    expect(created.status).toBe(201);
    workOrderId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const problem = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return (await response.json()) as Problem;
  };

  it('a path id the product could never have issued answers 404', async () => {
    for (const id of ['a%2Fb', 'a%23b', 'x'.repeat(161), '%C3%A9t%C3%A9', 'a%20b'])
      await problem(await host.get(`/api/work-orders/${id}`, csam), 404);
    expect((await host.get(`/api/work-orders/${'x'.repeat(160)}`, csam)).status).toBe(404);
  });

  it("malformed percent-encoding is the caller's error: 400 problem+json from the host", async () => {
    await problem(await host.get('/api/work-orders/%zz', csam), 400);
    await problem(await host.get('/api/work-orders/%E0%A4%A', csam), 400);
  });

  it('a continuationToken this API did not issue, or a limit outside 1..500, answers 400', async () => {
    for (const query of [
      'continuationToken=made-up',
      `continuationToken=${Buffer.from('{"nextPartitionKey":1}').toString('base64')}`,
      `continuationToken=${encodeURIComponent(Buffer.from('not json').toString('base64'))}`,
      'limit=0',
      'limit=501',
      'limit=abc',
      'limit=1e2',
    ]) {
      const body = await problem(await host.get(`/api/work-orders?${query}`, csam), 400);
      expect(body.errors?.length, query).toBeGreaterThan(0);
    }
    const page = (await (await host.get('/api/work-orders?limit=1', csam)).json()) as { items: unknown[] };
    expect(page.items).toHaveLength(1);
  });

  it('bounds: strings, arrays, days, quantities and terms beyond the contract answer 400 with errors', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['number', { number: 'n'.repeat(257) }],
      ['customerId', { customerId: 'contoso/other' }],
      ['term.end', { term: { start: '2027-01-01', end: '2032-01-02' } }],
      ['downstream', { downstream: Array.from({ length: 101 }, () => ({ country: 'DE', timeZone: 'Europe/Berlin' })) }],
      ['entitlements.0.quantity', { entitlements: [{ serviceCode: 'WORKSHOP', quantity: 1001 }] }],
      ['entitlements.0.hours', { entitlements: [{ serviceCode: 'EDE', hours: 100_001 }] }],
    ];
    for (const [path, overrides] of cases) {
      const body = await problem(await host.post('/api/work-orders', workOrderBody(overrides), csam), 400);
      expect(
        body.errors?.map((e) => e.path),
        path,
      ).toContain(path);
    }
  });

  it('an AEM booking with a huge number of days is refused at once (400), before any day is planned', async () => {
    const body = await problem(
      await host.post(
        `/api/work-orders/${workOrderId}/aem-events`,
        { solutionName: 'checkout', cloud: 'AzurePublic', start: '2027-06-01', days: 1e9, confirmedAt: '2027-02-01' },
        manager('contoso'),
      ),
      400,
    );
    expect(body.errors?.map((e) => e.path)).toContain('days');
  });

  it('a body over 1 MiB answers 413', async () => {
    const huge = { ...workOrderBody(), number: 'x'.repeat(1024 * 1024) };
    await problem(await host.post('/api/work-orders', huge, csam), 413);
  });

  it('a Customer.* principal without customer_id owns nothing: 403, lists included', async () => {
    for (const roles of [['Customer.Reader'], ['Customer.Manager']]) {
      await problem(await host.get('/api/work-orders', principal(roles)), 403);
      await problem(await host.get(`/api/work-orders/${workOrderId}`, principal(roles)), 403);
    }
    expect((await host.get('/api/work-orders', reader('contoso'))).status).toBe(200);
  });

  it("CANCEL-14: a customer's cancellation is dated by the clock, never by the body", async () => {
    const requested = (await (
      await host.post(
        `/api/work-orders/${workOrderId}/service-requests`,
        { serviceCode: 'WORKSHOP', startDate: '2027-02-10', days: 1, price: 4000, fundedBy: 'entitlement' },
        manager('contoso'),
      )
    ).json()) as { id: string };
    expect(
      (await host.post(`/api/service-requests/${requested.id}/schedule`, undefined, manager('contoso'))).status,
    ).toBe(200);
    // Backdated to a month before: with the body's date there would be no fee.
    const cancelled = await host.post(
      `/api/service-requests/${requested.id}/cancel`,
      { at: '2027-01-01T09:00:00+01:00' },
      manager('contoso'),
    );
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', maxCancellationFee: 4000 });
  });

  it("another customer's resource answers the same 404 as a missing one, naming nothing of it", async () => {
    const requested = (await (
      await host.post(
        `/api/work-orders/${workOrderId}/service-requests`,
        { serviceCode: 'WORKSHOP', startDate: '2027-05-10', days: 1, price: 4000, fundedBy: 'entitlement' },
        manager('contoso'),
      )
    ).json()) as { id: string };
    const foreign = await problem(
      await host.post(`/api/service-requests/${requested.id}/schedule`, undefined, manager('fabrikam')),
      404,
    );
    const missing = await problem(
      await host.post(
        `/api/service-requests/00000000-0000-0000-0000-000000000000/schedule`,
        undefined,
        manager('fabrikam'),
      ),
      404,
    );
    expect(foreign.detail.replace(requested.id, '{id}')).toBe(
      missing.detail.replace('00000000-0000-0000-0000-000000000000', '{id}'),
    );
    expect(JSON.stringify(foreign)).not.toContain(workOrderId);
    expect(JSON.stringify(foreign)).not.toContain('contoso');
  });
});
