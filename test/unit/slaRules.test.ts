// Edges of the first-response rules (AEM-6, BUY-1, INC-5, RESP-PICK, RESP-LATE, RESP-SEVCHG) that a rule citation alone
// did not prove: each expectation here fails if the rule's condition is weakened or flipped.
import { describe, expect, it } from 'vitest';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';
import type { IncidentContext } from '../../domain/incidents/incident';
import { compareEvents, foldIncident, snapshotContext, type KeptEvent } from '../../domain/incidents/incidentFold';
import { ticketEventSchema, type TicketEvent } from '../../domain/incidents/ticketEvent';
import {
  applicablePlans,
  firstResponseTarget,
  type Coverage,
  type IncidentFacts,
} from '../../domain/sla/firstResponse';

const nl = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const window = { from: '2027-03-08T00:00:00Z', to: '2027-03-09T00:00:00Z' };
const aemCoverage: Coverage = { plans: ['BASE', 'AEM'], aemWindows: [window] };
const aemIncident = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  severity: 'A',
  product: { family: 'Microsoft 365', service: 'Exchange Online' },
  channel: 'azurePortal',
  description: 'AEM checkout latency',
  location: 'NL',
  openedAt: '2027-03-08T10:00:00Z',
  ...over,
});

describe('AEM-6 coverage', () => {
  it('AEM-6: the AEM window includes its start and excludes its end', () => {
    expect(applicablePlans(aemIncident({ openedAt: window.from }), aemCoverage)).toEqual(['BASE', 'AEM']);
    expect(applicablePlans(aemIncident({ openedAt: '2027-03-07T23:59:59.999Z' }), aemCoverage)).toEqual(['BASE']);
    expect(applicablePlans(aemIncident({ openedAt: '2027-03-08T23:59:59.999Z' }), aemCoverage)).toEqual([
      'BASE',
      'AEM',
    ]);
    expect(applicablePlans(aemIncident({ openedAt: window.to }), aemCoverage)).toEqual(['BASE']);
  });

  it('AEM-6: "AEM" must appear as a word of the description', () => {
    expect(applicablePlans(aemIncident({ description: 'outage (AEM), checkout' }), aemCoverage)).toContain('AEM');
    expect(applicablePlans(aemIncident({ description: 'GAEMS checkout' }), aemCoverage)).toEqual(['BASE']);
  });

  it('AEM-6: an incident keeps only the AEM windows around its opening', () => {
    const opener = ticketEventSchema.parse({
      eventId: 'e1',
      incidentId: 'INC-1',
      workOrderId: 'wo-1',
      type: 'IncidentOpened',
      occurredAt: window.from,
      severity: 'A',
      product: { family: 'Azure', service: 'Azure SQL Database' },
      channel: 'azurePortal',
      description: 'AEM',
      location: 'NL',
    });
    const earlier = { from: '2027-03-01T00:00:00Z', to: window.from };
    const later = { from: '2027-03-08T00:00:00.001Z', to: '2027-03-10T00:00:00Z' };
    const snapshot = snapshotContext(opener, {
      coverage: { plans: ['BASE', 'AEM'], aemWindows: [earlier, window, later] },
      calendar: nl,
    });
    expect(snapshot.coverage.aemWindows).toEqual([window]);
    expect(snapshot.coverage.plans).toEqual(['BASE', 'AEM']);
  });
});

describe('BUY-1, INC-5, RESP-PICK targets', () => {
  it('BUY-1: with no plan named in the coverage the Base target applies', () => {
    const t = firstResponseTarget(aemIncident({ severity: 'B' }), { plans: [] }, nl);
    expect(t).toMatchObject({ plan: 'BASE', targetMinutes: 120, applicablePlans: [] });
  });

  it('INC-5: a severity 1 incident opened on a Saturday is due 15 real minutes later (RESP-PICK: UER wins)', () => {
    const t = firstResponseTarget(
      aemIncident({ severity: '1', channel: 'phone', openedAt: '2027-03-06T12:00:00+01:00' }),
      { plans: ['BASE', 'UER'] },
      nl,
    );
    expect(t).toMatchObject({ plan: 'UER', targetMinutes: 30, clock: '24x7', dueAt: '2027-03-06T12:30:00+01:00' });
  });

  it('INC-5: a severity C incident opened on a Saturday starts counting on Monday morning', () => {
    const t = firstResponseTarget(
      aemIncident({ severity: 'C', openedAt: '2027-03-06T12:00:00+01:00' }),
      aemCoverage,
      nl,
    );
    expect(t).toMatchObject({ plan: 'BASE', clock: 'businessHours', dueAt: '2027-03-08T13:00:00+01:00' });
  });
});

