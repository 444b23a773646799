import { describe, expect, it } from 'vitest';
import type { HostProcess } from '../support/hostProcess';
import { hostForSuite } from '../support/suiteHost';
import { csam, manager } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface Entitlement {
  serviceCode: string;
  reserved: number;
  consumed: number;
  remaining: number;
  expired?: number;
}

describe('termination cascades and per-event AEM use on the local host (rules.md section 9, AEM-7, ENT-1)', () => {
  let host: HostProcess;

  hostForSuite({ clockStart: '2027-03-01T09:00:00Z' }, (started) => (host = started));

  const created = async (number: string, entitlements: unknown[]) => {
    const response = await host.post('/api/work-orders', workOrderBody({ number, entitlements }), csam);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const entitlement = async (id: string, code: string) =>
    (
      (await (await host.get(`/api/work-orders/${id}`, csam)).json()) as { entitlements: Entitlement[] }
    ).entitlements.find((e) => e.serviceCode === code);
  const get = async <T>(path: string) => (await (await host.get(path, csam)).json()) as T;
  const runtimeStatus = async (instanceId: string) =>
    (await get<{ runtimeStatus: string }>(`/api/lifecycles/${instanceId}`)).runtimeStatus;
  const post = async (path: string, body: unknown) => {
    const response = await host.post(path, body, manager('contoso'));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { id: string } };
  };
  const aem = (id: string, solutionName: string, start: string, days: number) =>
    post(`/api/work-orders/${id}/aem-events`, {
      solutionName,
      cloud: 'AzurePublic',
      start,
      days,
      confirmedAt: '2027-03-01',
    });
  const cyber = (id: string, start: string, days: number) =>
    post(`/api/work-orders/${id}/cyber-engagements`, {
      offering: 'CYBER_INCIDENT_RESPONSE',
      start,
      days,
      timeZone: 'Europe/Amsterdam',
    });
  const ticket = (body: Record<string, unknown>) =>
    host.post('/admin/servicebus/ticket-events/messages', { messageId: body['eventId'], body });

  it('EXP-1, DEP-1, ENT-1: a termination cancels what lies after `at`, gives it back, ends or tells each lifecycle, and the Work Order runs to `at`', async () => {
    const id = await created('WO-TERM', [
      { serviceCode: 'AEM', quantity: 4 },
      { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 15 },
      { serviceCode: 'WORKSHOP', quantity: 2 },
    ]);
    const across = await aem(id, 'across', '2027-06-27', 7); // 27 June–1 July and 2–3 July
    const september = await aem(id, 'september', '2027-09-01', 3);
    const cut = await cyber(id, '2027-06-28', 5); // 28, 29, 30 June, 1, 2 July
    const july = await cyber(id, '2027-07-05', 5);
    const workshop = await post(`/api/work-orders/${id}/service-requests`, {
      serviceCode: 'WORKSHOP',
      startDate: '2027-07-15',
      days: 1,
      price: 0,
      fundedBy: 'entitlement',
    });
    for (const r of [across, september, cut, july, workshop]) expect(r.status).toBe(201);
    expect(await entitlement(id, 'AEM')).toMatchObject({ reserved: 3, remaining: 1 });

    const before = await host.post(`/api/work-orders/${id}/terminate`, { at: '2027-02-28', reason: 'x' }, csam);
    expect(before.status).toBe(400);
    const response = await host.post(`/api/work-orders/${id}/terminate`, { at: '2027-06-30', reason: 'merger' }, csam);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'active', terminatesOn: '2027-06-30' });
    await host.settle();

    // Given back: the September booking and the second June event, the July engagement and two June/July days,
    // the workshop after `at`.
    expect(await entitlement(id, 'AEM')).toMatchObject({ reserved: 1, remaining: 3 });
    expect(await entitlement(id, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ reserved: 3, remaining: 12 });
    expect(await entitlement(id, 'WORKSHOP')).toMatchObject({ reserved: 0, remaining: 2 });
    expect(await get(`/api/aem-events/${september.body.id}`)).toMatchObject({ phase: 'cancelled' });
    expect(await get(`/api/aem-events/${across.body.id}`)).toMatchObject({
      events: [{ start: '2027-06-27', end: '2027-07-01' }],
    });
    expect(await get(`/api/cyber-engagements/${july.body.id}`)).toMatchObject({ status: 'cancelled' });
    const cutView = await get<{ schedule: Array<{ date: string }>; obligationLapsesOn: string }>(
      `/api/cyber-engagements/${cut.body.id}`,
    );
    expect(cutView.schedule.map((d) => d.date)).toEqual(['2027-06-28', '2027-06-29', '2027-06-30']);
    expect(cutView.obligationLapsesOn).toBe('2027-06-30');
    // Lifecycles: the cancelled ones ended, the cut ones go on with their shortened steps.
    expect(await runtimeStatus(`aem-event-${september.body.id}`)).toBe('Completed');
    expect(await runtimeStatus(`cyber-engagement-${july.body.id}`)).toBe('Completed');
    expect(await runtimeStatus(`aem-event-${across.body.id}`)).toBe('Running');
    expect(await runtimeStatus(`work-order-term-${id}`)).toBe('Running');
    const timeline = (
      await get<{ items: Array<{ kind: string; rule?: string }> }>(`/api/work-orders/${id}/timeline?limit=500`)
    ).items.map((e) => e.kind);
    expect(timeline).toEqual(
      expect.arrayContaining([
        'workOrderTerminated',
        'serviceCancelled',
        'aemEventShortened',
        'aemEventCancelled',
        'cyberEngagementCut',
        'cyberEngagementCancelled',
      ]),
    );

    // A second termination 409; bookings after the shortened term 422 EXP-1.
    expect((await host.post(`/api/work-orders/${id}/terminate`, { reason: 'again' }, csam)).status).toBe(409);
    const late = await aem(id, 'late', '2027-06-29', 3);
    expect(late).toMatchObject({ status: 422, body: { rule: 'EXP-1' } });
    expect(await cyber(id, '2027-06-28', 5)).toMatchObject({ status: 422, body: { rule: 'EXP-1' } });

    // The started window runs to its end; the cut engagement's three days are drawn down; then the term ends.
    await host.post('/admin/clock', { to: '2027-07-03T09:00:00Z' });
    expect(await entitlement(id, 'AEM')).toMatchObject({ reserved: 0, consumed: 1, expired: 3 });
    expect(await get(`/api/aem-events/${across.body.id}`)).toMatchObject({ phase: 'closed' });
    expect(await entitlement(id, 'CYBER_INCIDENT_RESPONSE')).toMatchObject({ consumed: 3 });
    expect(await get(`/api/cyber-engagements/${cut.body.id}`)).toMatchObject({ status: 'lapsed', deliveredDays: 3 });
    expect(await get(`/api/work-orders/${id}`)).toMatchObject({ status: 'terminated', terminatesOn: '2027-06-30' });
    expect(await runtimeStatus(`work-order-term-${id}`)).toBe('Completed');
    expect(await runtimeStatus(`cyber-engagement-${cut.body.id}`)).toBe('Completed');
    expect(
      (await post(`/api/work-orders/${id}/credits/redemptions`, { country: 'NL', serviceCode: 'WORKSHOP', value: 1 }))
        .status,
    ).toBe(409);
  });

  it("ENT-1, AEM-8, AEM-7: each event is consumed when its own window starts, a cancellation gives back the rest, and the post-event phase follows the window's cases until resolved", async () => {
    const id = await created('WO-AEMQ', [{ serviceCode: 'AEM', quantity: 4 }]);
    const cancelled = await aem(id, 'q', '2027-09-01', 7); // 1–5 and 6–7 September
    const followed = await aem(id, 'f', '2027-09-20', 3);
    expect(await entitlement(id, 'AEM')).toMatchObject({ reserved: 3, consumed: 0 });
    await host.post('/admin/clock', { to: '2027-09-02T10:00:00Z' });
    expect(await entitlement(id, 'AEM')).toMatchObject({ reserved: 2, consumed: 1, remaining: 1 });
    expect(
      (await host.post(`/api/aem-events/${cancelled.body.id}/cancel`, { reason: 'no answers' }, csam)).status,
    ).toBe(202);
    await host.settle();
    expect(await entitlement(id, 'AEM')).toMatchObject({ reserved: 1, consumed: 1, remaining: 2 });

    await host.post('/admin/clock', { to: '2027-09-21T10:00:00Z' });
    await ticket({
      eventId: 'aemq-open',
      type: 'IncidentOpened',
      occurredAt: '2027-09-21T11:00:00+02:00',
      incidentId: 'AEMQ-1',
      workOrderId: id,
      severity: 'B',
      product: { family: 'Azure', service: 'Azure SQL Database' },
      channel: 'azurePortal',
      description: 'AEM slow checkout',
      location: 'NL',
    });
    await host.settle();
    await host.post('/admin/clock', { to: '2027-09-23T10:00:00Z' });
    type Summary = { caseStates: Array<{ incidentId: string; status: string }>; allResolved: boolean };
    const open = await get<{ phase: string; summary: Summary }>(`/api/aem-events/${followed.body.id}`);
    expect(open).toMatchObject({ phase: 'postEvent', summary: { allResolved: false } });
    expect(open.summary.caseStates).toEqual([expect.objectContaining({ incidentId: 'AEMQ-1', status: 'open' })]);
    await ticket({
      eventId: 'aemq-close',
      type: 'Closed',
      occurredAt: '2027-09-23T12:00:00+02:00',
      incidentId: 'AEMQ-1',
      workOrderId: id,
    });
    await host.settle();
    await host.post('/admin/clock', { to: '2027-09-25T10:00:00Z' });
    const resolved = await get<{ phase: string; summary: Summary }>(`/api/aem-events/${followed.body.id}`);
    expect(resolved).toMatchObject({ phase: 'closed', summary: { allResolved: true } });
    expect(resolved.summary.caseStates).toEqual([expect.objectContaining({ incidentId: 'AEMQ-1', status: 'closed' })]);
    expect(await runtimeStatus(`aem-event-${followed.body.id}`)).toBe('Completed');
    expect(await entitlement(id, 'AEM')).toMatchObject({ reserved: 0, consumed: 2, remaining: 2 });
  });
});
