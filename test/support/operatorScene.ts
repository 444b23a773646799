import { expect } from 'vitest';
import type { HostProcess } from './hostProcess';
import { csam } from './principals';
import { workOrderBody } from './workOrderFixtures';

/** Where the scene's virtual clock starts: Monday 1 March 2027, 08:30 in Amsterdam (after the incidents opened). */
export const SCENE_CLOCK_START = '2027-03-01T07:30:00Z';

export interface OperatorScene {
  workOrderId: string;
  aemId: string;
  cyberId: string;
  incidents: { breached: string; met: string; pending: string };
}

const azureSql = { family: 'Azure', service: 'Azure SQL Database' };

/**
 * A Work Order with something on every clock, on the virtual clock: a UER incident breached (Sev A, 30 min), one met,
 * one pending, an AEM event and a cybersecurity engagement.
 */
export async function seedOperatorScene(host: HostProcess): Promise<OperatorScene> {
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
  await host.settle();
  await host.post('/admin/clock', { to: '2027-03-01T08:21:00Z' }); // events are never dated after they arrive
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
