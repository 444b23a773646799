import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import { arrive } from '../../domain/incidents/arrival';
import type { AwaitingOpen, IncidentStore } from '../../domain/incidents/incidentStore';
import { rejectHeldEvents } from '../../app/ingestion';
import { ticketEventSchema } from '../../domain/incidents/ticketEvent';
import type { RunningAzurite } from '../../infra/local/azurite';
import { IncidentTable } from '../../infra/tables/incidentTable';
import { RejectionTable } from '../../infra/tables/rejectionTable';
import { startTestAzurite } from '../support/azurite';

const wo = 'wo-held';
const firstResponse = (incidentId: string) =>
  ticketEventSchema.parse({
    eventId: `fr-${incidentId}`,
    type: 'FirstResponse',
    occurredAt: '2027-03-05T17:00:00+01:00',
    incidentId,
    workOrderId: wo,
    automated: false,
  });
const opened = (incidentId: string) =>
  ticketEventSchema.parse({
    eventId: `open-${incidentId}`,
    type: 'IncidentOpened',
    occurredAt: '2027-03-05T16:50:00+01:00',
    incidentId,
    workOrderId: wo,
    severity: 'B',
    product: { family: 'Azure', service: 'Azure SQL Database' },
    channel: 'phone',
    description: 'x',
    location: 'NL',
  });
const due = (incidentId: string) => ({ workOrderId: wo, resourceId: incidentId, dueAt: '2027-03-12T18:00:00.000Z' });

describe('RESP-LATE: expiry of held ticket events on Azurite', () => {
  let azurite: RunningAzurite;
  let incidents: IncidentTable;
  let rejections: RejectionTable;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const client = async (name: string) => {
      const table = TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
      await table.createTable();
      return table;
    };
    incidents = new IncidentTable(await client('HeldIncidents'));
    rejections = new RejectionTable(await client('HeldRejections'));
  });
  afterAll(async () => azurite?.stop());

  const kept = (event: ReturnType<typeof firstResponse>) => ({
    event,
    receivedAt: '2027-03-05T16:00:00Z',
    messageId: `msg-${event.incidentId}`,
  });
  const hold = async (incidentId: string) => {
    const arrival = arrive({ arriving: kept(firstResponse(incidentId)) });
    expect(arrival.record.incident).toBeNull();
    await incidents.keep(arrival.record, kept(firstResponse(incidentId)), {
      opened: false,
      timeline: arrival.timeline,
    });
  };
  const rejected = async () => (await rejections.listNewestFirst({ limit: 100 })).items.map((r) => r.messageId);

  it('rejects what is held for an incident never opened, gives up its place, and does it once', async () => {
    await hold('I-1');
    expect(await rejectHeldEvents(due('I-1'), { incidents, rejections })).toBe(1);
    expect(await rejected()).toEqual(['msg-I-1']);
    expect(await incidents.getIn(wo, 'I-1')).toBeUndefined();
    expect(await incidents.events(wo, 'I-1')).toEqual([]);
    expect(await rejectHeldEvents(due('I-1'), { incidents, rejections })).toBe(0);
    expect(await rejected()).toEqual(['msg-I-1']);
  });

  it('takes its rejections back when the incident opens while they are being written', async () => {
    await hold('I-2');
    // The IncidentOpened wins the race: it replaces the held place just before the sweep gives it up.
    const racing: IncidentStore = Object.assign(Object.create(incidents) as IncidentStore, {
      release: async (...args: Parameters<IncidentStore['release']>) => {
        const awaiting = (await incidents.getIn(wo, 'I-2')) as AwaitingOpen;
        const opening = { event: opened('I-2'), receivedAt: '2027-03-05T16:00:00Z', messageId: 'msg-open-I-2' };
        const arrival = arrive({
          record: awaiting.record,
          arriving: opening,
          kept: await incidents.events(wo, 'I-2'),
          openerContext: {
            coverage: { plans: ['BASE'] },
            calendar: supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' }),
          },
        });
        await incidents.keep(arrival.record, opening, {
          etag: awaiting.etag,
          opened: true,
          timeline: arrival.timeline,
        });
        return incidents.release(...args);
      },
    });
    expect(await rejectHeldEvents(due('I-2'), { incidents: racing, rejections })).toBe(0);
    expect(await rejected()).not.toContain('msg-I-2');
    expect((await incidents.get('I-2'))?.incident).toMatchObject({
      incidentId: 'I-2',
      firstResponse: { state: 'met', respondedAt: '2027-03-05T17:00:00+01:00' },
    });
    expect((await incidents.events(wo, 'I-2')).map((e) => e.event.eventId).sort()).toEqual(['fr-I-2', 'open-I-2']);
  });
});
