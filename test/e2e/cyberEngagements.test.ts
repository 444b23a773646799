import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface Engagement {
  id: string;
  status: string;
  schedule: Array<{ date: string; from: string; to: string }>;
  hours: number;
  deliverablesDueBy: string;
  obligationLapsesOn: string;
  deliveredDays: number;
}

describe('cybersecurity engagement from schedule to lapse (CYB-2..6, ENT-1)', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let workOrderId: string;
  let engagement: Engagement;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-05-01T08:00:00Z',
    });
    const created = await host.post(
      '/api/work-orders',
      workOrderBody({ number: 'WO-CYB', entitlements: [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 10 }] }),
      csam,
    );
    workOrderId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  const book = (days: number) =>
    host.post(
      `/api/work-orders/${workOrderId}/cyber-engagements`,
      { offering: 'CYBER_INCIDENT_RESPONSE', start: '2027-05-24', days, timeZone: 'America/Los_Angeles' },
      manager('contoso'),
    );
  const consumed = async () =>
    (
      (await (await host.get(`/api/work-orders/${workOrderId}`, csam)).json()) as {
        entitlements: Array<{ serviceCode: string; consumed: number; reserved: number }>;
      }
    ).entitlements.find((e) => e.serviceCode === 'CYBER_INCIDENT_RESPONSE');

  it('CYB-2, ENT-1: refuses fewer than 5 days and more days than purchased', async () => {
    expect(await (await book(3)).json()).toMatchObject({ status: 422, rule: 'CYB-2' });
    expect(await (await book(15)).json()).toMatchObject({ status: 422, rule: 'ENT-1' });
  });

  it('CYB-4, CYB-5: books 5 eight-hour days in Pacific time with deliverables due 10 days after the last day', async () => {
    const response = await book(5);
    expect(response.status).toBe(201);
    engagement = (await response.json()) as Engagement;
    expect(engagement.schedule.map((d) => d.date)).toEqual([
      '2027-05-24',
      '2027-05-25',
      '2027-05-26',
      '2027-05-27',
      '2027-05-28',
    ]);
    expect(engagement.schedule[0]).toMatchObject({
      from: '2027-05-24T08:00:00-07:00',
      to: '2027-05-24T17:00:00-07:00',
    });
    expect(engagement).toMatchObject({
      hours: 40,
      deliverablesDueBy: '2027-06-07',
      obligationLapsesOn: '2027-06-07',
      status: 'scheduled',
    });
    expect(await consumed()).toMatchObject({ reserved: 5, consumed: 0 });
    expect((await host.get(`/api/cyber-engagements/${engagement.id}`, reader('fabrikam'))).status).toBe(404);
  });

  it('CYB-6: records the acknowledgements only when all three are given', async () => {
    const missing = await host.post(
      `/api/cyber-engagements/${engagement.id}/acknowledgements`,
      { toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed: false },
      manager('contoso'),
    );
    expect(await missing.json()).toMatchObject({ status: 422, rule: 'CYB-6' });
    const given = await host.post(
      `/api/cyber-engagements/${engagement.id}/acknowledgements`,
      { toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed: true },
      manager('contoso'),
    );
    expect(given.status).toBe(201);
  });

  it('CYB-3: draws days down as they are delivered; an extension adds a 5-day block skipping Memorial Day', async () => {
    await host.post('/admin/clock', { to: '2027-05-26T12:00:00Z' });
    expect(
      ((await (await host.get(`/api/cyber-engagements/${engagement.id}`, reader('contoso'))).json()) as Engagement)
        .deliveredDays,
    ).toBe(2);
    const extended = await host.post(
      `/api/cyber-engagements/${engagement.id}/extensions`,
      { blocks: 1 },
      manager('contoso'),
    );
    expect(extended.status).toBe(201);
    const after = (await extended.json()) as Engagement;
    expect(after.schedule.slice(5).map((d) => d.date)).toEqual([
      '2027-06-01',
      '2027-06-02',
      '2027-06-03',
      '2027-06-04',
      '2027-06-07',
    ]);
    expect(after).toMatchObject({ hours: 80, deliverablesDueBy: '2027-06-17', obligationLapsesOn: '2027-06-17' });
    expect(
      await (
        await host.post(`/api/cyber-engagements/${engagement.id}/extensions`, { blocks: 1 }, manager('contoso'))
      ).json(),
    ).toMatchObject({ status: 422, rule: 'ENT-1' });
  });

  it('CYB-5: closes after the last day and lapses after the lapse date, with every day drawn down', async () => {
    await host.post('/admin/clock', { to: '2027-06-09T12:00:00Z' });
    expect(
      ((await (await host.get(`/api/cyber-engagements/${engagement.id}`, reader('contoso'))).json()) as Engagement)
        .status,
    ).toBe('closed');
    await host.post('/admin/clock', { to: '2027-06-18T12:00:00Z' });
    const lapsed = (await (
      await host.get(`/api/cyber-engagements/${engagement.id}`, reader('contoso'))
    ).json()) as Engagement;
    expect(lapsed).toMatchObject({ status: 'lapsed', deliveredDays: 10 });
    expect(await consumed()).toMatchObject({ reserved: 0, consumed: 10 });
    const notes = (
      (await (await host.get('/admin/servicebus/lifecycle-notifications/messages')).json()) as Array<{
        body: { kind: string };
      }>
    ).map((n) => n.body.kind);
    expect(notes).toEqual(expect.arrayContaining(['cyberEngagementClosed', 'cyberDeliverablesLapsed']));
  });
});
