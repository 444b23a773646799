import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { csam, manager, reader } from '../support/principals';
import { workOrderBody } from '../support/workOrderFixtures';

interface IncidentView {
  severity: string;
  coverage: string[];
  firstResponse: { plan: string; targetMinutes: number; clock: string };
}

/**
 * Rules whose behaviour is older than the rule map, proved through the API and the queue: the catalogue as data
 * (BUY-1, BUY-5, PRO-1, INC-2, CYB-1, FLEX-1), the reactive plans picked for an incident (RESP-PICK, RESP-RR, RR-1,
 * RESP-X1, RESP-X3), the customer-unresponsive lowering (INC-4), the RCA answer (RCA-2, UER-3) and the backup
 * acknowledgement (CUST-BACKUP).
 */
describe('rules reached through the API and the queue', () => {
  let azurite: RunningAzurite;
  let host: HostProcess;
  let baseWo: string;
  let rrWo: string;
  let n = 0;

  const create = async (number: string, entitlements: Array<Record<string, unknown>>) => {
    const response = await host.post('/api/work-orders', workOrderBody({ number, entitlements }), csam);
    expect(response.status).toBe(201);
    return (await response.json()) as {
      id: string;
      flexPeriods: Array<{ year: number; allowance: number; creditsCap: number }>;
    };
  };
  const now = async () => ((await (await host.get('/admin/clock')).json()) as { now: string }).now;
  const send = async (workOrderId: string, event: Record<string, unknown>) => {
    const eventId = `reach-${++n}`;
    const response = await host.post('/admin/servicebus/ticket-events/messages', {
      messageId: eventId,
      body: { eventId, workOrderId, occurredAt: await now(), ...event },
    });
    expect(response.status).toBe(202);
    await host.settle();
  };
  const open = (workOrderId: string, incidentId: string, severity: string, service: string, channel: string) =>
    send(workOrderId, {
      type: 'IncidentOpened',
      incidentId,
      severity,
      product: { family: 'Azure', service },
      channel,
      description: 'service degraded',
      location: 'NL',
    });
  const incident = async (id: string) => {
    const response = await host.get(`/api/incidents/${id}`, csam);
    expect(response.status).toBe(200);
    return (await response.json()) as IncidentView;
  };

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-03-01T09:00:00Z',
    });
    baseWo = (await create('WO-BASE', [{ serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 }])).id;
    rrWo = (await create('WO-RR', [{ serviceCode: 'UER' }, { serviceCode: 'RAPID_RESPONSE' }])).id;
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('BUY-1, BUY-5, PRO-1, INC-2, CYB-1, FLEX-1: the catalogue in force is readable as data', async () => {
    const response = await host.get('/api/catalogue', reader('contoso'));
    expect(response.status).toBe(200);
    const catalogue = (await response.json()) as {
      services: Array<{ serviceCode: string; mark: string; unavailableIn: string[]; maxQuantity?: number }>;
      basePackage: string[];
      proactive: Record<string, string[]>;
      severities: Record<string, string>;
      cyberOfferings: Record<string, { kind: string; deliverables: string[] }>;
      flexAllowance: { creditsShare: number; creditsFloor: number };
    };
    // BUY-1: ✓ services make the Base package; everything else is +
    expect(catalogue.basePackage).toEqual(
      expect.arrayContaining(['ON_DEMAND_ASSESSMENT', 'WEBCASTS', 'ADVISORY_SUPPORT']),
    );
    expect(catalogue.services.find((s) => s.serviceCode === 'EDE')).toMatchObject({ mark: '+' });
    // BUY-5: availability per country (Support Technology Advisor not in Japan)
    expect(catalogue.services.find((s) => s.serviceCode === 'SUPPORT_TECHNOLOGY_ADVISOR')!.unavailableIn).toContain(
      'JP',
    );
    expect(catalogue.services.find((s) => s.serviceCode === 'DEVELOPER_SUPPORT')).toMatchObject({ maxQuantity: 10 });
    // PRO-1: the proactive catalogue by category
    expect(catalogue.proactive['planning']).toEqual(['PROOF_OF_CONCEPT']);
    expect(catalogue.proactive['education']).toEqual(['ON_DEMAND_EDUCATION', 'WEBCASTS', 'CHALK_TALK', 'WORKSHOP']);
    expect(Object.keys(catalogue.severities)).toEqual(['1', 'A', 'B', 'C']);
    expect(catalogue.cyberOfferings['CYBER_CRISIS_WORKSHOP']).toMatchObject({
      kind: 'proactive',
      deliverables: ['digital workbook'],
    });
    expect(catalogue.flexAllowance).toMatchObject({ creditsShare: 0.2, creditsFloor: 50000 });
    expect((await host.get('/api/catalogue')).status).toBe(401);
    // FLEX-1: the Base package carries an annual Flex Allowance
    const wo = (await (await host.get(`/api/work-orders/${baseWo}`, csam)).json()) as {
      flexPeriods: Array<{ year: number; allowance: number }>;
    };
    expect(wo.flexPeriods.map((p) => [p.year, p.allowance])).toEqual([
      [1, 150000],
      [2, 150000],
    ]);
  });

  it('RR-1, RESP-RR, RESP-PICK: an Azure incident opened in the cloud portal goes to Rapid Response; the fastest target wins', async () => {
    await open(rrWo, 'REACH-RR', '1', 'Azure SQL Database', 'azurePortal');
    const viaPortal = await incident('REACH-RR');
    expect(viaPortal.coverage).toEqual(expect.arrayContaining(['BASE', 'UER', 'RAPID_RESPONSE']));
    expect(viaPortal.firstResponse).toMatchObject({ targetMinutes: 15, clock: '24x7' });
    // RR-1 / RESP-X3: opened by phone it is not a Rapid Response incident
    await open(rrWo, 'REACH-PHONE', 'A', 'Azure SQL Database', 'phone');
    const byPhone = await incident('REACH-PHONE');
    expect(byPhone.coverage).not.toContain('RAPID_RESPONSE');
    // RESP-PICK: Base A 60 and UER A 30 both apply; UER's 30 wins
    expect(byPhone.firstResponse).toMatchObject({ plan: 'UER', targetMinutes: 30 });
  });

  it('RESP-X3, RESP-X1: Rapid Response does not cover Azure Media Services; Base gives StorSimple the "other" target', async () => {
    await open(rrWo, 'REACH-MEDIA', '1', 'Azure Media Services', 'azurePortal');
    expect((await incident('REACH-MEDIA')).coverage).not.toContain('RAPID_RESPONSE');
    await open(baseWo, 'REACH-STOR', '1', 'Azure StorSimple', 'phone');
    expect((await incident('REACH-STOR')).firstResponse).toMatchObject({ plan: 'BASE', targetMinutes: 60 });
    await open(baseWo, 'REACH-SQL', '1', 'Azure SQL Database', 'phone');
    expect((await incident('REACH-SQL')).firstResponse).toMatchObject({ plan: 'BASE', targetMinutes: 15 });
  });

  it('INC-2, INC-4: the severity changes during the incident, and an unresponsive customer lowers a 24x7 severity to B', async () => {
    await open(baseWo, 'REACH-SEV', 'B', 'Azure SQL Database', 'phone');
    await send(baseWo, { type: 'SeverityChanged', incidentId: 'REACH-SEV', severity: 'A' });
    expect(await incident('REACH-SEV')).toMatchObject({ severity: 'A', firstResponse: { clock: '24x7' } });
    await send(baseWo, { type: 'CustomerUnresponsive', incidentId: 'REACH-SEV' });
    expect(await incident('REACH-SEV')).toMatchObject({ severity: 'B', firstResponse: { clock: 'businessHours' } });
  });

  it('RCA-2, UER-3: an RCA requested before closure under UER says whether it is available and may cost extra', async () => {
    const response = await host.post(
      '/api/incidents/REACH-PHONE/rca-requests',
      { requestedBy: 'ops lead' },
      manager('contoso'),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'requested', available: true, extraCostMayApply: true });
  });

  it('CUST-BACKUP, CYB-1: the backup acknowledgement is recorded on the engagement, which names its kind and deliverables', async () => {
    const booked = await host.post(
      `/api/work-orders/${baseWo}/cyber-engagements`,
      { offering: 'CYBER_INCIDENT_RESPONSE', start: '2027-03-15', days: 5, timeZone: 'America/Los_Angeles' },
      manager('contoso'),
    );
    expect(booked.status).toBe(201);
    const engagement = (await booked.json()) as { id: string; kind: string; deliverables: string[] };
    expect(engagement).toMatchObject({
      kind: 'reactive',
      deliverables: expect.arrayContaining(['outbrief presentation']),
    });
    const ack = (validBackupConfirmed: boolean) =>
      host.post(
        `/api/cyber-engagements/${engagement.id}/acknowledgements`,
        { toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed },
        manager('contoso'),
      );
    expect(await (await ack(false)).json()).toMatchObject({ status: 422, rule: 'CYB-6' });
    expect((await ack(true)).status).toBe(201);
    const read = (await (await host.get(`/api/cyber-engagements/${engagement.id}`, reader('contoso'))).json()) as {
      acknowledgements: { validBackupConfirmed: boolean } | null;
    };
    expect(read.acknowledgements).toMatchObject({ validBackupConfirmed: true });
  });
});
