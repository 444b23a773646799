import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface WhatIf {
  outcome: 'accepted' | 'refused';
  status: number;
  rule?: string;
  balancesAfter: {
    creditBalances: Record<string, number>;
    entitlements: Array<{ serviceCode: string; remaining: number }>;
  };
  maxCancellationFee?: number;
  ends?: Array<{ serviceCode: string; rule: string }>;
  explanation: { text: string; rules: string[] };
}

/**
 * The what-if answers equal the real request's answer made right after (api-contract "Explanations and what-if"),
 * and a what-if leaves no trace: the timeline, balances and ETag are unchanged.
 */
describe('what-if: the same decision as the real request, with no side effect', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let id: string;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    // 2028-11-01 12:00 Amsterdam: the last day a request is in time for a term ending 2028-12-31 (REQ-60)
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2028-11-01T11:00:00Z',
    });
    const created = await host.post(
      '/api/work-orders',
      workOrderBody({
        signedAt: '2026-12-01',
        entitlements: [
          { serviceCode: 'UER' },
          { serviceCode: 'RAPID_RESPONSE' },
          { serviceCode: 'AZURE_ENGINEERING_DIRECT' },
          { serviceCode: 'WORKSHOP', quantity: 3 },
        ],
      }),
      csam,
    );
    expect(created.status).toBe(201);
    id = ((await created.json()) as { id: string }).id;
    await host.settle(); // the term lifecycle has started and written its first entries
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const whatIf = async (body: unknown, who = manager('contoso')) => {
    const response = await host.post(`/api/work-orders/${id}/what-if`, body, who);
    expect(response.status).toBe(200);
    return (await response.json()) as WhatIf;
  };
  const trace = async () => {
    const wo = await host.get(`/api/work-orders/${id}`, csam);
    const timeline = (await (await host.get(`/api/work-orders/${id}/timeline?limit=500`, csam)).json()) as {
      items: unknown[];
    };
    return { etag: wo.headers.get('etag'), body: await wo.json(), timeline: timeline.items.length };
  };
  const balances = (wo: { creditBalances: Record<string, number>; entitlements: Array<Record<string, unknown>> }) => ({
    creditBalances: wo.creditBalances,
    entitlements: wo.entitlements.map(({ serviceCode, unit, purchased, reserved, consumed, remaining }) => ({
      serviceCode,
      unit,
      purchased,
      reserved,
      consumed,
      remaining,
    })),
  });

  it('CRED-1, CRED-2: a redemption what-if equals the redemption made right after; a refused one too', async () => {
    const before = await trace();
    const answer = await whatIf({ redemption: { country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 } });
    expect(await trace()).toEqual(before); // nothing stored, no timeline entry
    const real = await host.post(
      `/api/work-orders/${id}/credits/redemptions`,
      { country: 'NL', serviceCode: 'WORKSHOP', value: 12.5 },
      manager('contoso'),
    );
    expect(answer).toMatchObject({ outcome: 'accepted', status: real.status });
    const result = (await real.json()) as { deducted: number; balance: number };
    const after = (await trace()).body as Parameters<typeof balances>[0];
    expect(answer.balancesAfter).toEqual(balances(after));
    expect(answer.balancesAfter.creditBalances['NL']).toBe(result.balance);
    expect(answer.explanation.rules).toContain('CRED-1');

    const tooMuch = await whatIf({ redemption: { country: 'NL', serviceCode: 'WORKSHOP', value: 500 } });
    const refused = await host.post(
      `/api/work-orders/${id}/credits/redemptions`,
      { country: 'NL', serviceCode: 'WORKSHOP', value: 500 },
      manager('contoso'),
    );
    const problem = (await refused.json()) as { rule: string };
    expect(tooMuch).toMatchObject({ outcome: 'refused', status: refused.status, rule: problem.rule });
  });

  let requestId: string;

  it('REQ-60, ENT-1: a service-request what-if equals the request made right after, explanation included', async () => {
    const request = { serviceCode: 'WORKSHOP', startDate: '2028-12-04', days: 1, price: 9000, fundedBy: 'entitlement' };
    const before = await trace();
    const answer = await whatIf({ serviceRequest: request });
    expect(await trace()).toEqual(before);
    const real = await host.post(`/api/work-orders/${id}/service-requests`, request, manager('contoso'));
    const created = (await real.json()) as { id: string; explanation: { text: string } };
    requestId = created.id;
    expect(answer).toMatchObject({ outcome: 'accepted', status: real.status });
    expect(answer.explanation).toEqual(created.explanation);
    expect(answer.explanation.text).toContain('in time');
    expect(answer.balancesAfter).toEqual(balances((await trace()).body as Parameters<typeof balances>[0]));

    await host.post('/admin/clock', { to: '2028-11-02T11:00:00Z' }); // a day later the window has closed
    const late = await whatIf({ serviceRequest: request });
    const refused = await host.post(`/api/work-orders/${id}/service-requests`, request, manager('contoso'));
    const problem = (await refused.json()) as { rule: string; explanation: unknown };
    expect(late).toMatchObject({ outcome: 'refused', status: 422, rule: 'REQ-60' });
    expect(refused.status).toBe(late.status);
    expect(late.explanation).toEqual(problem.explanation);
    expect(late.explanation.text).toContain('too late');
  });

  it('CANCEL-14: a cancellation what-if names the fee the cancellation made right after charges', async () => {
    expect((await host.post(`/api/service-requests/${requestId}/schedule`, {}, csam)).status).toBe(200);
    const at = '2028-11-25T10:00:00+01:00'; // 9 days before the first delivery day
    const before = await trace();
    // A customer's cancellation is dated by the clock; provider staff may record when it was asked for.
    const answer = await whatIf({ cancellation: { requestId, at } }, csam);
    expect(await trace()).toEqual(before);
    const real = await host.post(`/api/service-requests/${requestId}/cancel`, { at }, csam);
    const cancelled = (await real.json()) as { maxCancellationFee: number; explanation: unknown };
    expect(answer).toMatchObject({ outcome: 'accepted', status: real.status, maxCancellationFee: 9000 });
    expect(cancelled.maxCancellationFee).toBe(answer.maxCancellationFee);
    expect(answer.explanation).toEqual(cancelled.explanation);
    expect(answer.balancesAfter).toEqual(balances((await trace()).body as Parameters<typeof balances>[0]));

    const again = await whatIf({ cancellation: { requestId, at } });
    const refused = await host.post(`/api/service-requests/${requestId}/cancel`, { at }, manager('contoso'));
    expect(again).toMatchObject({ outcome: 'refused', status: refused.status, rule: 'SCHED-1' });
  });

  it('DEP-1, DEP-2: a termination what-if lists what would end, as the termination made right after does', async () => {
    const before = await trace();
    const answer = await whatIf({ termination: { at: '2028-11-30' } }, csam);
    expect(await trace()).toEqual(before);
    const lifecycle = await host.get(`/api/lifecycles/work-order-term-${id}`, csam);
    const lifecycleBefore = (await lifecycle.json()) as { runtimeStatus: string };
    expect(lifecycleBefore.runtimeStatus).not.toBe('Terminated');
    const real = await host.post(`/api/work-orders/${id}/terminate`, { at: '2028-11-30', reason: 'merger' }, csam);
    const terminated = (await real.json()) as { cascade: unknown; status: string };
    expect(answer).toMatchObject({ outcome: 'accepted', status: real.status });
    expect(answer.ends).toEqual(terminated.cascade);
    expect(answer.ends?.map((e) => e.serviceCode)).toContain('AZURE_ENGINEERING_DIRECT');
  });

  it('roles as for the real request: a reader may not ask a write what-if; another customer gets 404', async () => {
    const asReader = await host.post(
      `/api/work-orders/${id}/what-if`,
      { redemption: { country: 'NL', serviceCode: 'WORKSHOP', value: 1 } },
      reader('contoso'),
    );
    expect(asReader.status).toBe(403);
    const foreign = await host.post(
      `/api/work-orders/${id}/what-if`,
      { redemption: { country: 'NL', serviceCode: 'WORKSHOP', value: 1 } },
      manager('fabrikam'),
    );
    expect(foreign.status).toBe(404);
    const malformed = await host.post(`/api/work-orders/${id}/what-if`, { nothing: {} }, manager('contoso'));
    expect(malformed.status).toBe(400);
  });
});

