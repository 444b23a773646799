import { describe, expect, it } from 'vitest';
import {
  MAX_EVENTS_PER_INCIDENT,
  MAX_HELD_EVENTS,
  arrivalNeeds,
  arrive,
  refuseArrival,
  type IncidentRecord,
} from '../../domain/incidents/arrival';
import { clockOf, recordDueTimer, requestRca, type IncidentContext } from '../../domain/incidents/incident';
import { foldIncident, type KeptEvent } from '../../domain/incidents/incidentFold';
import { ticketEventSchema, type TicketEvent } from '../../domain/incidents/ticketEvent';
import { baseContext as base, uerContext as uer } from '../support/incidentFixtures';

let n = 0;
function event(partial: Partial<TicketEvent> & Pick<TicketEvent, 'type' | 'occurredAt'>): TicketEvent {
  return ticketEventSchema.parse({
    eventId: `e${String(++n).padStart(3, '0')}`,
    incidentId: 'INC-1',
    workOrderId: 'wo-1',
    ...partial,
  });
}
const kept = (e: TicketEvent, receivedAt = '2027-03-05T12:00:00Z'): KeptEvent => ({
  event: e,
  receivedAt,
  messageId: e.eventId,
});

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
const at = (type: TicketEvent['type'], occurredAt: string, extra: Partial<TicketEvent> = {}) =>
  event({ type, occurredAt, ...extra });

/** An incident opened by one event (its fold), with the timeline entries of that opening. */
function openIncident(e: TicketEvent, context: IncidentContext) {
  const { incident, steps } = fold([e], context);
  return { incident: { ...incident!, rca: null }, changes: steps[0]!.changes };
}

/** The fold of a set of events, every IncidentOpened resolved to the same context. */
const fold = (events: TicketEvent[], context: IncidentContext = base) =>
  foldIncident(
    events.map((e) => kept(e)),
    () => context,
  );

/** Events arriving one by one in the given order, as ingestion applies them (arrive on the stored record). */
function arriveAll(events: TicketEvent[], context: IncidentContext = base): IncidentRecord {
  let record: IncidentRecord | undefined;
  const keptSoFar: KeptEvent[] = [];
  for (const e of events) {
    const needs = arrivalNeeds(record, e);
    record = arrive({
      record,
      arriving: kept(e),
      kept: needs.history ? keptSoFar : undefined,
      openerContext: needs.context ? context : undefined,
    }).record;
    keptSoFar.push(kept(e));
  }
  return record!;
}

describe('ticket event schema', () => {
  it('requires the fields of each type and refuses unknown fields', () => {
    const minimal = { eventId: 'x', occurredAt: '2027-03-05T16:50:00+01:00', incidentId: 'I', workOrderId: 'w' };
    expect(ticketEventSchema.safeParse({ ...minimal, type: 'SeverityChanged' }).success).toBe(false);
    expect(ticketEventSchema.safeParse({ ...minimal, type: 'Closed', extra: 1 }).success).toBe(false);
    expect(ticketEventSchema.safeParse({ ...minimal, type: 'Closed' }).success).toBe(true);
  });
});

