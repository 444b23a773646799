import { describe, expect, it } from 'vitest';
import type { HostProcess } from '../support/hostProcess';
import { hostForSuite } from '../support/suiteHost';
import { csam, manager, principal, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

const body = (overrides: Record<string, unknown> = {}) =>
  workOrderBody({
    downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
    flexAllocations: [
      { year: 1, target: 'proactiveCredits', amount: 50000 },
      { year: 1, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
    ],
    entitlements: [
      { serviceCode: 'UER' },
      { serviceCode: 'RAPID_RESPONSE' },
      { serviceCode: 'AZURE_ENGINEERING_DIRECT' },
      { serviceCode: 'EDE', hours: 400 },
      { serviceCode: 'WORKSHOP', quantity: 2 },
    ],
    ...overrides,
  });

interface Problem {
  status: number;
  rule?: string;
  errors?: Array<{ path: string }>;
}

describe('Work Orders, credits and service requests over HTTP (api-contract.md)', () => {
  let host: HostProcess;
  let id: string;
  let etag: string;

  hostForSuite({ clockStart: '2027-02-01T09:00:00Z' }, (started) => (host = started));

  const problem = async (response: Response) => {
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return (await response.json()) as Problem;
  };

  it('FLEX-6: creates a Work Order (201) with flex periods, balances and credit balances; unallocated flex is forfeited', async () => {
    const response = await host.post(
      '/api/work-orders',
      body({ flexAllocations: [{ year: 1, target: 'proactiveCredits', amount: 50000 }] }),
      csam,
    );
    expect(response.status).toBe(201);
    const created = (await response.json()) as {
      id: string;
      status: string;
      flexPeriods: Array<{ year: number; forfeited: number; creditsCap: number }>;
      entitlements: Array<{ serviceCode: string; remaining: number }>;
      creditBalances: Record<string, number>;
    };
    id = created.id;
    expect(created.status).toBe('active');
    expect(created.flexPeriods[0]).toMatchObject({ year: 1, forfeited: 100000, creditsCap: 50000 });
    expect(created.entitlements).toContainEqual(expect.objectContaining({ serviceCode: 'EDE', remaining: 400 }));
    expect(created.creditBalances).toEqual({ NL: 200 });
  });

  it('refuses bad Work Orders: 400 with field errors, 422 FLEX-2, FLEX-4, DEP-2 and MN-5', async () => {
    const malformed = await host.post('/api/work-orders', { ...body(), term: { start: 'soon' } }, csam);
    expect(malformed.status).toBe(400);
    expect((await problem(malformed)).errors?.length).toBeGreaterThan(0);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ flexAllocations: [{ year: 1, target: 'proactiveCredits', amount: 60000 }] }, 'FLEX-2'],
      [{ flexAllocations: [{ year: 1, target: 'service', serviceCode: 'SDM_ADDON', amount: 10000 }] }, 'FLEX-4'],
      [{ entitlements: [{ serviceCode: 'AZURE_ENGINEERING_DIRECT' }] }, 'DEP-2'],
      [{ downstream: [{ country: 'JP', timeZone: 'Asia/Tokyo' }] }, 'MN-5'],
    ];
    for (const [overrides, rule] of cases) {
      const response = await host.post('/api/work-orders', body(overrides), csam);
      expect(response.status, rule).toBe(422);
      expect((await problem(response)).rule).toBe(rule);
    }
  });

  it('authorises: no principal 401, only the provider creates (a customer 403), another customer reading 404', async () => {
    expect((await host.post('/api/work-orders', body())).status).toBe(401);
    expect((await host.post('/api/work-orders', body(), reader('contoso'))).status).toBe(403);
    expect((await host.post('/api/work-orders', body(), manager('contoso'))).status).toBe(403);
    expect((await host.post('/api/work-orders', body(), manager('fabrikam'))).status).toBe(403);
    expect((await host.get(`/api/work-orders/${id}`, reader('fabrikam'))).status).toBe(404);
    expect((await host.get(`/api/work-orders/${id}/timeline`, manager('fabrikam'))).status).toBe(404);
    expect(
      (
        await host.post(
          `/api/work-orders/${id}/credits/redemptions`,
          { country: 'NL', serviceCode: 'WORKSHOP', value: 1 },
          manager('fabrikam'),
        )
      ).status,
    ).toBe(404);
  });

  it("reads a Work Order with its ETag and lists only the caller's Work Orders", async () => {
    const response = await host.get(`/api/work-orders/${id}`, reader('contoso'));
    expect(response.status).toBe(200);
    etag = response.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const mine = (await (await host.get('/api/work-orders', reader('contoso'))).json()) as {
      items: Array<{ id: string }>;
      continuationToken: string | null;
    };
    expect(mine.items.map((w) => w.id)).toEqual([id]);
    expect(
      ((await (await host.get('/api/work-orders', reader('fabrikam'))).json()) as { items: unknown[] }).items,
    ).toEqual([]);
    expect(
      (
        (await (await host.get('/api/work-orders?customerId=contoso', reader('fabrikam'))).json()) as {
          items: unknown[];
        }
      ).items,
    ).toEqual([]);
    expect(
      ((await (await host.get('/api/work-orders?customerId=contoso', csam)).json()) as { items: unknown[] }).items,
    ).toHaveLength(1);
    expect((await host.get('/api/work-orders?limit=501', csam)).status).toBe(400);
  });

  it('CRED-1, CRED-2: redeems credits rounded half up (201) and refuses going below zero (422)', async () => {
    const response = await host.post(
      `/api/work-orders/${id}/credits/redemptions`,
      { country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 },
      manager('contoso'),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ deducted: 13, balance: 187 });
    const tooMuch = await host.post(
      `/api/work-orders/${id}/credits/redemptions`,
      { country: 'NL', serviceCode: 'WORKSHOP', value: 500 },
      manager('contoso'),
    );
    expect(tooMuch.status).toBe(422);
    expect((await problem(tooMuch)).rule).toBe('CRED-2');
  });

  it('CRED-2: 20 parallel redemptions over HTTP end exact and never below zero', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        host.post(
          `/api/work-orders/${id}/credits/redemptions`,
          { country: 'NL', serviceCode: 'WORKSHOP', value: 10 },
          manager('contoso'),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(18); // 187 = 18 × 10 + 7
    expect(results.filter((r) => r.status === 422)).toHaveLength(2);
    const view = (await (await host.get(`/api/work-orders/${id}`, reader('contoso'))).json()) as {
      creditBalances: Record<string, number>;
    };
    expect(view.creditBalances).toEqual({ NL: 7 });
  });

  it('MN-4, MN-5: exchanges credits between Host and Downstream rounded up, refusing other countries', async () => {
    const response = await host.post(
      `/api/work-orders/${id}/credits/exchanges`,
      { from: 'NL', to: 'DE', credits: 5, rate: 1.07 },
      manager('contoso'),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ debited: 5, credited: 6 });
    const foreign = await host.post(
      `/api/work-orders/${id}/credits/exchanges`,
      { from: 'NL', to: 'FR', credits: 1, rate: 1 },
      manager('contoso'),
    );
    expect(foreign.status).toBe(422);
    expect((await problem(foreign)).rule).toBe('MN-4');
    const exception = await host.post(
      `/api/work-orders/${id}/credits/exchanges`,
      { from: 'NL', to: 'JP', credits: 1, rate: 1 },
      manager('contoso'),
    );
    expect((await problem(exception)).rule).toBe('MN-5');
  });

  it('ENT-1, SCHED-1, CANCEL-14: requests, schedules, delivers and cancels services with the entitlement held, consumed or released', async () => {
    const create = (payload: Record<string, unknown>) =>
      host.post(`/api/work-orders/${id}/service-requests`, payload, manager('contoso'));
    const first = await create({
      serviceCode: 'WORKSHOP',
      startDate: '2027-05-10',
      days: 2,
      price: 9000,
      fundedBy: 'entitlement',
    });
    expect(first.status).toBe(201);
    const { id: requestId, status } = (await first.json()) as { id: string; status: string };
    expect(status).toBe('requested');
    expect((await host.post(`/api/service-requests/${requestId}/deliver`, undefined, manager('contoso'))).status).toBe(
      409,
    );
    expect(
      await (await host.post(`/api/service-requests/${requestId}/schedule`, undefined, manager('contoso'))).json(),
    ).toEqual({
      id: requestId,
      status: 'scheduled',
    });
    expect(
      await (await host.post(`/api/service-requests/${requestId}/deliver`, undefined, manager('contoso'))).json(),
    ).toEqual({
      id: requestId,
      status: 'delivered',
    });

    const second = (await (
      await create({ serviceCode: 'WORKSHOP', startDate: '2027-02-10', days: 1, price: 4000, fundedBy: 'entitlement' })
    ).json()) as { id: string };
    const exhausted = await create({
      serviceCode: 'WORKSHOP',
      startDate: '2027-06-10',
      days: 1,
      price: 4000,
      fundedBy: 'entitlement',
    });
    expect(exhausted.status).toBe(422);
    expect((await problem(exhausted)).rule).toBe('ENT-1');
    await host.post(`/api/service-requests/${second.id}/schedule`, undefined, manager('contoso'));
    const late = await host.post(
      `/api/service-requests/${second.id}/cancel`,
      { at: '2027-02-01T10:00:00+01:00' },
      manager('contoso'),
    );
    expect(await late.json()).toMatchObject({ status: 'cancelled', maxCancellationFee: 4000, feeWaived: false });
    // CANCEL-14: the provider may waive the fee, and the waiver is recorded.
    const waiver = (
      who: Parameters<typeof host.post>[2],
      payload: unknown = { reason: 'customer moved the workshop for us' },
    ) => host.post(`/api/service-requests/${second.id}/fee-waiver`, payload, who);
    expect((await waiver(manager('contoso'))).status).toBe(403);
    expect((await waiver(csam, { reason: '' })).status).toBe(400);
    const waived = await waiver(csam);
    expect(waived.status).toBe(200);
    expect(await waived.json()).toEqual({
      id: second.id,
      status: 'cancelled',
      maxCancellationFee: 4000,
      feeWaived: true,
      waiverReason: 'customer moved the workshop for us',
    });
    expect(await (await waiver(csam, { reason: 'again' })).json()).toMatchObject({
      feeWaived: true,
      waiverReason: 'customer moved the workshop for us',
    });
    const timeline = (await (await host.get(`/api/work-orders/${id}/timeline?limit=500`, csam)).json()) as {
      items: Array<{ kind: string; rule?: string }>;
    };
    expect(timeline.items.filter((e) => e.kind === 'cancellationFeeWaived').map((e) => e.rule)).toEqual(['CANCEL-14']);
    const again = await create({
      serviceCode: 'WORKSHOP',
      startDate: '2027-06-10',
      days: 1,
      price: 4000,
      fundedBy: 'entitlement',
    });
    expect(again.status).toBe(201); // the cancelled request gave its quantity back
    const unscheduled = (await again.json()) as { id: string };
    expect(
      await (await host.post(`/api/service-requests/${unscheduled.id}/cancel`, undefined, manager('contoso'))).json(),
    ).toMatchObject({
      status: 'cancelled',
      maxCancellationFee: 0,
    });
    const nothingToWaive = await host.post(`/api/service-requests/${unscheduled.id}/fee-waiver`, { reason: 'x' }, csam);
    expect(nothingToWaive.status).toBe(409);
    expect((await problem(nothingToWaive)).rule).toBe('CANCEL-14');
    expect(
      (await host.post(`/api/service-requests/${unscheduled.id}/cancel`, undefined, reader('contoso'))).status,
    ).toBe(403);
    expect(
      (await host.post(`/api/service-requests/${unscheduled.id}/schedule`, undefined, manager('fabrikam'))).status,
    ).toBe(404);
    expect((await host.post('/api/service-requests/nope/schedule', undefined, manager('contoso'))).status).toBe(404);
  });

  it('FLEX-5, SWAP-1: a swap of hours waits for the service delivery resource, then moves the hours once', async () => {
    const wo = (await (
      await host.post(
        '/api/work-orders',
        body({ number: 'WO-SWAP', entitlements: [{ serviceCode: 'EDE', hours: 400 }] }),
        csam,
      )
    ).json()) as { id: string };
    const hoursOf = async (code: string) =>
      (
        (await (await host.get(`/api/work-orders/${wo.id}`, csam)).json()) as {
          entitlements: Array<{ serviceCode: string; remaining: number }>;
        }
      ).entitlements.find((e) => e.serviceCode === code)?.remaining;
    const ask = (payload: Record<string, unknown>) =>
      host.post(
        `/api/work-orders/${wo.id}/swaps`,
        { from: 'EDE', to: 'DESIGNATED_ENGINEERING', hours: 40, fundedBy: 'flex', country: 'NL', ...payload },
        manager('contoso'),
      );

    const requested = await ask({});
    expect(requested.status).toBe(201);
    const swap = (await requested.json()) as { id: string; status: string; rule: string };
    expect(swap).toMatchObject({ status: 'awaitingConsent', rule: 'FLEX-5' });
    expect(await hoursOf('EDE')).toBe(400); // nothing moves before consent
    expect((await problem(await ask({ hours: 1000 }))).rule).toBe('ENT-1');

    const lead = principal(['Provider.Csam'], undefined, 'delivery lead');
    const decide = (id: string, approved: boolean, who = lead) =>
      host.post(`/api/swaps/${id}/decision`, { approved, by: 'someone else' }, who);
    expect((await decide(swap.id, true, manager('contoso'))).status).toBe(403);
    const approved = await decide(swap.id, true);
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'approved', decision: { by: 'delivery lead' } });
    expect(await hoursOf('EDE')).toBe(360);
    expect(await hoursOf('DESIGNATED_ENGINEERING')).toBe(40);
    const twice = await decide(swap.id, false);
    expect(twice.status).toBe(409);
    expect((await problem(twice)).rule).toBe('FLEX-5');

    const other = (await (await ask({ to: 'DEV_SUPPORT_ASSISTANCE', hours: 8, fundedBy: 'purchase' })).json()) as {
      id: string;
      rule: string;
    };
    expect(other.rule).toBe('SWAP-1');
    expect(await (await decide(other.id, false)).json()).toMatchObject({ status: 'declined' });
    expect(await hoursOf('EDE')).toBe(360);
    expect(await (await host.get(`/api/swaps/${other.id}`, reader('contoso'))).json()).toMatchObject({
      status: 'declined',
      workOrderId: wo.id,
    });
    expect((await host.get(`/api/swaps/${other.id}`, reader('fabrikam'))).status).toBe(404);
  });

  it('REQ-60: a request submitted less than 60 days before the term end is refused', async () => {
    const short = (await (
      await host.post(
        '/api/work-orders',
        body({
          term: { start: '2027-01-01', end: '2027-03-15' },
          flexAllocations: [
            { year: 1, target: 'proactiveCredits', amount: 50000 },
            { year: 1, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
          ],
        }),
        csam,
      )
    ).json()) as { id: string };
    const response = await host.post(
      `/api/work-orders/${short.id}/service-requests`,
      { serviceCode: 'WORKSHOP', startDate: '2027-03-01', days: 1, price: 1000, fundedBy: 'credits' },
      manager('contoso'),
    );
    expect(response.status).toBe(422);
    expect((await problem(response)).rule).toBe('REQ-60');
  });

  it('DEP-1, DEP-2: terminates with dependents ending the same day; a stale If-Match answers 412', async () => {
    expect(
      (
        await host.post(
          `/api/work-orders/${id}/terminate`,
          { at: '2027-06-30', reason: 'merger' },
          { ...csam, 'if-match': etag },
        )
      ).status,
    ).toBe(412);
    const response = await host.post(`/api/work-orders/${id}/terminate`, { at: '2027-06-30', reason: 'merger' }, csam);
    expect(response.status).toBe(200);
    const terminated = (await response.json()) as {
      status: string;
      terminatesOn: string;
      cascade: Array<{ serviceCode: string; rule: string }>;
      entitlements: Array<{ serviceCode: string; endsOn: string }>;
    };
    expect(terminated).toMatchObject({ status: 'active', terminatesOn: '2027-06-30' }); // the last day is still to come
    expect(terminated.cascade).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ serviceCode: 'EDE', rule: 'DEP-1' }),
        expect.objectContaining({ serviceCode: 'AZURE_ENGINEERING_DIRECT', rule: 'DEP-2' }),
      ]),
    );
    expect(terminated.entitlements.every((e) => e.endsOn === '2027-06-30')).toBe(true);
    expect(
      (await host.post(`/api/work-orders/${id}/terminate`, { at: '2027-06-30', reason: 'again' }, csam)).status,
    ).toBe(409);
  });

  it('keeps a timeline of everything, oldest first, with rule IDs', async () => {
    const timeline = (await (
      await host.get(`/api/work-orders/${id}/timeline?limit=500`, reader('contoso'))
    ).json()) as {
      items: Array<{ at: string; kind: string; rule?: string }>;
    };
    const kinds = timeline.items.map((e) => e.kind);
    expect(kinds[0]).toBe('workOrderCreated');
    expect(kinds).toEqual(
      expect.arrayContaining([
        'flexForfeited',
        'creditsRedeemed',
        'creditsExchanged',
        'serviceRequested',
        'serviceDelivered',
        'serviceCancelled',
        'workOrderTerminated',
        'dependentEnded',
      ]),
    );
    expect(timeline.items.find((e) => e.kind === 'creditsRedeemed')?.rule).toBe('CRED-1');
    expect([...timeline.items.map((e) => new Date(e.at).getTime())]).toEqual(
      [...timeline.items.map((e) => new Date(e.at).getTime())].sort((a, b) => a - b),
    );
  });

  it('serves the OpenAPI 3.1 document generated from the zod schemas', async () => {
    const doc = (await (await host.get('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/work-orders',
        '/work-orders/{id}/credits/redemptions',
        '/service-requests/{id}/cancel',
        '/service-requests/{id}/fee-waiver',
        '/work-orders/{id}/swaps',
        '/swaps/{id}/decision',
        '/swaps/{id}',
        '/incidents/{incidentId}',
      ]),
    );
  });
});
