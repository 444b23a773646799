import { expect } from 'vitest';
import type { HostProcess } from './hostProcess';
import { csam } from './principals';
import { workOrderBody } from './workOrderFixtures';

/** Where the scene's virtual clock starts: Monday 1 March 2027, 08:00 in Amsterdam. */
export const SCENE_CLOCK_START = '2027-03-01T07:00:00Z';

export interface OperatorScene {
  workOrderId: string;
  aemId: string;
  cyberId: string;
  incidents: { breached: string; met: string; pending: string };
}

const azureSql = { family: 'Azure', service: 'Azure SQL Database' };

/**
 * A Work Order with something on every clock, on the virtual clock: a UER incident breached (Sev A, 30 min), one met,
 * one pending, `extraIncidents` more pending ones, an AEM event and a cybersecurity engagement.
 */
export async function seedOperatorScene(host: HostProcess, extraIncidents = 0): Promise<OperatorScene> {
  const created = await host.post(
    '/api/work-orders',
    workOrderBody({
      number: 'WO-OPS',
      entitlements: [
        { serviceCode: 'UER' },
        { serviceCode: 'AEM', quantity: 3 },
        { serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 10 },
      ],
    }),
    csam,
  );
  expect(created.status).toBe(201);
  const workOrderId = ((await created.json()) as { id: string }).id;
  const cyber = await host.post(
    `/api/work-orders/${workOrderId}/cyber-engagements`,
    { offering: 'CYBER_INCIDENT_RESPONSE', start: '2027-03-08', days: 5, timeZone: 'Europe/Amsterdam' },
    csam,
  );
  expect(cyber.status).toBe(201);
  const aem = await host.post(
    `/api/work-orders/${workOrderId}/aem-events`,
    { solutionName: 'checkout', cloud: 'AzurePublic', start: '2027-04-20', days: 3, confirmedAt: '2027-03-01' },
    csam,
  );
  expect(aem.status).toBe(201);
  const send = (body: Record<string, unknown>) =>
    host.post('/admin/servicebus/ticket-events/messages', {
      messageId: body['eventId'],
      body: { workOrderId, ...body },
    });
  const open = (incidentId: string, severity: string, occurredAt: string) =>
    send({
      eventId: `${incidentId}-open`,
      type: 'IncidentOpened',
      incidentId,
      occurredAt,
      severity,
      product: azureSql,
      channel: 'phone',
      description: 'checkout latency',
      location: 'NL',
    });
  await open('INC-BREACH', 'A', '2027-03-01T08:05:00+01:00');
  await open('INC-MET', 'B', '2027-03-01T08:10:00+01:00');
  await open('INC-PENDING', 'C', '2027-03-01T08:20:00+01:00');
  for (let i = 0; i < extraIncidents; i++) {
    const minute = String(i % 60).padStart(2, '0');
    const hour = String(8 + (Math.floor(i / 60) % 1)).padStart(2, '0');
    await open(`INC-X${String(i).padStart(4, '0')}`, ['A', 'B', 'C'][i % 3]!, `2027-03-01T${hour}:${minute}:00+01:00`);
  }
  await send({
    eventId: 'INC-MET-resp',
    type: 'FirstResponse',
    incidentId: 'INC-MET',
    occurredAt: '2027-03-01T09:20:00+01:00',
    automated: false,
  });
  await host.settle();
  await host.post('/admin/clock', { to: '2027-03-01T08:45:00Z' }); // 09:45 Amsterdam: the Sev A target (08:35) has passed
  return {
    workOrderId,
    aemId: ((await aem.json()) as { id: string }).id,
    cyberId: ((await cyber.json()) as { id: string }).id,
    incidents: { breached: 'INC-BREACH', met: 'INC-MET', pending: 'INC-PENDING' },
  };
}