describe('what-if: first response', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let id: string;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-03-05T16:00:00Z',
    });
    const created = await host.post(
      '/api/work-orders',
      workOrderBody({ entitlements: [{ serviceCode: 'UER' }] }),
      csam,
    );
    id = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('RESP-PICK, INC-5, HOURS-1: the what-if equals the incident opened right after, and opens nothing', async () => {
    const facts = {
      openedAt: '2027-03-05T16:50:00+01:00',
      severity: 'B',
      product: { family: 'Azure', service: 'Azure SQL Database' },
      channel: 'phone',
      location: 'NL',
    };
    const response = await host.post('/api/what-if/first-response', { workOrderId: id, ...facts }, reader('contoso'));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      coverage: string[];
      firstResponse: { plan: string; dueAt: string; explanation: { text: string; skipped: unknown[] } };
    };
    expect(answer.firstResponse.dueAt).toBe('2027-03-08T10:20:00+01:00');
    expect(answer.firstResponse.explanation.text).toContain('Saturday and Sunday skipped');
    const listed = (await (await host.get(`/api/work-orders/${id}/incidents`, csam)).json()) as { items: unknown[] };
    expect(listed.items).toEqual([]); // nothing opened

    const { openedAt: _openedAt, ...ticketFields } = facts;
    await host.post('/admin/servicebus/ticket-events/messages', {
      messageId: 'wi-1',
      body: {
        eventId: 'wi-1',
        type: 'IncidentOpened',
        incidentId: 'INC-WI',
        workOrderId: id,
        occurredAt: facts.openedAt,
        ...ticketFields,
      },
    });
    await host.settle();
    const real = (await (await host.get('/api/incidents/INC-WI', csam)).json()) as {
      coverage: string[];
      firstResponse: {
        plan: string;
        targetMinutes: number;
        clock: string;
        dueAt: string;
        explanation: { history: unknown[] };
      };
    };
    expect(answer.coverage).toEqual(real.coverage);
    const { explanation: realExplanation, ...realTarget } = real.firstResponse;
    expect(answer.firstResponse).toMatchObject({
      plan: realTarget.plan,
      targetMinutes: realTarget.targetMinutes,
      clock: realTarget.clock,
      dueAt: realTarget.dueAt,
    });
    expect({ ...answer.firstResponse.explanation, history: undefined }).toEqual({
      ...realExplanation,
      history: undefined,
    });
    expect(realExplanation.history).toEqual([expect.objectContaining({ cause: 'IncidentOpened', eventId: 'wi-1' })]);
  });

  it('another customer asking about a Work Order gets 404', async () => {
    const foreign = await host.post(
      '/api/what-if/first-response',
      {
        workOrderId: id,
        openedAt: '2027-03-05T16:50:00+01:00',
        severity: 'B',
        product: { family: 'Azure', service: 'Azure SQL Database' },
        channel: 'phone',
        location: 'NL',
      },
      reader('fabrikam'),
    );
    expect(foreign.status).toBe(404);
  });
});