describe('an incident is the fold of its events (RESP-LATE)', () => {
  it('RESP-BASE, INC-5: Base Sev B opened Friday 16:50 in Amsterdam is due Monday 10:20, warning at 80 %', () => {
    const { incident } = openIncident(opened('B', '2027-03-05T16:50:00+01:00'), base);
    expect(incident.firstResponse).toMatchObject({
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

  it('INC-3: an automated acknowledgement is applied but changes nothing; a human response stops the clock', () => {
    const { incident, steps } = fold([
      opened('A', '2027-03-05T16:50:00+01:00'),
      at('FirstResponse', '2027-03-05T16:51:00+01:00', { automated: true }),
      at('FirstResponse', '2027-03-05T17:10:00+01:00', { automated: false }),
      at('FirstResponse', '2027-03-05T17:20:00+01:00', { automated: false }),
    ]);
    expect(incident!.firstResponse).toMatchObject({ state: 'met', respondedAt: '2027-03-05T17:10:00+01:00' });
    expect(steps.map((s) => [s.effect, s.rule])).toEqual([
      ['applied', undefined],
      ['applied', 'INC-3'],
      ['applied', undefined],
      ['applied', 'INC-3'],
    ]);
    expect(steps[3]!.reason).toMatch(/already given/);
  });

  it('RESP-SEVCHG, RESP-PICK, UER-1, UER-2: a raise to 1 under UER recomputes from the open time and requires a review at closure', () => {
    const { incident, steps } = fold(
      [
        opened('B', '2027-03-05T10:00:00+01:00'),
        at('SeverityChanged', '2027-03-05T10:05:00+01:00', { severity: '1' }),
        at('Closed', '2027-03-05T12:00:00+01:00'),
      ],
      uer,
    );
    expect(incident!.firstResponse).toMatchObject({
      plan: 'BASE',
      targetMinutes: 15,
      clock: '24x7',
      dueAt: '2027-03-05T10:15:00+01:00',
    });
    expect(incident!.seniorIncidentManagerAssigned).toBe(true);
    expect(incident!.postIncidentReviewRequired).toBe(true);
    expect(steps[2]!.changes.map((c) => c.rule)).toContain('UER-2');
  });

  it('INC-4: an unresponsive customer lowers a 24x7 severity to B, which runs in business hours; C cannot go lower', () => {
    const { incident, steps } = fold([
      opened('A', '2027-03-05T10:00:00+01:00'),
      at('CustomerUnresponsive', '2027-03-05T10:10:00+01:00'),
      at('CustomerUnresponsive', '2027-03-05T10:20:00+01:00'),
      at('CustomerUnresponsive', '2027-03-05T10:30:00+01:00'),
    ]);
    expect(incident!.severity).toBe('C');
    expect(incident!.firstResponse).toMatchObject({ clock: 'businessHours', targetMinutes: 240 });
    expect(steps[3]).toMatchObject({
      effect: 'applied',
      rule: 'INC-4',
      reason: expect.stringMatching(/cannot be lowered/),
    });
  });

  it('RESP-SEVCHG: a change to the severity in force is applied with its reason and changes nothing', () => {
    const { steps } = fold([
      opened('B', '2027-03-05T10:00:00+01:00'),
      at('SeverityChanged', '2027-03-05T10:05:00+01:00', { severity: 'B' }),
    ]);
    expect(steps[1]).toMatchObject({ effect: 'applied', rule: 'RESP-SEVCHG', changes: [] });
    expect(steps[1]!.reason).toMatch(/already in force/);
  });

  it('RESP-LATE: severity B → A (t1) → B (t2) ends at B whichever arrives first', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const toA = at('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'A' });
    const toB = at('SeverityChanged', '2027-03-05T10:20:00+01:00', { severity: 'B' });
    for (const order of [
      [open, toA, toB],
      [open, toB, toA],
      [toB, open, toA],
      [toB, toA, open],
    ]) {
      const record = arriveAll(order);
      expect(record.incident).toMatchObject({ severity: 'B', severityHistory: ['B', 'A', 'B'] });
      expect(record.incident!.firstResponse).toMatchObject({ targetMinutes: 120, clock: 'businessHours' });
    }
  });

  it('RESP-LATE: Closed (t1), Reopened (t2), Closed (t3) arriving t1, t3, t2 leaves the incident closed', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const c1 = at('Closed', '2027-03-05T11:00:00+01:00');
    const r2 = at('Reopened', '2027-03-05T12:00:00+01:00');
    const c3 = at('Closed', '2027-03-05T13:00:00+01:00');
    const afterT3 = arriveAll([open, c1, c3]);
    expect(afterT3.incident).toMatchObject({ status: 'closed', closedAt: c1.occurredAt });
    const record = arriveAll([open, c1, c3, r2]);
    expect(record.incident).toMatchObject({ status: 'closed', closedAt: c3.occurredAt });
    expect(record).toEqual(arriveAll([open, c1, r2, c3]));
  });

  it('RESP-LATE: the closing that could not apply at its place applies once the reopening before it arrives', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const c1 = at('Closed', '2027-03-05T11:00:00+01:00');
    const r2 = at('Reopened', '2027-03-05T12:00:00+01:00');
    const c3 = at('Closed', '2027-03-05T13:00:00+01:00');
    const before = fold([open, c1, c3]).steps.find((s) => s.eventId === c3.eventId);
    expect(before).toMatchObject({ effect: 'ignored', rule: 'RESP-LATE', reason: expect.stringMatching(/closed/) });
    const after = fold([open, c1, c3, r2]).steps.find((s) => s.eventId === c3.eventId);
    expect(after).toMatchObject({ effect: 'applied' });
  });

  it('RESP-LATE: a first response is judged by where it falls among severity changes, not by when it arrives', () => {
    // B opened 10:00 (due 12:00 business hours); raised to A at 10:10 (due 11:00); response at 11:30.
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const raise = at('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'A' });
    const response = at('FirstResponse', '2027-03-05T11:30:00+01:00', { automated: false });
    for (const order of [
      [open, raise, response],
      [open, response, raise],
    ])
      expect(arriveAll(order).incident!.firstResponse).toMatchObject({
        state: 'breached',
        dueAt: '2027-03-05T11:00:00+01:00',
        respondedAt: response.occurredAt,
      });
    // A raise after the response does not re-judge it (RESP-SEVCHG: met stays met).
    const lateRaise = at('SeverityChanged', '2027-03-05T11:40:00+01:00', { severity: '1' });
    expect(arriveAll([open, lateRaise, response]).incident).toMatchObject({
      severity: '1',
      firstResponse: { state: 'met', dueAt: '2027-03-05T12:00:00+01:00' },
    });
  });

  it('RESP-LATE: a response that occurred before the due time corrects a breach the due timer recorded', () => {
    const open = opened('A', '2027-03-05T16:50:00+01:00');
    const record = arriveAll([open]);
    const breached = recordDueTimer(
      record.incident!,
      record.incident!.firstResponse.dueAt,
      new Date('2027-03-05T16:50:00Z'),
    );
    expect(breached.incident.firstResponse.state).toBe('breached');
    const response = at('FirstResponse', '2027-03-05T17:45:00+01:00', { automated: false });
    const arrival = arrive({
      record: { ...record, incident: breached.incident },
      arriving: kept(response, '2027-03-05T17:00:00Z'),
    });
    expect(arrival.record.incident!.firstResponse).toMatchObject({ state: 'met', respondedAt: response.occurredAt });
    expect(arrival.timeline.map((t) => [t.kind, t.rule])).toContainEqual(['breachCorrected', 'RESP-LATE']);
  });

  it('RESP-LATE: a breach the due timer recorded stands when a later event leaves its target alone', () => {
    const record = arriveAll([opened('A', '2027-03-05T16:50:00+01:00')]);
    const breached = recordDueTimer(
      record.incident!,
      record.incident!.firstResponse.dueAt,
      new Date('2027-03-05T16:50:00Z'),
    );
    const arrival = arrive({
      record: { ...record, incident: breached.incident },
      arriving: kept(at('FirstResponse', '2027-03-05T18:00:00+01:00', { automated: true })),
    });
    expect(arrival.record.incident!.firstResponse.state).toBe('breached');
  });

  it('RESP-LATE: events that arrive before their IncidentOpened are held and take effect when it opens', () => {
    const open = opened('B', '2027-04-28T10:00:00+02:00');
    const raise = at('SeverityChanged', '2027-04-28T10:10:00+02:00', { severity: 'A' });
    const response = at('FirstResponse', '2027-04-28T10:20:00+02:00', { automated: false });
    const held = arriveAll([response, raise]);
    expect(held.incident).toBeNull();
    expect(held.cursor.count).toBe(2);
    expect(arriveAll([response, raise, open]).incident).toMatchObject({
      severity: 'A',
      firstResponse: { targetMinutes: 60, state: 'met', respondedAt: response.occurredAt },
    });
  });

  it('RESP-LATE (dated before open): an event that occurred before the opening is kept as ignored, and applies if an earlier opening arrives', () => {
    const early = at('SeverityChanged', '2027-03-05T09:50:00+01:00', { severity: 'A' });
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const { incident, steps } = fold([open, early]);
    expect(incident!.severity).toBe('B');
    expect(steps[0]).toMatchObject({ eventId: early.eventId, effect: 'ignored', rule: 'RESP-LATE' });
    expect(steps[0]!.reason).toMatch(/not open/);
    const earlierOpen = opened('C', '2027-03-05T09:40:00+01:00');
    const refolded = arriveAll([open, early, earlierOpen]);
    expect(refolded.incident).toMatchObject({
      severity: 'A',
      openedAt: earlierOpen.occurredAt,
      openedBy: earlierOpen.eventId,
    });
    expect(refolded.cursor.context?.openerEventId).toBe(earlierOpen.eventId);
    expect(fold([open, early, earlierOpen]).steps.find((s) => s.eventId === open.eventId)).toMatchObject({
      effect: 'ignored',
      reason: expect.stringMatching(/already opened/),
    });
  });

  it('RESP-LATE (changes to a closed incident): severity changes, responses and an unresponsive customer after Closed are ignored, as is a second Closed', () => {
    const { incident, steps } = fold([
      opened('B', '2027-03-05T10:00:00+01:00'),
      at('Closed', '2027-03-05T11:00:00+01:00'),
      at('SeverityChanged', '2027-03-05T11:10:00+01:00', { severity: '1' }),
      at('FirstResponse', '2027-03-05T11:20:00+01:00', { automated: false }),
      at('CustomerUnresponsive', '2027-03-05T11:30:00+01:00'),
      at('Closed', '2027-03-05T11:40:00+01:00'),
    ]);
    expect(incident).toMatchObject({ status: 'closed', severity: 'B', firstResponse: { state: 'pending' } });
    expect(steps.slice(2).map((s) => [s.effect, s.rule])).toEqual(Array(4).fill(['ignored', 'RESP-LATE']));
    expect(
      fold([opened('B', '2027-03-05T10:00:00+01:00'), at('Reopened', '2027-03-05T10:30:00+01:00')]).steps[1],
    ).toMatchObject({
      effect: 'ignored',
      reason: expect.stringMatching(/not closed/),
    });
  });

  it('RESP-LATE (another Work Order, future, bounds): what is rejected outright', () => {
    const e = at('Closed', '2027-03-05T12:00:00+01:00');
    expect(refuseArrival(e, '2027-03-05T11:00:00Z', { openedIn: 'wo-2' })).toMatchObject({
      rule: 'RESP-LATE',
      path: 'workOrderId',
    });
    expect(refuseArrival(e, '2027-03-05T11:00:00Z', { openedIn: 'wo-1' })).toBeNull();
    // 10 minutes ahead of our clock is skew; more is rejected.
    expect(refuseArrival(e, '2027-03-05T10:50:00Z', {})).toBeNull();
    expect(refuseArrival(e, '2027-03-05T10:49:59Z', {})).toMatchObject({ rule: 'RESP-LATE', path: 'occurredAt' });
    const record = arriveAll([opened('B', '2027-03-05T10:00:00+01:00')]);
    expect(
      refuseArrival(e, '2027-03-05T11:00:00Z', {
        record: { ...record, cursor: { ...record.cursor, count: MAX_EVENTS_PER_INCIDENT } },
      })?.reason,
    ).toMatch(/500/);
    const held = arriveAll([at('Closed', '2027-03-05T10:30:00+01:00')]);
    const full = { ...held, cursor: { ...held.cursor, count: MAX_HELD_EVENTS } };
    expect(refuseArrival(e, '2027-03-05T11:00:00Z', { record: full })?.reason).toMatch(/held/);
    expect(
      refuseArrival(opened('B', '2027-03-05T10:00:00+01:00'), '2027-03-05T11:00:00Z', { record: full }),
    ).toBeNull();
  });

  it('RESP-LATE: the due timer breaches only a pending target whose due time still stands', () => {
    const { incident } = openIncident(opened('A', '2027-03-05T16:50:00+01:00'), base);
    expect(recordDueTimer(incident, '2027-03-05T17:00:00+01:00', new Date('2027-03-05T17:00:00Z')).changes).toEqual([]);
    expect(recordDueTimer(incident, incident.firstResponse.dueAt, new Date('2027-03-05T16:00:00Z')).changes).toEqual(
      [],
    );
    const met = fold([
      opened('A', '2027-03-05T16:50:00+01:00'),
      at('FirstResponse', '2027-03-05T17:00:00+01:00', { automated: false }),
    ]).incident!;
    expect(
      recordDueTimer({ ...met, rca: null }, met.firstResponse.dueAt, new Date('2027-03-06T00:00:00Z')).changes,
    ).toEqual([]);
    const due = recordDueTimer(incident, incident.firstResponse.dueAt, new Date('2027-03-05T16:50:00Z'));
    expect(due.changes).toEqual([expect.objectContaining({ kind: 'firstResponseBreached', rule: 'RESP-BASE' })]);
  });

  it('the clock the orchestration keeps: open and pending; a reopened incident starts it again', () => {
    const open = opened('B', '2027-03-05T10:00:00+01:00');
    const c = at('Closed', '2027-03-05T10:02:00+01:00');
    const r = at('Reopened', '2027-03-05T10:04:00+01:00');
    const closed = arriveAll([open, c]);
    const reopened = arrive({ record: closed, arriving: kept(r) });
    expect(reopened.started).toBe(true);
    expect(clockOf(reopened.record.incident!)).toMatchObject({ status: 'open', state: 'pending' });
  });

  it('RCA-1: an RCA request is accepted before closure and refused after, with 409; it survives later events', () => {
    const record = arriveAll([opened('B', '2027-03-05T10:00:00+01:00')]);
    const withRca = requestRca(record.incident!, 'alice@contoso.example', '2027-03-05T11:00:00+01:00', undefined);
    expect(withRca.rca).toMatchObject({
      status: 'requested',
      available: true,
      diagnostics: expect.arrayContaining([{ item: 'logs', received: false }]),
    });
    const closed = arrive({
      record: { ...record, incident: withRca },
      arriving: kept(at('Closed', '2027-03-05T12:00:00+01:00')),
    });
    expect(closed.record.incident!.rca).toEqual(withRca.rca);
    expect(() => requestRca(closed.record.incident!, 'alice', '2027-03-05T12:30:00+01:00', undefined)).toThrow(
      expect.objectContaining({ rule: 'RCA-1', status: 409 }),
    );
  });

  it('HOURS-1, RESP-LATE: the incident keeps the calendar in force when it opened', () => {
    const open = opened('B', '2027-04-26T16:00:00+02:00');
    const record = arriveAll([open]);
    expect(record.incident!.firstResponse.dueAt).toBe('2027-04-28T09:30:00+02:00'); // King's Day skipped
    // The stored snapshot, not the Work Order's calendar of the day, recomputes a later severity change.
    expect(record.cursor.context?.calendar).toMatchObject({ country: 'NL', timeZone: 'Europe/Amsterdam' });
    const lowered = arrive({
      record,
      arriving: kept(at('SeverityChanged', '2027-04-26T16:30:00+02:00', { severity: 'C' })),
    });
    expect(lowered.record.incident!.firstResponse.dueAt).toBe('2027-04-28T11:30:00+02:00');
  });
});
