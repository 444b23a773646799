import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface EventView {
  eventId: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  effect: 'applied' | 'ignored';
  reason?: string;
}
interface IncidentView {
  incidentId: string;
  severity: string;
  status: string;
  closedAt: string | null;
  coverage: string[];
  firstResponse: {
    plan: string;
    targetMinutes: number;
    dueAt: string;
    respondedAt: string | null;
    state: string;
    explanation?: { history?: Array<{ eventId?: string }> };
  };
  seniorIncidentManagerAssigned: boolean;
  events: EventView[];
}

const azureSql = { family: 'Azure', service: 'Azure SQL Database' };

describe('incidents whatever order their events arrive in, end to end (RESP-LATE)', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let woA: string;
  let woB: string;

  const post = async (workOrderId: string, event: Record<string, unknown>, messageId?: string) => {
    const response = await host.post('/admin/servicebus/ticket-events/messages', {
      messageId: messageId ?? event['eventId'],
      body: { workOrderId, ...event },
    });
    expect(response.status).toBe(202);
    await host.settle();
  };
  const get = async (incidentId: string) => {
    const response = await host.get(`/api/incidents/${incidentId}`, csam);
    expect(response.status).toBe(200);
    return { view: (await response.json()) as IncidentView, etag: response.headers.get('etag') };
  };
  const rejections = async () =>
    (
      (await (await host.get('/api/ingestion/rejections?limit=500', csam)).json()) as {
        items: Array<{ messageId: string; reason: string }>;
      }
    ).items;
  const notifications = async () =>
    (
      (await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Array<{
        body: { kind: string; incidentId: string; notificationId: string };
      }>
    ).map((m) => m.body);

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-04-28T10:00:00Z',
    });
    const create = async (customerId: string) => {
      const response = await host.post(
        '/api/work-orders',
        workOrderBody({ customerId, number: `WO-${customerId}` }),
        csam,
      );
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    woA = await create('contoso');
    woB = await create('fabrikam');
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('RESP-LATE: a few arrival orders of the same events through the queue give the same incident', async () => {
    // Wednesday 28 April, Amsterdam: opened B, raised to A and lowered back to B, an automated and a human response,
    // closed, reopened, closed again (the cases of issue 14: B → A → B and Closed/Reopened/Closed out of order).
    const events = [
      {
        key: 'open',
        type: 'IncidentOpened',
        occurredAt: '2027-04-28T09:00:00+02:00',
        severity: 'B',
        product: azureSql,
        channel: 'phone',
        description: 'db slow',
        location: 'NL',
      },
      { key: 'auto', type: 'FirstResponse', occurredAt: '2027-04-28T09:05:00+02:00', automated: true },
      { key: 'toA', type: 'SeverityChanged', occurredAt: '2027-04-28T09:10:00+02:00', severity: 'A' },
      { key: 'toB', type: 'SeverityChanged', occurredAt: '2027-04-28T09:20:00+02:00', severity: 'B' },
      { key: 'human', type: 'FirstResponse', occurredAt: '2027-04-28T09:40:00+02:00', automated: false },
      { key: 'close1', type: 'Closed', occurredAt: '2027-04-28T10:00:00+02:00' },
      { key: 'reopen', type: 'Reopened', occurredAt: '2027-04-28T10:30:00+02:00' },
      { key: 'close3', type: 'Closed', occurredAt: '2027-04-28T11:00:00+02:00' },
    ];
    const orders = [
      ['open', 'auto', 'toA', 'toB', 'human', 'close1', 'reopen', 'close3'],
      ['close3', 'reopen', 'close1', 'human', 'toB', 'toA', 'auto', 'open'],
      ['open', 'toB', 'human', 'close1', 'close3', 'toA', 'reopen', 'auto'],
      ['human', 'open', 'close1', 'close3', 'auto', 'reopen', 'toB', 'toA'],
    ];
    const results = [];
    for (const [k, order] of orders.entries()) {
      for (const key of order) {
        const { key: _key, ...event } = events.find((e) => e.key === key)!;
        await post(woA, { ...event, eventId: `perm${k}-${key}`, incidentId: `PERM-${k}` });
      }
      const { view } = await get(`PERM-${k}`);
      results.push({
        severity: view.severity,
        status: view.status,
        closedAt: view.closedAt,
        coverage: view.coverage,
        // the explanation's history names the causing events, whose ids carry the permutation's prefix
        firstResponse: {
          ...view.firstResponse,
          explanation: {
            ...view.firstResponse.explanation,
            history: view.firstResponse.explanation?.history?.map((h) => ({
              ...h,
              eventId: h.eventId?.replace(/^perm\d-/, ''),
            })),
          },
        },
        seniorIncidentManagerAssigned: view.seniorIncidentManagerAssigned,
        events: view.events.map((e) => ({ ...e, eventId: e.eventId.replace(/^perm\d-/, ''), receivedAt: undefined })),
      });
    }
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
    expect(results[0]).toMatchObject({
      severity: 'B',
      status: 'closed',
      closedAt: '2027-04-28T11:00:00+02:00',
      firstResponse: { targetMinutes: 120, state: 'met', respondedAt: '2027-04-28T09:40:00+02:00' },
    });
    expect(results[0]!.events.map((e) => [e.eventId, e.effect])).toEqual([
      ['open', 'applied'],
      ['auto', 'applied'],
      ['toA', 'applied'],
      ['toB', 'applied'],
      ['human', 'applied'],
      ['close1', 'applied'],
      ['reopen', 'applied'],
      ['close3', 'applied'],
    ]);
    expect(results[0]!.events[1]!.reason).toMatch(/automated/);
    expect((await rejections()).filter((r) => r.messageId.startsWith('perm'))).toEqual([]);
  });

  it('RESP-LATE: an event that cannot apply at its place is listed as ignored with its reason', async () => {
    await post(woA, {
      eventId: 'ign-open',
      type: 'IncidentOpened',
      occurredAt: '2027-04-28T09:00:00+02:00',
      incidentId: 'IGN',
      severity: 'C',
      product: azureSql,
      channel: 'web',
      location: 'NL',
    });
    await post(woA, {
      eventId: 'ign-close',
      type: 'Closed',
      occurredAt: '2027-04-28T09:30:00+02:00',
      incidentId: 'IGN',
    });
    await post(woA, {
      eventId: 'ign-sev',
      type: 'SeverityChanged',
      occurredAt: '2027-04-28T09:45:00+02:00',
      incidentId: 'IGN',
      severity: '1',
    });
    const { view } = await get('IGN');
    expect(view).toMatchObject({ severity: 'C', status: 'closed' });
    expect(view.events.find((e) => e.eventId === 'ign-sev')).toMatchObject({
      effect: 'ignored',
      reason: expect.stringMatching(/closed/),
      receivedAt: expect.any(String),
    });
  });

  it('one eventId, one effect, product-wide: re-sent naming another Work Order or incident, it changes nothing', async () => {
    await post(woA, {
      eventId: 'pw-1',
      type: 'IncidentOpened',
      occurredAt: '2027-04-28T11:00:00+02:00',
      incidentId: 'PW-A',
      severity: 'B',
      product: azureSql,
      channel: 'phone',
      location: 'NL',
    });
    // The same eventId naming another Work Order's new incident, and naming the first incident under another Work Order.
    await post(
      woB,
      {
        eventId: 'pw-1',
        type: 'IncidentOpened',
        occurredAt: '2027-04-28T11:00:00+02:00',
        incidentId: 'PW-B',
        severity: '1',
        product: azureSql,
        channel: 'phone',
        location: 'NL',
      },
      'pw-1-again',
    );
    await post(
      woB,
      { eventId: 'pw-1', type: 'Closed', occurredAt: '2027-04-28T11:05:00+02:00', incidentId: 'PW-A' },
      'pw-1-third',
    );
    expect((await host.get('/api/incidents/PW-B', csam)).status).toBe(404);
    const { view } = await get('PW-A');
    expect(view).toMatchObject({ severity: 'B', status: 'open' });
    expect(view.events.map((e) => e.eventId)).toEqual(['pw-1']);
    expect((await rejections()).map((r) => r.messageId)).not.toEqual(expect.arrayContaining(['pw-1-again']));
    expect((await rejections()).map((r) => r.messageId)).not.toEqual(expect.arrayContaining(['pw-1-third']));
    // Another eventId naming that incident under the other Work Order is rejected (RESP-LATE), not applied there.
    await post(woB, { eventId: 'pw-2', type: 'Closed', occurredAt: '2027-04-28T11:05:00+02:00', incidentId: 'PW-A' });
    expect((await rejections()).find((r) => r.messageId === 'pw-2')?.reason).toMatch(/RESP-LATE.*another Work Order/);
    expect((await get('PW-A')).view.status).toBe('open');
  });

  it('RESP-LATE: an event dated more than 10 minutes after it was received is rejected', async () => {
    await post(woA, {
      eventId: 'fut-1',
      type: 'IncidentOpened',
      occurredAt: '2027-04-28T12:30:00+02:00',
      incidentId: 'FUT',
      severity: 'B',
      product: azureSql,
      channel: 'phone',
      location: 'NL',
    });
    expect((await rejections()).find((r) => r.messageId === 'fut-1')?.reason).toMatch(/RESP-LATE.*10 minutes/);
    expect((await host.get('/api/incidents/FUT', csam)).status).toBe(404);
    // A few minutes ahead is a clock's skew, not an error.
    await post(woA, {
      eventId: 'fut-2',
      type: 'IncidentOpened',
      occurredAt: '2027-04-28T12:05:00+02:00',
      incidentId: 'FUT',
      severity: 'B',
      product: azureSql,
      channel: 'phone',
      location: 'NL',
    });
    expect((await get('FUT')).view.status).toBe('open');
  });

  it('the incident read carries an ETag; the RCA request honours If-Match (stale → 412)', async () => {
    const { etag } = await get('PW-A');
    expect(etag).toBeTruthy();
    const rca = (ifMatch: string) =>
      host.post(
        '/api/incidents/PW-A/rca-requests',
        { requestedBy: 'ops@contoso.example' },
        { ...manager('contoso'), 'if-match': ifMatch },
      );
    await post(woA, {
      eventId: 'pw-auto',
      type: 'FirstResponse',
      occurredAt: '2027-04-28T11:10:00+02:00',
      incidentId: 'PW-A',
      automated: true,
    });
    const stale = await rca(etag!);
    expect(stale.status).toBe(412);
    const fresh = await get('PW-A');
    expect(fresh.etag).not.toBe(etag);
    const accepted = await rca(fresh.etag!);
    expect(accepted.status).toBe(201);
    expect(accepted.headers.get('etag')).toBe((await get('PW-A')).etag);
  });

  it('RESP-LATE, RESP-SEVCHG: the durable clock follows a due time a late event moved, and a breach taken back is announced', async () => {
    // Opened C at 12:00 (due four business hours later); a raise to 1 that occurred at 12:01 arrives later: due 12:15.
    await post(woA, {
      eventId: 'mv-open',
      type: 'IncidentOpened',
      occurredAt: '2027-04-28T12:00:00+02:00',
      incidentId: 'MOVE',
      severity: 'C',
      product: azureSql,
      channel: 'phone',
      location: 'NL',
    });
    await post(woA, {
      eventId: 'mv-auto',
      type: 'FirstResponse',
      occurredAt: '2027-04-28T12:02:00+02:00',
      automated: true,
      incidentId: 'MOVE',
    });
    await post(woA, {
      eventId: 'mv-raise',
      type: 'SeverityChanged',
      occurredAt: '2027-04-28T12:01:00+02:00',
      severity: '1',
      incidentId: 'MOVE',
    });
    expect((await get('MOVE')).view.firstResponse).toMatchObject({
      dueAt: '2027-04-28T12:15:00+02:00',
      state: 'pending',
    });
    await host.post('/admin/clock', { to: '2027-04-28T10:16:00Z' });
    expect((await get('MOVE')).view.firstResponse.state).toBe('breached');
    expect(await notifications()).toContainEqual(
      expect.objectContaining({ kind: 'firstResponseBreached', incidentId: 'MOVE' }),
    );
    // A human response at 12:10 that arrives now was in time: the breach is corrected, and that is announced.
    await post(woA, {
      eventId: 'mv-human',
      type: 'FirstResponse',
      occurredAt: '2027-04-28T12:10:00+02:00',
      automated: false,
      incidentId: 'MOVE',
    });
    expect((await get('MOVE')).view.firstResponse).toMatchObject({
      state: 'met',
      respondedAt: '2027-04-28T12:10:00+02:00',
    });
    expect(await notifications()).toContainEqual(
      expect.objectContaining({ kind: 'firstResponseBreachCorrected', incidentId: 'MOVE' }),
    );
    const timeline = (await (await host.get(`/api/work-orders/${woA}/timeline?limit=500`, csam)).json()) as {
      items: Array<{ kind: string; rule?: string; detail: string }>;
    };
    expect(timeline.items.filter((e) => e.detail.startsWith('MOVE:')).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['severityChanged', 'firstResponseBreached', 'breachCorrected']),
    );
  });
});
