import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface IncidentView {
  incidentId: string;
  severity: string;
  status: string;
  coverage: string[];
  firstResponse: {
    plan: string;
    targetMinutes: number;
    clock: string;
    dueAt: string;
    respondedAt: string | null;
    state: string;
  };
  seniorIncidentManagerAssigned: boolean;
  postIncidentReviewRequired: boolean;
  rca: unknown;
}

const workOrderFor = (customerId: string, entitlements: Array<Record<string, unknown>>) =>
  workOrderBody({ customerId, number: `WO-${customerId}`, entitlements });

let n = 0;
const azureSql = { family: 'Azure', service: 'Azure SQL Database' };

describe('incident SLA lifecycle end to end (ticket-events queue, durable clock, portal reads)', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let baseWo: string;
  let uerWo: string;

  /** A ticketing system sends an event once it occurred: the clock is moved to its time first (never back). */
  const send = async (workOrderId: string, event: Record<string, unknown>, messageId?: string) => {
    const eventId = (event['eventId'] as string | undefined) ?? `evt-${++n}`;
    const occurredAt = event['occurredAt'] as string | undefined;
    if (occurredAt && Date.parse(occurredAt) > Date.parse(await now()))
      expect((await host.post('/admin/clock', { to: occurredAt })).status).toBe(200);
    const response = await host.post('/admin/servicebus/ticket-events/messages', {
      messageId: messageId ?? eventId,
      body: { eventId, workOrderId, ...event },
    });
    expect(response.status).toBe(202);
    await host.settle();
    return eventId;
  };
  const open = (
    workOrderId: string,
    incidentId: string,
    severity: string,
    occurredAt: string,
    extra: Record<string, unknown> = {},
  ) =>
    send(workOrderId, {
      type: 'IncidentOpened',
      occurredAt,
      incidentId,
      severity,
      product: azureSql,
      channel: 'phone',
      description: 'db slow',
      location: 'NL',
      ...extra,
    });
  const now = async () => ((await (await host.get('/admin/clock')).json()) as { now: string }).now;
  const incident = async (id: string) => {
    const response = await host.get(`/api/incidents/${id}`, csam);
    expect(response.status).toBe(200);
    return (await response.json()) as IncidentView;
  };
  const createWorkOrder = async (customerId: string, entitlements: Array<Record<string, unknown>>) => {
    const response = await host.post('/api/work-orders', workOrderFor(customerId, entitlements), csam);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-03-05T15:00:00Z',
    });
    baseWo = await createWorkOrder('contoso', []);
    uerWo = await createWorkOrder('fabrikam', [{ serviceCode: 'UER' }]);
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('RESP-BASE, INC-5: Base Sev B opened Friday 16:50 in Amsterdam is due Monday 10:20; warned at 80 %, breached at the due time', async () => {
    await open(baseWo, 'INC-FRI', 'B', '2027-03-05T16:50:00+01:00');
    const opened = await incident('INC-FRI');
    expect(opened.firstResponse).toMatchObject({
      plan: 'BASE',
      targetMinutes: 120,
      clock: 'businessHours',
      dueAt: '2027-03-08T10:20:00+01:00',
      respondedAt: null,
      state: 'pending',
    });
    await host.post('/admin/clock', { to: '2027-03-08T08:57:00Z' }); // Monday 09:57 local, after the 80 % point
    const notices = (await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Array<{
      body: { kind: string; incidentId: string };
    }>;
    expect(notices.map((m) => m.body)).toContainEqual(
      expect.objectContaining({ kind: 'firstResponseWarning', incidentId: 'INC-FRI' }),
    );
    expect((await incident('INC-FRI')).firstResponse.state).toBe('pending');
    await host.post('/admin/clock', { to: '2027-03-08T09:21:00Z' });
    expect((await incident('INC-FRI')).firstResponse.state).toBe('breached');
    const after = (await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Array<{
      body: { kind: string; incidentId: string };
    }>;
    expect(after.map((m) => m.body)).toContainEqual(
      expect.objectContaining({ kind: 'firstResponseBreached', incidentId: 'INC-FRI' }),
    );
    const breached = (await (
      await host.get(`/api/work-orders/${baseWo}/incidents?state=breached`, reader('contoso'))
    ).json()) as {
      items: IncidentView[];
    };
    expect(breached.items.map((i) => i.incidentId)).toContain('INC-FRI');
  });

  it('RESP-LATE: a human first response that occurred before the due time, arriving after the breach, makes it met', async () => {
    await send(baseWo, {
      type: 'FirstResponse',
      occurredAt: '2027-03-08T10:15:00+01:00',
      incidentId: 'INC-FRI',
      automated: false,
    });
    expect((await incident('INC-FRI')).firstResponse).toMatchObject({
      state: 'met',
      respondedAt: '2027-03-08T10:15:00+01:00',
    });
  });

  it('RESP-LATE: events that arrive before their IncidentOpened are held, visible on the timeline, and take effect when it opens', async () => {
    await send(baseWo, {
      type: 'FirstResponse',
      occurredAt: '2027-04-28T10:20:00+02:00',
      incidentId: 'INC-EARLY',
      automated: false,
    });
    await send(baseWo, {
      type: 'SeverityChanged',
      occurredAt: '2027-04-28T10:10:00+02:00',
      incidentId: 'INC-EARLY',
      severity: 'A',
    });
    expect((await host.get('/api/incidents/INC-EARLY', csam)).status).toBe(404);
    const timeline = (await (await host.get(`/api/work-orders/${baseWo}/timeline?limit=500`, csam)).json()) as {
      items: Array<{ kind: string; rule?: string; detail: string }>;
    };
    expect(
      timeline.items.filter((e) => e.kind === 'ticketEventHeld' && e.detail.startsWith('INC-EARLY')).map((e) => e.rule),
    ).toEqual(['RESP-LATE', 'RESP-LATE']);

    await open(baseWo, 'INC-EARLY', 'B', '2027-04-28T10:00:00+02:00');
    expect(await incident('INC-EARLY')).toMatchObject({
      severity: 'A',
      firstResponse: { targetMinutes: 60, state: 'met', respondedAt: '2027-04-28T10:20:00+02:00' },
    });
    const listed = (await (await host.get(`/api/work-orders/${baseWo}/incidents?limit=500`, csam)).json()) as {
      items: IncidentView[];
    };
    expect(listed.items.filter((i) => i.incidentId === 'INC-EARLY')).toHaveLength(1);
    const rejections = (await (await host.get('/api/ingestion/rejections', csam)).json()) as {
      items: Array<{ body: { incidentId?: string } }>;
    };
    expect(rejections.items.filter((r) => r.body.incidentId === 'INC-EARLY')).toEqual([]);
  });

  it("HOURS-1: Sev C across King's Day is due the day after the holiday", async () => {
    await open(baseWo, 'INC-KING', 'C', '2027-04-26T16:00:00+02:00');
    expect((await incident('INC-KING')).firstResponse).toMatchObject({
      targetMinutes: 240,
      clock: 'businessHours',
      dueAt: '2027-04-28T11:30:00+02:00',
    });
  });

  it('INC-5: Sev A runs 24x7 across the March DST jump', async () => {
    await open(baseWo, 'INC-DST', 'A', '2027-03-28T01:30:00+01:00');
    expect((await incident('INC-DST')).firstResponse).toMatchObject({
      targetMinutes: 60,
      clock: '24x7',
      dueAt: '2027-03-28T03:30:00+02:00',
    });
  });

  it('INC-3: an automated reply does not stop the clock; RESP-SEVCHG: a severity change recomputes from the open time', async () => {
    await open(baseWo, 'INC-AUTO', 'B', '2027-04-28T10:00:00+02:00');
    await send(baseWo, {
      type: 'FirstResponse',
      occurredAt: '2027-04-28T10:01:00+02:00',
      incidentId: 'INC-AUTO',
      automated: true,
    });
    expect((await incident('INC-AUTO')).firstResponse.state).toBe('pending');
    await send(baseWo, {
      type: 'SeverityChanged',
      occurredAt: '2027-04-28T10:05:00+02:00',
      incidentId: 'INC-AUTO',
      severity: 'A',
    });
    expect((await incident('INC-AUTO')).firstResponse).toMatchObject({
      targetMinutes: 60,
      clock: '24x7',
      dueAt: '2027-04-28T11:00:00+02:00',
      state: 'pending',
    });
    const lifecycle = await host.get(`/api/lifecycles/incident-sla-INC-AUTO`, manager('contoso'));
    expect(lifecycle.status).toBe(200);
    expect(await lifecycle.json()).toMatchObject({ runtimeStatus: 'Running', resource: '/api/incidents/INC-AUTO' });
  });

  it('RESP-UER, RESP-X2, UER-1, RSM-1: UER targets for Azure, non-Azure and an excluded Azure service', async () => {
    await open(uerWo, 'UER-AZ', '1', '2027-04-28T10:00:00+02:00');
    await open(uerWo, 'UER-M365', '1', '2027-04-28T10:00:00+02:00', {
      product: { family: 'Microsoft 365', service: 'Exchange Online' },
    });
    await open(uerWo, 'UER-STOR', '1', '2027-04-28T10:00:00+02:00', {
      product: { family: 'Azure', service: 'Azure StorSimple' },
    });
    expect((await incident('UER-AZ')).firstResponse).toMatchObject({ targetMinutes: 15 });
    expect((await incident('UER-M365')).firstResponse).toMatchObject({ plan: 'UER', targetMinutes: 30 });
    expect((await incident('UER-STOR')).firstResponse).toMatchObject({ plan: 'UER', targetMinutes: 30 });
    expect(await incident('UER-AZ')).toMatchObject({ coverage: ['BASE', 'UER'], seniorIncidentManagerAssigned: true });
  });

  it('UER-2, RCA-1: an RCA request is accepted before closure and refused after it with 409', async () => {
    const before = await host.post(
      '/api/incidents/UER-AZ/rca-requests',
      { requestedBy: 'ops@fabrikam.example' },
      manager('fabrikam'),
    );
    expect(before.status).toBe(201);
    expect(await before.json()).toMatchObject({ status: 'requested' });
    await send(uerWo, { type: 'Closed', occurredAt: '2027-04-28T12:00:00+02:00', incidentId: 'UER-AZ' });
    expect((await incident('UER-AZ')).postIncidentReviewRequired).toBe(true);
    const after = await host.post(
      '/api/incidents/UER-AZ/rca-requests',
      { requestedBy: 'ops@fabrikam.example' },
      manager('fabrikam'),
    );
    expect(after.status).toBe(409);
    expect(await after.json()).toMatchObject({ rule: 'RCA-1' });
    expect(
      ((await (await host.get('/api/lifecycles/incident-sla-UER-AZ', csam)).json()) as { runtimeStatus: string })
        .runtimeStatus,
    ).toBe('Completed');
  });

  it('a reopened incident gets its durable clock back', async () => {
    await send(uerWo, { type: 'Reopened', occurredAt: '2027-04-28T12:30:00+02:00', incidentId: 'UER-AZ' });
    expect((await incident('UER-AZ')).status).toBe('open');
    expect(
      ((await (await host.get('/api/lifecycles/incident-sla-UER-AZ', csam)).json()) as { runtimeStatus: string })
        .runtimeStatus,
    ).toBe('Running');
  });

  it('keeps customers apart: another customer reading an incident gets 404, no principal 401', async () => {
    expect((await host.get('/api/incidents/UER-AZ', reader('contoso'))).status).toBe(404);
    expect((await host.get('/api/incidents/UER-AZ')).status).toBe(401);
  });

  it('rejects an invalid message and one for an unknown Work Order (stored with reason, never retried or dead-lettered)', async () => {
    await host.post('/admin/servicebus/ticket-events/messages', {
      messageId: 'bad-1',
      body: { eventId: 'bad-1', type: 'IncidentOpened' },
    });
    await send('no-such-wo', {
      eventId: 'orphan-1',
      type: 'Closed',
      occurredAt: '2027-04-28T12:00:00+02:00',
      incidentId: 'X',
    });
    const rejections = (await (await host.get('/api/ingestion/rejections', csam)).json()) as {
      items: Array<{ messageId: string; reason: string; errors: unknown[] }>;
    };
    expect(rejections.items.map((r) => r.messageId)).toEqual(expect.arrayContaining(['bad-1', 'orphan-1']));
    expect(rejections.items.find((r) => r.messageId === 'bad-1')?.errors.length).toBeGreaterThan(0);
    const deadLetters = (await (await host.get('/admin/servicebus/ticket-events/deadletter')).json()) as unknown[];
    expect(deadLetters).toEqual([]);
    expect((await host.get('/api/ingestion/rejections', reader('contoso'))).status).toBe(403);
  });

  it('a duplicate eventId changes nothing, even under another messageId with a different body', async () => {
    await open(baseWo, 'INC-DUP', 'B', '2027-04-28T10:00:00+02:00', { eventId: 'dup-1' });
    await send(
      baseWo,
      {
        eventId: 'dup-1',
        type: 'IncidentOpened',
        occurredAt: '2027-04-28T10:00:00+02:00',
        incidentId: 'INC-DUP',
        severity: '1',
        product: azureSql,
        channel: 'phone',
        location: 'NL',
      },
      'another-message-id',
    );
    expect((await incident('INC-DUP')).severity).toBe('B');
    // The same again for an event that would still apply (a first response), and one that no longer can (Closed).
    for (const messageId of ['fr-first', 'fr-again']) {
      await send(
        baseWo,
        {
          eventId: 'dup-fr',
          type: 'FirstResponse',
          occurredAt: '2027-04-28T10:30:00+02:00',
          incidentId: 'INC-DUP',
          automated: false,
        },
        messageId,
      );
    }
    for (const messageId of ['close-first', 'close-again']) {
      await send(
        baseWo,
        { eventId: 'dup-close', type: 'Closed', occurredAt: '2027-04-28T11:30:00+02:00', incidentId: 'INC-DUP' },
        messageId,
      );
    }
    expect(await incident('INC-DUP')).toMatchObject({
      status: 'closed',
      firstResponse: { state: 'met', respondedAt: '2027-04-28T10:30:00+02:00' },
    });
    const timeline = (await (await host.get(`/api/work-orders/${baseWo}/timeline?limit=500`, csam)).json()) as {
      items: Array<{ detail: string }>;
    };
    expect(timeline.items.filter((e) => e.detail.startsWith('INC-DUP:'))).toHaveLength(
      new Set(timeline.items.filter((e) => e.detail.startsWith('INC-DUP:')).map((e) => e.detail)).size,
    );
    const rejections = (await (await host.get('/api/ingestion/rejections', csam)).json()) as {
      items: Array<{ messageId: string }>;
    };
    expect(rejections.items.map((r) => r.messageId)).not.toEqual(expect.arrayContaining(['another-message-id']));
    expect(rejections.items.map((r) => r.messageId).filter((id) => /-again$/.test(id))).toEqual([]);
  });

  it('an eventId already processed for one incident does not open another, and nothing is dead-lettered', async () => {
    await open(baseWo, 'INC-DUP-A', 'B', '2027-04-28T11:00:00+02:00', { eventId: 'dup-2' });
    await send(
      baseWo,
      {
        eventId: 'dup-2',
        type: 'IncidentOpened',
        occurredAt: '2027-04-28T11:00:00+02:00',
        incidentId: 'INC-DUP-B',
        severity: 'B',
        product: azureSql,
        channel: 'phone',
        location: 'NL',
      },
      'second-message-id',
    );
    expect((await incident('INC-DUP-A')).severity).toBe('B');
    expect((await host.get('/api/incidents/INC-DUP-B', csam)).status).toBe(404);
    const deadLetters = (await (await host.get('/admin/servicebus/ticket-events/deadletter')).json()) as Array<{
      messageId: string;
    }>;
    expect(deadLetters.map((d) => d.messageId)).not.toContain('second-message-id');
  });

  it('RESP-LATE: events held for an incident that is never opened are rejected by the daily sweep after 7 days', async () => {
    await send(
      baseWo,
      { type: 'FirstResponse', occurredAt: '2027-04-29T10:00:00+02:00', incidentId: 'INC-NEVER', automated: false },
      'never-fr',
    );
    const rejections = async () =>
      (
        (await (await host.get('/api/ingestion/rejections?limit=500', csam)).json()) as {
          items: Array<{ messageId: string; reason: string; body: { incidentId?: string } }>;
        }
      ).items;
    expect((await rejections()).map((r) => r.messageId)).not.toContain('never-fr');

    // Held at 2027-04-29 08:00 UTC: rejected by the first daily sweep after 7 days (02:30 UTC on 7 May).
    await host.post('/admin/clock', { to: '2027-05-07T03:00:00Z' });
    const rejected = (await rejections()).filter((r) => r.body.incidentId === 'INC-NEVER');
    expect(rejected).toEqual([
      expect.objectContaining({ messageId: 'never-fr', reason: expect.stringContaining('RESP-LATE') }),
    ]);
    expect((await rejections()).filter((r) => r.body.incidentId === 'INC-EARLY')).toEqual([]); // opened in time: nothing rejected
    const timeline = (await (await host.get(`/api/work-orders/${baseWo}/timeline?limit=500`, csam)).json()) as {
      items: Array<{ kind: string; detail: string }>;
    };
    expect(timeline.items.filter((e) => e.kind === 'heldTicketEventsRejected').map((e) => e.detail)).toEqual([
      expect.stringMatching(/^INC-NEVER: 1 held/),
    ]);

    // The incident's place is free again: a late IncidentOpened opens it with nothing held.
    await open(baseWo, 'INC-NEVER', 'B', '2027-05-07T10:00:00+02:00');
    expect((await incident('INC-NEVER')).firstResponse.state).toBe('pending');
  });
});