let n = 0;
const ev = (type: TicketEvent['type'], occurredAt: string, extra: Partial<TicketEvent> = {}): KeptEvent => {
  const event = ticketEventSchema.parse({
    eventId: `s${String(++n).padStart(3, '0')}`,
    incidentId: 'INC-1',
    workOrderId: 'wo-1',
    type,
    occurredAt,
    ...(type === 'IncidentOpened'
      ? {
          product: { family: 'Azure', service: 'Azure SQL Database' },
          channel: 'phone',
          description: 'db slow',
          location: 'NL',
        }
      : {}),
    ...extra,
  });
  return { event, receivedAt: '2027-03-05T20:00:00Z', messageId: event.eventId };
};
const context: IncidentContext = { coverage: { plans: ['BASE'] }, calendar: nl };
const fold = (events: KeptEvent[]) => foldIncident(events, () => context);

describe('RESP-LATE and RESP-SEVCHG in the fold', () => {
  it('RESP-LATE: a response exactly at the due time is met; a minute later is late', () => {
    // Base Sev A: 60 minutes, 24x7.
    const open = ev('IncidentOpened', '2027-03-05T10:00:00+01:00', { severity: 'A' });
    const onTime = fold([open, ev('FirstResponse', '2027-03-05T11:00:00+01:00', { automated: false })]);
    expect(onTime.incident!.firstResponse).toMatchObject({ state: 'met', respondedAt: '2027-03-05T11:00:00+01:00' });
    expect(onTime.steps[1]!.changes.map((c) => [c.kind, c.rule])).toEqual([['firstResponseMet', 'INC-3']]);
    const late = fold([open, ev('FirstResponse', '2027-03-05T11:01:00+01:00', { automated: false })]);
    expect(late.incident!.firstResponse.state).toBe('breached');
    expect(late.steps[1]!.changes.map((c) => c.kind)).toEqual(['firstResponseLate']);
  });

  it('RESP-LATE: an earlier response arriving after a later one replaces it', () => {
    const open = ev('IncidentOpened', '2027-03-05T10:00:00+01:00', { severity: 'A' });
    const laterResponse = ev('FirstResponse', '2027-03-05T11:30:00+01:00', { automated: false });
    const earlierResponse = ev('FirstResponse', '2027-03-05T10:30:00+01:00', { automated: false });
    const { incident, steps } = fold([open, laterResponse, earlierResponse]);
    expect(incident!.firstResponse).toMatchObject({ state: 'met', respondedAt: '2027-03-05T10:30:00+01:00' });
    expect(steps.map((s) => s.eventId)).toEqual([open, earlierResponse, laterResponse].map((k) => k.event.eventId));
    expect(steps[2]).toMatchObject({ effect: 'applied', rule: 'INC-3', changes: [] });
  });

  it('RESP-SEVCHG: a response already given stays judged where it fell when the severity changes', () => {
    const open = ev('IncidentOpened', '2027-03-05T10:00:00+01:00', { severity: 'B' });
    const response = ev('FirstResponse', '2027-03-05T11:50:00+01:00', { automated: false });
    const before = fold([open, response]).incident!;
    expect(before.firstResponse.state).toBe('met');
    // Raised to A (60 min 24x7, due 11:00): recomputing would make the 11:50 response late.
    const after = fold([
      open,
      response,
      ev('SeverityChanged', '2027-03-05T12:00:00+01:00', { severity: 'A' }),
    ]).incident!;
    expect(after.severity).toBe('A');
    expect(after.firstResponse).toEqual(before.firstResponse);
    expect(after.warningAt).toBe(before.warningAt);
  });

  it('RESP-SEVCHG: a pending target is recomputed from the open time under the new severity', () => {
    const open = ev('IncidentOpened', '2027-03-05T10:00:00+01:00', { severity: 'B' });
    const raised = fold([open, ev('SeverityChanged', '2027-03-05T10:10:00+01:00', { severity: 'A' })]).incident!;
    expect(raised.firstResponse).toMatchObject({
      state: 'pending',
      targetMinutes: 60,
      clock: '24x7',
      dueAt: '2027-03-05T11:00:00+01:00',
    });
    expect(raised.warningAt).toBe('2027-03-05T10:48:00+01:00');
  });

  it('RESP-LATE: fold order is occurredAt, ties broken by eventId', () => {
    const t = '2027-03-05T10:00:00Z';
    expect(compareEvents({ occurredAt: t, eventId: 'a' }, { occurredAt: t, eventId: 'b' })).toBeLessThan(0);
    expect(compareEvents({ occurredAt: t, eventId: 'b' }, { occurredAt: t, eventId: 'a' })).toBeGreaterThan(0);
    expect(compareEvents({ occurredAt: t, eventId: 'a' }, { occurredAt: t, eventId: 'a' })).toBe(0);
    expect(
      compareEvents({ occurredAt: '2027-03-05T09:59:59Z', eventId: 'z' }, { occurredAt: t, eventId: 'a' }),
    ).toBeLessThan(0);
  });
});
