import { describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import {
  ImpossibleTicketEvent,
  applyTicketEvent,
  clockOf,
  openIncident,
  recordDueTimer,
  requestRca,
  type IncidentContext,
} from '../../domain/incidents/incident';
import { ticketEventSchema, type TicketEvent } from '../../domain/incidents/ticketEvent';

const calendar = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const base: IncidentContext = { coverage: { plans: ['BASE'] }, calendar };
const uer: IncidentContext = { coverage: { plans: ['BASE', 'UER'] }, calendar };

let n = 0;
function event(partial: Partial<TicketEvent> & Pick<TicketEvent, 'type' | 'occurredAt'>): TicketEvent {
  return ticketEventSchema.parse({ eventId: `e${++n}`, incidentId: 'INC-1', workOrderId: 'wo-1', ...partial });
}

const opened = (severity: TicketEvent['severity'], occurredAt: string, extra: Partial<TicketEvent> = {}) =>
  event({
    type: 'IncidentOpened',
    occurredAt,
    severity,
    product: { family: 'Azure', service: 'Azure SQL Database' },
    channel: 'phone',
    description: 'db slow',
    location: 'NL',
    ...extra,
  });

describe('ticket event schema', () => {
  it('requires the fields of each type and refuses unknown fields', () => {
    expect(
      ticketEventSchema.safeParse({
        eventId: 'x',
        type: 'SeverityChanged',
        occurredAt: '2027-03-05T16:50:00+01:00',
        incidentId: 'I',
        workOrderId: 'w',
      }).success,
    ).toBe(false);
    expect(
      ticketEventSchema.safeParse({
        eventId: 'x',
        type: 'Closed',
        occurredAt: '2027-03-05T16:50:00+01:00',
        incidentId: 'I',
        workOrderId: 'w',
        extra: 1,
      }).success,
    ).toBe(false);
    expect(
      ticketEventSchema.safeParse({
        eventId: 'x',
        type: 'Closed',
        occurredAt: '2027-03-05T16:50:00+01:00',
        incidentId: 'I',
        workOrderId: 'w',
      }).success,
    ).toBe(true);
  });
});

describe('incident lifecycle (pure)', () => {
  it('RESP-BASE, INC-5: Base Sev B opened Friday 16:50 in Amsterdam is due Monday 10:20, warning at 80 %', () => {
    const { incident } = openIncident(opened('B', '2027-03-05T16:50:00+01:00'), base);
    expect(incident.firstResponse).toEqual({
      plan: 'BASE',
      targetMinutes: 120,
      clock: 'businessHours',
      dueAt: '2027-03-08T10:20:00+01:00',
      respondedAt: null,
      state: 'pending',
    });
    expect(incident.warningAt).toBe('2027-03-08T09:56:00+01:00');
  });

  it('UER-1, RSM-1: UER Sev A gets the 30-minute target, a Senior Incident Manager and automatic escalation', () => {
    const { incident, changes } = openIncident(opened('A', '2027-03-05T16:50:00+01:00'), uer);
    expect(incident.firstResponse).toMatchObject({ plan: 'UER', targetMinutes: 30, clock: '24x7' });
    expect(incident.seniorIncidentManagerAssigned).toBe(true);
    expect(incident.rsmEscalation).toBe('automatic');
    expect(changes.map((c) => c.rule)).toEqual(['RESP-PICK', 'UER-1', 'RSM-1']);
  });

  it('INC-3: an automated acknowledgement does not stop the clock; a human response does', () => {
    const { incident } = openIncident(opened('A', '2027-03-05T16:50:00+01:00'), base);
    const auto = applyTicketEvent(
      incident,
      event({ type: 'FirstResponse', occurredAt: '2027-03-05T16:51:00+01:00', automated: true }),
      base,
      new Date('2027-03-05T15:51:00Z'),
    );
    expect(auto.incident.firstResponse.state).toBe('pending');
    const human = applyTicketEvent(
      auto.incident,
      event({ type: 'FirstResponse', occurredAt: '2027-03-05T17:10:00+01:00', automated: false }),
      base,
      new Date('2027-03-05T16:10:00Z'),
    );
    expect(human.incident.firstResponse).toMatchObject({ state: 'met', respondedAt: '2027-03-05T17:10:00+01:00' });
  });

  it('RESP-LATE: a response that occurred before the due time corrects a recorded breach', () => {
    const { incident } = openIncident(opened('A', '2027-03-05T16:50:00+01:00'), base);
    const breached = recordDueTimer(incident, incident.firstResponse.dueAt, new Date('2027-03-05T16:50:00Z'));
    expect(breached.incident.firstResponse.state).toBe('breached');
    const late = applyTicketEvent(
      breached.incident,
      event({ type: 'FirstResponse', occurredAt: '2027-03-05T17:45:00+01:00', automated: false }),
      base,
      new Date('2027-03-05T17:00:00Z'),
    );
    expect(late.incident.firstResponse.state).toBe('met');
    expect(late.changes[0]).toMatchObject({ kind: 'breachCorrected', rule: 'RESP-LATE' });
  });

  it('RESP-SEVCHG, RESP-PICK, UER-1, UER-2: a raise to 1 under UER recomputes from the open time (Azure 15 min: Base and UER tie, Base listed first) and requires a post-incident review at closure', () => {
    const { incident } = openIncident(opened('B', '2027-03-05T10:00:00+01:00'), uer);
    expect(incident.seniorIncidentManagerAssigned).toBe(false);
    const raised = applyTicketEvent(
      incident,
      event({ type: 'SeverityChanged', occurredAt: '2027-03-05T10:05:00+01:00', severity: '1' }),
      uer,
      new Date('2027-03-05T09:05:00Z'),
    );
    expect(raised.incident.firstResponse).toMatchObject({
      plan: 'BASE',
      targetMinutes: 15,
      clock: '24x7',
      dueAt: '2027-03-05T10:15:00+01:00',
    });
    expect(raised.incident.seniorIncidentManagerAssigned).toBe(true);
    const closed = applyTicketEvent(
      raised.incident,
      event({ type: 'Closed', occurredAt: '2027-03-05T12:00:00+01:00' }),
      uer,
      new Date('2027-03-05T11:00:00Z'),
    );
    expect(closed.incident.postIncidentReviewRequired).toBe(true);
    expect(closed.changes.map((c) => c.rule)).toContain('UER-2');
  });

  it('INC-4: an unresponsive customer lowers a 24x7 severity to B, which runs in business hours', () => {
    const { incident } = openIncident(opened('A', '2027-03-05T10:00:00+01:00'), base);
    const lowered = applyTicketEvent(
      incident,
      event({ type: 'CustomerUnresponsive', occurredAt: '2027-03-05T10:10:00+01:00' }),
      base,
      new Date('2027-03-05T09:10:00Z'),
    );
    expect(lowered.incident.severity).toBe('B');
    expect(lowered.incident.firstResponse).toMatchObject({ clock: 'businessHours', targetMinutes: 120 });
  });

  it('RESP-LATE: an older severity change arriving late does not undo a newer one', () => {
    const { incident } = openIncident(opened('B', '2027-03-05T10:00:00+01:00'), base);
    const newer = applyTicketEvent(
      incident,
      event({ type: 'SeverityChanged', occurredAt: '2027-03-05T10:30:00+01:00', severity: 'A' }),
      base,
      new Date('2027-03-05T09:30:00Z'),
    );
    const older = applyTicketEvent(
      newer.incident,
      event({ type: 'SeverityChanged', occurredAt: '2027-03-05T10:20:00+01:00', severity: 'C' }),
      base,
      new Date('2027-03-05T09:31:00Z'),
    );
    expect(older.incident.severity).toBe('A');
  });

  it('rejects events that can never apply: a second open, closing twice, reopening an open incident', () => {
    const { incident } = openIncident(opened('B', '2027-03-05T10:00:00+01:00'), base);
    const now = new Date('2027-03-05T10:00:00Z');
    expect(() => applyTicketEvent(incident, opened('B', '2027-03-05T10:01:00+01:00'), base, now)).toThrow(
      ImpossibleTicketEvent,
    );
    expect(() =>
      applyTicketEvent(incident, event({ type: 'Reopened', occurredAt: '2027-03-05T10:01:00+01:00' }), base, now),
    ).toThrow(ImpossibleTicketEvent);
    const closed = applyTicketEvent(
      incident,
      event({ type: 'Closed', occurredAt: '2027-03-05T10:02:00+01:00' }),
      base,
      now,
    ).incident;
    expect(() =>
      applyTicketEvent(closed, event({ type: 'Closed', occurredAt: '2027-03-05T10:03:00+01:00' }), base, now),
    ).toThrow(ImpossibleTicketEvent);
    const reopened = applyTicketEvent(
      closed,
      event({ type: 'Reopened', occurredAt: '2027-03-05T10:04:00+01:00' }),
      base,
      now,
    ).incident;
    expect(clockOf(reopened)).toMatchObject({ status: 'open', state: 'pending' });
  });

  it('RCA-1: an RCA request is accepted before closure and refused after, with 409', () => {
    const { incident } = openIncident(opened('B', '2027-03-05T10:00:00+01:00'), base);
    const withRca = requestRca(incident, 'alice@contoso.example', '2027-03-05T11:00:00+01:00', undefined);
    expect(withRca.rca).toMatchObject({
      status: 'requested',
      available: true,
      diagnostics: expect.arrayContaining([{ item: 'logs', received: false }]),
    });
    const closed = applyTicketEvent(
      incident,
      event({ type: 'Closed', occurredAt: '2027-03-05T12:00:00+01:00' }),
      base,
      new Date(),
    ).incident;
    expect(() => requestRca(closed, 'alice', '2027-03-05T12:30:00+01:00', undefined)).toThrow(
      expect.objectContaining({ rule: 'RCA-1', status: 409 }),
    );
  });

  it('the due timer breaches only a pending target whose due time still stands', () => {
    const { incident } = openIncident(opened('A', '2027-03-05T16:50:00+01:00'), base);
    expect(recordDueTimer(incident, '2027-03-05T17:00:00+01:00', new Date('2027-03-05T17:00:00Z')).changes).toEqual([]);
    expect(recordDueTimer(incident, incident.firstResponse.dueAt, new Date('2027-03-05T16:00:00Z')).changes).toEqual(
      [],
    );
  });
});
