import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface Problem {
  status: number;
  rule?: string;
  errors?: Array<{ path: string }>;
}
interface Duty {
  id: string;
  kind: string;
  rule: string;
  dueOn: string;
  remindOn: string;
  state: string;
}
interface WorkOrder {
  id: string;
  entitlements: Array<{
    serviceCode: string;
    purchased: number;
    remaining: number;
    endsOn: string;
    endedBy?: string;
    expired?: number;
  }>;
  duties: Duty[];
  creditBalances: Record<string, number>;
  supportLocations: Array<{
    country: string;
    role: string;
    invoice: string;
    ssm: { name: string } | null;
    sdmHoursOf: string;
  }>;
  warnings?: Array<{ rule: string }>;
  added?: { rule: string };
  cascade?: Array<{ serviceCode: string; rule: string }>;
}

/** rules.md section 9: every rule kept through the API, the queue or the term lifecycle. */
describe('the rulebook in force over HTTP (rules.md section 9)', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let wo: WorkOrder;

  const year = { term: { start: '2027-01-01', end: '2027-12-31' } };
  const body = (overrides: Record<string, unknown> = {}) =>
    workOrderBody({
      ...year,
      number: 'WO-RULES',
      downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
      flexAllocations: [
        { year: 1, target: 'proactiveCredits', amount: 50000 },
        { year: 1, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
      ],
      entitlements: [
        { serviceCode: 'UER' },
        { serviceCode: 'RAPID_RESPONSE' },
        { serviceCode: 'AZURE_ENGINEERING_DIRECT' },
        { serviceCode: 'REDE', hours: 20 },
        { serviceCode: 'EDE', hours: 10 },
        { serviceCode: 'WORKSHOP', quantity: 4 },
        { serviceCode: 'ON_DEMAND_ASSESSMENT', quantity: 2 },
      ],
      ...overrides,
    });
  const problem = async (response: Response, status: number, rule?: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const p = (await response.json()) as Problem;
    if (rule) expect(p.rule).toBe(rule);
    return p;
  };
  const put = (path: string, payload: unknown, headers: Record<string, string>) =>
    fetch(`${host.url}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(payload),
    });
  const get = async <T>(path: string, headers: Record<string, string> = csam) => {
    const response = await host.get(path, headers);
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const workOrder = (id = wo.id) => get<WorkOrder>(`/api/work-orders/${id}`);
  const timeline = async (id = wo.id) =>
    (
      await get<{ items: Array<{ kind: string; rule?: string; detail: string }> }>(
        `/api/work-orders/${id}/timeline?limit=500`,
      )
    ).items;
  const notices = async () =>
    (
      (await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Array<{
        body: { kind: string; workOrderId: string; dutyId?: string; rule?: string };
      }>
    )
      .map((n) => n.body)
      .filter((b) => b.workOrderId === wo.id);
  const create = async (payload: Record<string, unknown>) => {
    const response = await host.post('/api/work-orders', payload, csam);
    expect(response.status).toBe(201);
    return (await response.json()) as WorkOrder;
  };
  const request = async (payload: Record<string, unknown>, status = 201) => {
    const response = await host.post(`/api/work-orders/${wo.id}/service-requests`, payload, manager('contoso'));
    expect(response.status).toBe(status);
    return (await response.json()) as {
      id: string;
      rule?: string;
      delivery?: string;
      location?: string;
      flexYear?: number;
    };
  };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-01-01T08:00:00Z',
    });
    wo = await create(body());
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('BUY-4, MN-1, MN-3, MN-7: the Work Order shows its support locations, their role, invoice group and the Host hours for SDM', async () => {
    expect(wo.supportLocations).toEqual([
      expect.objectContaining({ country: 'NL', role: 'host', invoice: 'consolidated', ssm: null, sdmHoursOf: 'NL' }),
      expect.objectContaining({ country: 'DE', role: 'downstream', invoice: 'consolidated', sdmHoursOf: 'NL' }),
    ]);
    // MN-7: an exception country's own Work Order is invoiced separately
    const jp = await create(
      workOrderBody({
        ...year,
        number: 'WO-JP',
        host: { country: 'JP', timeZone: 'Asia/Tokyo' },
        flexAllocations: [],
        proactiveCredits: {},
      }),
    );
    expect(jp.supportLocations[0]).toMatchObject({ country: 'JP', invoice: 'separate' });
    // MN-6: Support Technology Advisor is not offered in exception countries; DEP-2 needs Rapid Response
    await problem(
      await host.post(
        `/api/work-orders/${jp.id}/entitlements`,
        { serviceCode: 'SUPPORT_TECHNOLOGY_ADVISOR', hours: 10 },
        csam,
      ),
      422,
      'MN-6',
    );
    await problem(
      await host.post(`/api/work-orders/${jp.id}/entitlements`, { serviceCode: 'AZURE_ENGINEERING_DIRECT' }, csam),
      422,
      'DEP-2',
    );
  });

  it('BUY-1, BUY-2, BUY-3, DEVS-1, SDM-REQ, EXP-1: services are added during the term with the creation checks; ✓ services cannot be', async () => {
    await problem(
      await host.post(`/api/work-orders/${wo.id}/entitlements`, { serviceCode: 'WEBCASTS' }, csam),
      422,
      'BUY-2',
    );
    await problem(
      await host.post(
        `/api/work-orders/${wo.id}/entitlements`,
        { serviceCode: 'DEVELOPER_SUPPORT', quantity: 11 },
        csam,
      ),
      422,
      'DEVS-1',
    );
    const added = await host.post(
      `/api/work-orders/${wo.id}/entitlements`,
      { serviceCode: 'DEVELOPER_SUPPORT', quantity: 10 },
      csam,
    );
    expect(added.status).toBe(201);
    const view = (await added.json()) as WorkOrder;
    expect(view.added).toMatchObject({ rule: 'BUY-3' });
    expect(view.warnings).toEqual([expect.objectContaining({ rule: 'SDM-REQ' })]);
    // EXP-1: it expires with the term
    expect(view.entitlements).toContainEqual(
      expect.objectContaining({ serviceCode: 'DEVELOPER_SUPPORT', purchased: 10, endsOn: '2027-12-31' }),
    );
    // DEVS-1 counts what is already held
    await problem(
      await host.post(
        `/api/work-orders/${wo.id}/entitlements`,
        { serviceCode: 'DEVELOPER_SUPPORT', quantity: 1 },
        csam,
      ),
      422,
      'DEVS-1',
    );
    // BUY-2 additional service; with SDM_ADDON held no SDM-REQ warning
    expect(
      (await host.post(`/api/work-orders/${wo.id}/entitlements`, { serviceCode: 'SDM_ADDON', hours: 10 }, csam)).status,
    ).toBe(201);
    const chalk = (await (
      await host.post(`/api/work-orders/${wo.id}/entitlements`, { serviceCode: 'CHALK_TALK', quantity: 2 }, csam)
    ).json()) as WorkOrder;
    expect(chalk.added).toMatchObject({ rule: 'BUY-2' });
    expect(chalk.warnings).toEqual([]);
    // roles and isolation: only the provider adds; another customer sees nothing
    await problem(
      await host.post(`/api/work-orders/${wo.id}/entitlements`, { serviceCode: 'CHALK_TALK' }, manager('contoso')),
      403,
    );
    await problem(
      await host.post(`/api/work-orders/${wo.id}/entitlements`, { serviceCode: 'CHALK_TALK' }, reader('fabrikam')),
      403,
    );
    await problem(await host.post(`/api/work-orders/nope/entitlements`, { serviceCode: 'CHALK_TALK' }, csam), 404);
    await problem(await host.post(`/api/work-orders/${wo.id}/entitlements`, { serviceCode: 'NOPE' }, csam), 400);
    const kinds = (await timeline())
      .filter((t) => t.kind === 'entitlementAdded' || t.kind === 'warning')
      .map((t) => t.rule);
    expect(kinds).toEqual(['BUY-3', 'SDM-REQ', 'BUY-2', 'BUY-2']);
  });

  it('UER-4, UER-5, GHED-1: UER and GitHub Engineering Direct bring onboarding and quarterly review duties', async () => {
    const duties = (await workOrder()).duties;
    expect(duties.find((d) => d.rule === 'UER-4')).toMatchObject({
      kind: 'onboarding',
      dueOn: '2027-03-01',
      remindOn: '2027-02-14',
      state: 'open',
    });
    expect(duties.filter((d) => d.rule === 'UER-5').map((d) => d.dueOn)).toEqual([
      '2027-03-31',
      '2027-06-30',
      '2027-09-30',
      '2027-12-31',
    ]);
    const gh = await host.post(
      `/api/work-orders/${wo.id}/entitlements`,
      { serviceCode: 'GITHUB_ENGINEERING_DIRECT' },
      csam,
    );
    expect(gh.status).toBe(201);
    const reviews = ((await gh.json()) as WorkOrder).duties.filter((d) => d.rule === 'GHED-1');
    expect(reviews.map((d) => [d.remindOn, d.dueOn])[0]).toEqual(['2027-03-17', '2027-03-31']);
    const onboarding = duties.find((d) => d.rule === 'UER-4')!;
    expect(await get<Duty>(`/api/duties/${encodeURIComponent(onboarding.id)}`, reader('contoso'))).toMatchObject({
      state: 'open',
    });
    await problem(await host.get(`/api/duties/${encodeURIComponent(onboarding.id)}`, reader('fabrikam')), 404);
    await problem(await host.get(`/api/duties/${encodeURIComponent(`${wo.id}:nothing`)}`, csam), 404);
  });

  it('EDE-1, REDE-1, ENT-1, ADV-1: hours are drawn down when used; advisory cases take at most 6 hours', async () => {
    const hours = (payload: Record<string, unknown>, who = manager('contoso')) =>
      host.post(`/api/work-orders/${wo.id}/hours`, { date: '2027-01-01', ...payload }, who);
    const ede = await hours({ serviceCode: 'EDE', hours: 4 });
    expect(ede.status).toBe(201);
    expect(await ede.json()).toMatchObject({ serviceCode: 'EDE', remainingAfter: 6 });
    await problem(await hours({ serviceCode: 'EDE', hours: 7 }), 422, 'ENT-1');
    expect((await hours({ serviceCode: 'REDE', hours: 2.5, incidentId: 'INC-R1' }, csam)).status).toBe(201);
    await problem(await hours({ serviceCode: 'ADVISORY_SUPPORT', hours: 1 }), 400);
    expect((await hours({ serviceCode: 'ADVISORY_SUPPORT', hours: 4, caseId: 'CASE-1' })).status).toBe(201);
    expect((await hours({ serviceCode: 'ADVISORY_SUPPORT', hours: 2, caseId: 'CASE-1' })).status).toBe(201);
    await problem(await hours({ serviceCode: 'ADVISORY_SUPPORT', hours: 0.5, caseId: 'CASE-1' }), 422, 'ADV-1');
    expect((await hours({ serviceCode: 'ADVISORY_SUPPORT', hours: 6, caseId: 'CASE-2' })).status).toBe(201);
    await problem(await hours({ serviceCode: 'EDE', hours: 1, date: '2028-01-02' }), 422, 'EXP-1');
    await problem(await hours({ serviceCode: 'EDE', hours: 1 }, reader('contoso')), 403);
    await problem(await hours({ serviceCode: 'EDE', hours: 1 }, manager('fabrikam')), 404);
    const used = await get<{ items: Array<{ serviceCode: string; hours: number }> }>(
      `/api/work-orders/${wo.id}/hours`,
      reader('contoso'),
    );
    expect(used.items.map((u) => [u.serviceCode, u.hours])).toEqual([
      ['EDE', 4],
      ['REDE', 2.5],
      ['ADVISORY_SUPPORT', 4],
      ['ADVISORY_SUPPORT', 2],
      ['ADVISORY_SUPPORT', 6],
    ]);
    const balances = (await workOrder()).entitlements;
    expect(balances.find((e) => e.serviceCode === 'EDE')).toMatchObject({ remaining: 6 });
    expect(balances.find((e) => e.serviceCode === 'REDE')).toMatchObject({ remaining: 17.5 });
    expect((await timeline()).filter((t) => t.kind === 'hoursUsed').map((t) => t.rule)).toEqual([
      'EDE-1',
      'REDE-1',
      'ADV-1',
      'ADV-1',
      'ADV-1',
    ]);
  });

  it('PRO-2, PRO-3, MN-2: delivery is remote unless on-site was agreed; assessment help is bounded; at a location of the Work Order', async () => {
    const workshop = {
      serviceCode: 'WORKSHOP',
      startDate: '2027-03-01',
      days: 1,
      price: 9000,
      fundedBy: 'entitlement',
    };
    expect(await request(workshop)).toMatchObject({ delivery: 'remote', location: 'NL' });
    expect(
      await problem(
        await host.post(
          `/api/work-orders/${wo.id}/service-requests`,
          { ...workshop, delivery: 'onsite' },
          manager('contoso'),
        ),
        422,
        'PRO-2',
      ),
    ).toBeTruthy();
    expect(await request({ ...workshop, delivery: 'onsite', onsiteAgreed: true, location: 'DE' })).toMatchObject({
      delivery: 'onsite',
      location: 'DE',
    });
    await problem(
      await host.post(
        `/api/work-orders/${wo.id}/service-requests`,
        { ...workshop, location: 'FR' },
        manager('contoso'),
      ),
      422,
      'MN-2',
    );
    const assessment = {
      serviceCode: 'ON_DEMAND_ASSESSMENT',
      startDate: '2027-03-01',
      days: 2,
      price: 0,
      fundedBy: 'entitlement',
    };
    await problem(
      await host.post(`/api/work-orders/${wo.id}/service-requests`, assessment, manager('contoso')),
      422,
      'PRO-3',
    );
    expect(await request({ ...assessment, delivery: 'onsite', onsiteAgreed: true })).toMatchObject({
      delivery: 'onsite',
    });
  });

  it('PRO-4, CANCEL-14: the provider cancels a workshop short of enrolment without fee; a late reschedule is priced as a cancellation', async () => {
    const workshop = {
      serviceCode: 'WORKSHOP',
      startDate: '2027-01-10',
      days: 1,
      price: 9000,
      fundedBy: 'entitlement',
    };
    const first = await request(workshop);
    expect((await host.post(`/api/service-requests/${first.id}/schedule`, undefined, csam)).status).toBe(200);
    // CANCEL-14: moved 9 days before its first day
    const late = await host.post(
      `/api/service-requests/${first.id}/reschedule`,
      { startDate: '2027-01-20' },
      manager('contoso'),
    );
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ startDate: '2027-01-20', maxCancellationFee: 9000, status: 'scheduled' });
    // 19 days before the new first day: no fee
    const early = await host.post(
      `/api/service-requests/${first.id}/reschedule`,
      { startDate: '2027-02-01' },
      manager('contoso'),
    );
    expect(await early.json()).toMatchObject({ maxCancellationFee: 0 });
    await problem(
      await host.post(`/api/service-requests/${first.id}/reschedule`, { startDate: '2028-02-01' }, manager('contoso')),
      422,
      'EXP-1',
    );
    await problem(
      await host.post(`/api/service-requests/${first.id}/reschedule`, { startDate: '2027-02-01' }, manager('fabrikam')),
      404,
    );
    // PRO-4: only the provider, only when enrolment fell short
    const cancel = (payload: Record<string, unknown>, who = csam) =>
      host.post(`/api/service-requests/${first.id}/cancel`, payload, who);
    await problem(await cancel({ reason: 'minimumEnrolment' }, manager('contoso')), 403);
    await problem(await cancel({ reason: 'minimumEnrolment', enrolled: 12, minimumEnrolment: 8 }), 422, 'PRO-4');
    const before = (await workOrder()).entitlements.find((e) => e.serviceCode === 'WORKSHOP')!.remaining;
    const cancelled = await cancel({
      reason: 'minimumEnrolment',
      enrolled: 3,
      minimumEnrolment: 8,
      at: '2027-01-25T09:00:00+01:00',
    });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({
      status: 'cancelled',
      maxCancellationFee: 0,
      cancellationReason: 'minimumEnrolment',
    });
    expect((await workOrder()).entitlements.find((e) => e.serviceCode === 'WORKSHOP')!.remaining).toBe(before + 1);
    const kinds = (await timeline()).map((t) => `${t.kind}:${t.rule}`);
    expect(kinds).toEqual(expect.arrayContaining(['serviceRescheduled:CANCEL-14', 'serviceCancelled:PRO-4']));
  });

  it('CRED-1, CRED-2, FLEX-3: credit-funded requests hold their credits, deduct them at delivery, give them back when cancelled; flex draws on the year’s allocation', async () => {
    const credits = { serviceCode: 'CHALK_TALK', startDate: '2027-03-01', days: 1, price: 1000, fundedBy: 'credits' };
    const held = await request({ ...credits, credits: { country: 'NL', value: 12.5 } });
    expect((await workOrder()).creditBalances['NL']).toBe(187);
    await problem(
      await host.post(
        `/api/work-orders/${wo.id}/service-requests`,
        { ...credits, credits: { country: 'NL', value: 500 } },
        manager('contoso'),
      ),
      422,
      'CRED-2',
    );
    const cancelled = await host.post(`/api/service-requests/${held.id}/cancel`, {}, manager('contoso'));
    expect(await cancelled.json()).toMatchObject({ creditsReleased: { country: 'NL', credits: 13 } });
    expect((await workOrder()).creditBalances['NL']).toBe(200);
    const delivered = await request({ ...credits, credits: { country: 'NL', value: 20 } });
    await host.post(`/api/service-requests/${delivered.id}/schedule`, undefined, csam);
    expect((await host.post(`/api/service-requests/${delivered.id}/deliver`, undefined, csam)).status).toBe(200);
    expect((await workOrder()).creditBalances['NL']).toBe(180);
    // FLEX-3: 100,000 allocated to RAP as a Service in year 1
    const rap = { serviceCode: 'RAP_AS_A_SERVICE', startDate: '2027-04-01', days: 1, fundedBy: 'flex' };
    const first = await request({ ...rap, price: 60000 });
    expect(first.flexYear).toBe(1);
    await problem(
      await host.post(`/api/work-orders/${wo.id}/service-requests`, { ...rap, price: 50000 }, manager('contoso')),
      422,
      'FLEX-3',
    );
    await problem(
      await host.post(
        `/api/work-orders/${wo.id}/service-requests`,
        { ...rap, serviceCode: 'ADOPTION', price: 1 },
        manager('contoso'),
      ),
      422,
      'FLEX-3',
    );
    await host.post(`/api/service-requests/${first.id}/cancel`, {}, manager('contoso'));
    expect((await request({ ...rap, price: 50000 })).flexYear).toBe(1);
    const rules = (await timeline())
      .filter((t) => t.kind === 'serviceRequested' || t.kind === 'serviceDelivered')
      .map((t) => t.rule);
    expect(rules).toEqual(expect.arrayContaining(['CRED-1', 'FLEX-3']));
  });

  it('CUST-SSM, CUST-CONTACT, MN-8: named contacts are on the Work Order and every change is on the timeline', async () => {
    const contacts = {
      ssm: { name: 'Sanne de Vries', email: 'sanne@contoso.example' },
      reactiveContacts: [{ name: 'Ops desk', email: 'ops@contoso.example' }],
      cloudAdministrators: [{ name: 'Cloud admin', email: 'cloud@contoso.example' }],
    };
    await problem(
      await put(
        `/api/work-orders/${wo.id}/contacts`,
        { ...contacts, perLocation: { FR: contacts.ssm } },
        manager('contoso'),
      ),
      422,
      'MN-8',
    );
    await problem(await put(`/api/work-orders/${wo.id}/contacts`, { reactiveContacts: [] }, manager('contoso')), 400);
    await problem(await put(`/api/work-orders/${wo.id}/contacts`, contacts, reader('contoso')), 403);
    await problem(await put(`/api/work-orders/${wo.id}/contacts`, contacts, manager('fabrikam')), 404);
    const first = await put(`/api/work-orders/${wo.id}/contacts`, contacts, manager('contoso'));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      locationsWithoutOwnSsm: ['DE'],
      contacts: { reactiveContacts: contacts.reactiveContacts },
    });
    const second = await put(
      `/api/work-orders/${wo.id}/contacts`,
      { ...contacts, perLocation: { DE: { name: 'Jonas Weber', email: 'jonas@contoso.example' } } },
      csam,
    );
    const view = (await second.json()) as WorkOrder & { locationsWithoutOwnSsm: string[] };
    expect(view.locationsWithoutOwnSsm).toEqual([]);
    expect(view.supportLocations.map((l) => [l.country, l.ssm?.name])).toEqual([
      ['NL', 'Sanne de Vries'],
      ['DE', 'Jonas Weber'],
    ]);
    expect((await timeline()).filter((t) => t.kind === 'contactsChanged').map((t) => t.rule)).toEqual([
      'CUST-SSM',
      'CUST-SSM',
    ]);
  });

  it('REDE-1: the designated engineer joins a Severity 1 or A incident once; its target is unchanged', async () => {
    const send = async (event: Record<string, unknown>) => {
      const response = await host.post('/admin/servicebus/ticket-events/messages', {
        messageId: event['eventId'],
        body: { workOrderId: wo.id, incidentId: 'INC-REDE', ...event },
      });
      expect(response.status).toBe(202);
      await host.settle();
    };
    const product = { family: 'Azure', service: 'Azure SQL Database' };
    await send({
      eventId: 'rede-1',
      type: 'IncidentOpened',
      occurredAt: '2027-01-01T09:01:00+01:00',
      severity: 'B',
      product,
      channel: 'phone',
      description: 'db slow',
      location: 'NL',
    });
    expect((await timeline()).filter((t) => t.kind === 'designatedEngineerJoins')).toEqual([]);
    await send({ eventId: 'rede-2', type: 'SeverityChanged', occurredAt: '2027-01-01T09:03:00+01:00', severity: 'A' });
    await send({ eventId: 'rede-3', type: 'SeverityChanged', occurredAt: '2027-01-01T09:05:00+01:00', severity: '1' });
    expect((await timeline()).filter((t) => t.kind === 'designatedEngineerJoins').map((t) => t.rule)).toEqual([
      'REDE-1',
    ]);
    // the target is the plans' (Azure severity 1 under Rapid Response / UER: 15 minutes), not changed by REDE
    const incident = await get<{ firstResponse: { targetMinutes: number } }>('/api/incidents/INC-REDE');
    expect(incident.firstResponse.targetMinutes).toBe(15);
  });

  it('CYB-5: the customer declines the deliverables and the obligation lapses that day', async () => {
    expect(
      (
        await host.post(
          `/api/work-orders/${wo.id}/entitlements`,
          { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 },
          csam,
        )
      ).status,
    ).toBe(201);
    const booked = await host.post(
      `/api/work-orders/${wo.id}/cyber-engagements`,
      { offering: 'CYBER_INCIDENT_RESPONSE', start: '2027-01-11', days: 5, timeZone: 'America/Los_Angeles' },
      manager('contoso'),
    );
    expect(booked.status).toBe(201);
    const engagement = (await booked.json()) as { id: string; obligationLapsesOn: string };
    const decline = (who: Record<string, string>) =>
      host.post(`/api/cyber-engagements/${engagement.id}/deliverables/decline`, { reason: 'not needed' }, who);
    await problem(await decline(csam), 403);
    await problem(await decline(manager('fabrikam')), 404);
    const declined = await decline(manager('contoso'));
    expect(declined.status).toBe(201);
    // 08:00 UTC on 1 January is midnight in the engagement's zone
    expect(await declined.json()).toMatchObject({
      obligationLapsesOn: '2027-01-01',
      deliverablesDeclined: { on: '2027-01-01' },
    });
    await problem(await decline(manager('contoso')), 409, 'CYB-5');
    await host.post('/admin/clock', { to: '2027-01-16T12:00:00Z' });
    const after = await get<{ status: string }>(`/api/cyber-engagements/${engagement.id}`);
    expect(after.status).toBe('lapsed');
    expect((await timeline()).filter((t) => t.rule === 'CYB-5').map((t) => t.kind)).toEqual(
      expect.arrayContaining(['cyberDeliverablesDeclined']),
    );
  });

  it('UER-4, UER-5, GHED-1: the term lifecycle reminds of duties, marks them overdue, and a completed duty stays done', async () => {
    const duties = (await workOrder()).duties;
    const onboarding = duties.find((d) => d.rule === 'UER-4')!;
    const review = duties.find((d) => d.rule === 'GHED-1')!;
    await host.post('/admin/clock', { to: '2027-02-14T09:30:00+01:00' });
    expect((await notices()).filter((n) => n.kind === 'dutyReminder').map((n) => n.dutyId)).toEqual([onboarding.id]);
    // the GitHub review is done before it falls due
    const done = await host.post(
      `/api/duties/${encodeURIComponent(review.id)}/complete`,
      { note: 'health check held' },
      manager('contoso'),
    );
    expect(done.status).toBe(201);
    expect(await done.json()).toMatchObject({ state: 'done' });
    await problem(
      await host.post(`/api/duties/${encodeURIComponent(review.id)}/complete`, {}, manager('contoso')),
      409,
      'GHED-1',
    );
    await problem(await host.post(`/api/duties/${encodeURIComponent(review.id)}/complete`, {}, reader('contoso')), 403);
    await host.post('/admin/clock', { to: '2027-04-01T01:00:00+02:00' });
    const after = await workOrder();
    expect(after.duties.find((d) => d.id === onboarding.id)!.state).toBe('overdue');
    expect(after.duties.find((d) => d.id === review.id)!.state).toBe('done');
    expect(after.duties.find((d) => d.rule === 'UER-5' && d.dueOn === '2027-03-31')!.state).toBe('overdue');
    const kinds = (await notices()).map((n) => `${n.kind}:${n.rule}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['dutyReminder:UER-4', 'dutyOverdue:UER-4', 'dutyReminder:UER-5', 'dutyOverdue:UER-5']),
    );
    expect(kinds).not.toContain('dutyOverdue:GHED-1');
    // late, but done
    const late = await host.post(`/api/duties/${encodeURIComponent(onboarding.id)}/complete`, {}, csam);
    expect(await late.json()).toMatchObject({ state: 'done' });
    expect((await timeline()).filter((t) => t.kind === 'dutyCompleted').map((t) => t.rule)).toEqual([
      'GHED-1',
      'UER-4',
    ]);
  });

  it('DEP-2: Azure Engineering Direct ends on the day Rapid Response ends; the term lifecycle expires what is left', async () => {
    await problem(
      await host.post(`/api/work-orders/${wo.id}/entitlements/EDE/end`, { at: '2027-01-01' }, csam),
      422,
      'EXP-1',
    );
    await problem(
      await host.post(`/api/work-orders/${wo.id}/entitlements/AEM/end`, { at: '2027-06-30' }, csam),
      422,
      'ENT-1',
    );
    await problem(
      await host.post(
        `/api/work-orders/${wo.id}/entitlements/RAPID_RESPONSE/end`,
        { at: '2027-06-30' },
        manager('contoso'),
      ),
      403,
    );
    const ended = await host.post(
      `/api/work-orders/${wo.id}/entitlements/RAPID_RESPONSE/end`,
      { at: '2027-06-30' },
      csam,
    );
    expect(ended.status).toBe(201);
    const view = (await ended.json()) as WorkOrder;
    expect(view.cascade).toEqual([{ serviceCode: 'AZURE_ENGINEERING_DIRECT', rule: 'DEP-2' }]);
    expect(view.entitlements.find((e) => e.serviceCode === 'AZURE_ENGINEERING_DIRECT')).toMatchObject({
      endsOn: '2027-06-30',
      endedBy: 'DEP-2',
    });
    await host.post('/admin/clock', { to: '2027-07-01T02:00:00+02:00' });
    const after = await workOrder();
    expect(after.entitlements.find((e) => e.serviceCode === 'AZURE_ENGINEERING_DIRECT')).toMatchObject({
      remaining: 0,
      expired: 1,
    });
    expect((await timeline()).filter((t) => t.kind === 'entitlementEnded').map((t) => t.rule)).toEqual(
      expect.arrayContaining(['DEP-2', 'EXP-1']),
    );
    expect((await notices()).filter((n) => n.kind === 'entitlementEnded').map((n) => n.rule)).toEqual(['DEP-2']);
  });
});
