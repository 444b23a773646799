import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface AemView {
  id: string;
  phase: string;
  events: Array<{ start: string; end: string }>;
  shortNotice: boolean;
  assessment: string;
  incidents: Array<{ incidentId: string; firstResponse: { plan: string; targetMinutes: number } }>;
  summary: { cases: string[]; unresolved: string[] } | null;
}

describe('AEM events end to end (AEM-1..8, ENT-1)', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let workOrderId: string;
  let bookingId: string;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-09-01T08:00:00Z',
    });
    const created = await host.post(
      '/api/work-orders',
      workOrderBody({ number: 'WO-AEM', entitlements: [{ serviceCode: 'AEM', quantity: 3 }] }),
      csam,
    );
    expect(created.status).toBe(201);
    workOrderId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const view = async (id: string) =>
    (await (await host.get(`/api/aem-events/${id}`, reader('contoso'))).json()) as AemView;

  it('AEM-3, AEM-4: refuses other clouds and less than 42 days of notice without provider acceptance', async () => {
    const gov = await host.post(
      `/api/work-orders/${workOrderId}/aem-events`,
      { solutionName: 'checkout', cloud: 'AzureGovernment', start: '2027-11-20', days: 2, confirmedAt: '2027-09-01' },
      manager('contoso'),
    );
    expect(gov.status).toBe(422);
    expect(await gov.json()).toMatchObject({ rule: 'AEM-4' });
    const late = await host.post(
      `/api/work-orders/${workOrderId}/aem-events`,
      { solutionName: 'checkout', cloud: 'AzurePublic', start: '2027-10-12', days: 2, confirmedAt: '2027-09-01' },
      manager('contoso'),
    );
    expect(late.status).toBe(422);
    expect(await late.json()).toMatchObject({ rule: 'AEM-3' });
  });

  it('AEM-2: a 7-day booking becomes two back-to-back events', async () => {
    const response = await host.post(
      `/api/work-orders/${workOrderId}/aem-events`,
      { solutionName: 'checkout', cloud: 'AzurePublic', start: '2027-11-20', days: 7, confirmedAt: '2027-09-01' },
      manager('contoso'),
    );
    expect(response.status).toBe(201);
    const booked = (await response.json()) as AemView & { status: string };
    bookingId = booked.id;
    expect(booked).toMatchObject({
      events: [
        { start: '2027-11-20', end: '2027-11-24' },
        { start: '2027-11-25', end: '2027-11-26' },
      ],
      shortNotice: false,
      status: 'planned',
    });
    expect((await view(bookingId)).phase).toBe('planned');
    expect((await host.get(`/api/aem-events/${bookingId}`, reader('fabrikam'))).status).toBe(404);
    const lifecycle = await host.get(`/api/lifecycles/aem-event-${bookingId}`, reader('contoso'));
    expect(await lifecycle.json()).toMatchObject({
      runtimeStatus: 'Running',
      resource: `/api/aem-events/${bookingId}`,
    });
    expect((await host.get(`/api/lifecycles/aem-event-${bookingId}`, reader('fabrikam'))).status).toBe(404);
  });

  it("AEM-5, AEM-6, AEM-7: moves through assessment and the live window, where AEM incidents get RESP-AEM targets, to a summary of the window's cases", async () => {
    await host.post('/admin/clock', { to: '2027-11-06T12:00:00Z' });
    expect((await view(bookingId)).phase).toBe('assessment');
    await host.post('/admin/clock', { to: '2027-11-21T12:00:00Z' }); // 13:00 in Amsterdam, when the incident opens
    expect((await view(bookingId)).phase).toBe('live');
    await host.post('/admin/servicebus/ticket-events/messages', {
      messageId: 'aem-inc-1',
      body: {
        eventId: 'aem-inc-1',
        type: 'IncidentOpened',
        occurredAt: '2027-11-21T13:00:00+01:00',
        incidentId: 'AEM-INC-1',
        workOrderId,
        severity: 'A',
        product: { family: 'Azure', service: 'Azure SQL Database' },
        channel: 'azurePortal',
        description: 'AEM checkout latency',
        location: 'NL',
      },
    });
    await host.settle();
    const live = await view(bookingId);
    expect(live.incidents).toEqual([
      expect.objectContaining({
        incidentId: 'AEM-INC-1',
        firstResponse: expect.objectContaining({ plan: 'AEM', targetMinutes: 30 }),
      }),
    ]);
    await host.post('/admin/clock', { to: '2027-11-27T12:00:00Z' });
    const after = await view(bookingId);
    expect(after.phase).toBe('postEvent');
    expect(after.summary).toMatchObject({
      cases: ['AEM-INC-1'],
      caseStates: [expect.objectContaining({ incidentId: 'AEM-INC-1', status: 'open' })],
      unresolved: ['AEM-INC-1'],
      allResolved: false,
    });
    const wo = (await (await host.get(`/api/work-orders/${workOrderId}`, csam)).json()) as {
      entitlements: Array<{ serviceCode: string; consumed: number; remaining: number }>;
    };
    expect(wo.entitlements.find((e) => e.serviceCode === 'AEM')).toMatchObject({ consumed: 2, remaining: 1 });
  });

  it('AEM-3, ENT-1, AEM-8: a provider-accepted short-notice booking gets a limited assessment; too few events left is refused; cancelling releases the event', async () => {
    const short = await host.post(
      `/api/work-orders/${workOrderId}/aem-events`,
      {
        solutionName: 'billing',
        cloud: 'AzurePublic',
        start: '2027-12-20',
        days: 2,
        confirmedAt: '2027-11-27',
        providerAccepted: true,
      },
      manager('contoso'),
    );
    expect(short.status).toBe(201);
    const booked = (await short.json()) as AemView;
    expect(booked).toMatchObject({ shortNotice: true, assessment: 'limited' });
    const none = await host.post(
      `/api/work-orders/${workOrderId}/aem-events`,
      { solutionName: 'search', cloud: 'AzurePublic', start: '2028-03-01', days: 1, confirmedAt: '2027-11-27' },
      manager('contoso'),
    );
    expect(none.status).toBe(422);
    expect(await none.json()).toMatchObject({ rule: 'ENT-1' });
    expect(
      (await host.post(`/api/aem-events/${booked.id}/cancel`, { reason: 'no answers' }, manager('contoso'))).status,
    ).toBe(403);
    expect(
      (await host.post(`/api/aem-events/${booked.id}/cancel`, { reason: 'no answers from the customer' }, csam)).status,
    ).toBe(202);
    await host.settle();
    expect((await view(booked.id)).phase).toBe('cancelled');
    const again = await host.post(
      `/api/work-orders/${workOrderId}/aem-events`,
      { solutionName: 'search', cloud: 'AzurePublic', start: '2028-03-01', days: 1, confirmedAt: '2027-11-27' },
      manager('contoso'),
    );
    expect(again.status).toBe(201);
  });
});
