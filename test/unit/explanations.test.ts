import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aemPhaseDates, planAemBooking } from '../../domain/aem/aemBooking';
import { supportLocationCalendar, type CalendarWalk } from '../../domain/calendar/businessCalendar';
import { planCyberEngagement, planExtension } from '../../domain/cyber/cyberEngagement';
import type { IncidentContext } from '../../domain/incidents/incident';
import { foldIncident } from '../../domain/incidents/incidentFold';
import { ticketEventSchema, type TicketEvent } from '../../domain/incidents/ticketEvent';
import { RuleViolation } from '../../domain/ruleViolation';
import { firstResponseDue, firstResponseTarget, incidentFactsSchema } from '../../domain/sla/firstResponse';
import { flexPeriods } from '../../domain/workOrder/flex';
import { acceptServiceRequest, decideCancellation } from '../../domain/workOrder/requests';

const nl = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const facts = (severity: '1' | 'A' | 'B' | 'C', openedAt: string) => ({
  severity,
  product: { family: 'Azure', service: 'Azure SQL Database' },
  channel: 'phone' as const,
  location: 'NL',
  openedAt,
});

describe('first-response explanations come from the computation itself', () => {
  it('RESP-BASE, HOURS-1, INC-5: the contract example says which days counted and which were skipped', () => {
    const target = firstResponseTarget(facts('B', '2027-03-05T16:50:00+01:00'), { plans: ['BASE', 'UER'] }, nl);
    const e = target.explanation;
    expect(target.dueAt).toBe('2027-03-08T10:20:00+01:00');
    expect(e.text).toContain('Opened Friday 5 March 16:50: 40 minutes that day, Saturday and Sunday skipped');
    expect(e.text).toContain('1 hour 20 minutes on Monday: due Monday 8 March 10:20');
    expect(e.rules).toEqual(expect.arrayContaining(['RESP-BASE', 'HOURS-1', 'RESP-PICK']));
    expect(e.calendar).toEqual({ location: 'NL', timeZone: 'Europe/Amsterdam', hours: '09:00-17:30' });
    expect(e.skipped).toContainEqual({
      from: '2027-03-06T00:00:00+01:00',
      to: '2027-03-08T00:00:00+01:00',
      why: 'weekend',
    });
    expect(e.candidates!.map((c) => [c.plan, c.targetMinutes, c.chosen])).toEqual([
      ['BASE', 120, true],
      ['UER', 120, false],
    ]);
  });

  it('HOURS-1: a public holiday is skipped under its name (Koningsdag)', () => {
    const e = firstResponseTarget(facts('C', '2027-04-26T16:00:00+02:00'), { plans: ['BASE'] }, nl).explanation;
    expect(e.skipped).toContainEqual({
      from: '2027-04-27T00:00:00+02:00',
      to: '2027-04-28T00:00:00+02:00',
      why: 'holiday',
      name: 'Koningsdag',
    });
    expect(e.text).toContain('Tuesday 27 April skipped (Koningsdag)');
  });

  it('RESP-PICK: every covering plan is a candidate with its own due time; the fastest is chosen', () => {
    const e = firstResponseTarget(facts('A', '2027-03-05T16:50:00+01:00'), { plans: ['BASE', 'UER'] }, nl).explanation;
    expect(e.candidates).toEqual([
      expect.objectContaining({ plan: 'BASE', targetMinutes: 60, dueAt: '2027-03-05T17:50:00+01:00', chosen: false }),
      expect.objectContaining({ plan: 'UER', targetMinutes: 30, dueAt: '2027-03-05T17:20:00+01:00', chosen: true }),
    ]);
    expect(e.text).toContain('around the clock');
  });

  it('the explained walk counts exactly the target and lands on the due time the hot path computes', () => {
    const start = Date.parse('2027-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.constantFrom<'B' | 'C'>('B', 'C'),
        (minute, severity) => {
          const parsed = incidentFactsSchema.parse(facts(severity, new Date(start + minute * 60_000).toISOString()));
          const coverage = { plans: ['BASE' as const], aemWindows: [] };
          const fast = firstResponseDue(parsed, coverage, nl);
          const explained = firstResponseDue(parsed, coverage, nl, undefined, { explain: true });
          expect(explained.dueAtMs).toBe(fast.dueAtMs);
          const walk: CalendarWalk = { counted: [], skipped: [] };
          nl.addMs(Date.parse(parsed.openedAt), fast.targetMinutes * 60_000, walk);
          const counted = walk.counted.reduce((sum, c) => sum + (c.to - c.from), 0);
          expect(counted).toBe(fast.targetMinutes * 60_000);
          expect(walk.counted.at(-1)!.to).toBe(fast.dueAtMs);
          // counted and skipped stretches tile the time from the opening to the due time without gaps
          const pieces = [...walk.counted, ...walk.skipped].sort((a, b) => a.from - b.from);
          for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.from).toBe(pieces[i - 1]!.to);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('RESP-SEVCHG, INC-4: the incident keeps the history of recomputations with the causing events', () => {
    const context: IncidentContext = { coverage: { plans: ['BASE'] }, calendar: nl };
    const ev = (partial: Partial<TicketEvent>) =>
      ticketEventSchema.parse({ incidentId: 'INC-9', workOrderId: 'wo', ...partial });
    const events = [
      ev({
        eventId: 'open-1',
        type: 'IncidentOpened',
        occurredAt: '2027-03-05T10:00:00+01:00',
        severity: 'B',
        product: { family: 'Azure', service: 'Azure SQL Database' },
        channel: 'phone',
        location: 'NL',
      }),
      // arrives first, occurred later: the fold orders by occurredAt, so the history does too
      ev({ eventId: 'unr-1', type: 'CustomerUnresponsive', occurredAt: '2027-03-05T10:20:00+01:00' }),
      ev({ eventId: 'sev-1', type: 'SeverityChanged', occurredAt: '2027-03-05T10:10:00+01:00', severity: 'A' }),
    ].map((event) => ({ event, receivedAt: '2027-03-05T09:30:00Z', messageId: event.eventId }));
    const lowered = foldIncident(events, () => context).incident!;
    expect(lowered.firstResponse.explanation!.history).toEqual([
      {
        at: '2027-03-05T10:00:00+01:00',
        cause: 'IncidentOpened',
        eventId: 'open-1',
        dueAt: '2027-03-05T12:00:00+01:00',
        rule: 'RESP-PICK',
      },
      {
        at: '2027-03-05T10:10:00+01:00',
        cause: 'SeverityChanged',
        eventId: 'sev-1',
        dueAt: '2027-03-05T11:00:00+01:00',
        rule: 'RESP-SEVCHG',
      },
      {
        at: '2027-03-05T10:20:00+01:00',
        cause: 'CustomerUnresponsive',
        eventId: 'unr-1',
        dueAt: '2027-03-05T12:00:00+01:00',
        rule: 'INC-4',
      },
    ]);
    expect(lowered.firstResponse.explanation!.text).toContain('Severity B');
  });
});

describe('other computed dates explain themselves', () => {
  it('CYB-4, CYB-5: the schedule names the skipped holiday; the deliverable date says what it counts from', () => {
    const plan = planCyberEngagement({
      offering: 'CYBER_INCIDENT_RESPONSE',
      start: '2027-05-27',
      days: 5,
      timeZone: 'America/Los_Angeles',
    });
    expect(plan.explanation!.schedule.skipped).toContainEqual({
      from: '2027-05-31T00:00:00-07:00',
      to: '2027-06-01T00:00:00-07:00',
      why: 'holiday',
      name: 'Memorial Day',
    });
    expect(plan.explanation!.schedule.text).toContain('Monday 31 May 2027 (Memorial Day)');
    expect(plan.explanation!.deliverables.text).toContain('Thursday 3 June 2027');
    expect(plan.explanation!.deliverables.text).toContain(plan.deliverablesDueBy.slice(8, 10).replace(/^0/, ''));
    const extended = planExtension(plan, 1);
    expect(extended.explanation!.schedule.rules).toContain('CYB-3');
    expect(extended.explanation!.deliverables.inputs!['lastEngagementDay']).toBe(extended.schedule.at(-1)!.date);
  });

  it('AEM-5..7: phase dates explain the lead time and the window', () => {
    const booking = planAemBooking({
      solutionName: 'checkout',
      cloud: 'AzurePublic',
      start: '2027-11-20',
      days: 7,
      confirmedAt: '2027-09-01',
    });
    const phases = aemPhaseDates(booking, 'Europe/Amsterdam');
    expect(phases.explanation!.rules).toEqual(expect.arrayContaining(['AEM-5', 'AEM-6', 'AEM-7']));
    expect(phases.explanation!.text).toContain('Saturday 20 November 2027');
    expect(phases.explanation!.text).toContain('Friday 26 November 2027');
  });

  it('REQ-60: a refusal carries its explanation; an accepted request says it was in time', () => {
    const workOrder = {
      term: { start: '2027-01-01', end: '2027-12-31' },
      host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
      downstream: [],
      entitlements: [],
      creditBalances: {},
      flexAllocations: [],
    };
    const body = { serviceCode: 'WORKSHOP', startDate: '2027-12-10', days: 1, price: 100, fundedBy: 'credits' };
    const ok = acceptServiceRequest(workOrder, body, new Date('2027-11-01T12:00:00Z'));
    expect(ok.explanation.text).toContain('last day to submit is Monday 1 November 2027');
    expect(ok.explanation.text).toContain('in time');
    let refused: unknown;
    try {
      acceptServiceRequest(workOrder, body, new Date('2027-11-02T12:00:00Z'));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RuleViolation);
    expect((refused as RuleViolation).explanation!.text).toContain('too late');
    expect((refused as RuleViolation).explanation!.inputs!['daysLeft']).toBe(59);
  });

  it('CANCEL-14: the decision says how many days remained and why that costs what it costs', () => {
    const request = { status: 'scheduled' as const, startDate: '2027-05-10', price: 9000 };
    const late = decideCancellation(request, new Date('2027-04-30T10:00:00Z'), 'Europe/Amsterdam');
    expect(late.maxCancellationFee).toBe(9000);
    expect(late.explanation.text).toContain('10 calendar day(s) before');
    expect(late.explanation.text).toContain('fewer than 14');
    const early = decideCancellation(request, new Date('2027-04-26T10:00:00Z'), 'Europe/Amsterdam');
    expect(early.explanation.text).toContain('14 or more');
  });

  it('FLEX-3, FLEX-6: each flex year says when it lapses and what was forfeited', () => {
    const periods = flexPeriods({ start: '2027-01-01', end: '2028-06-30' }, 150000, [
      { year: 1, target: 'proactiveCredits', amount: 50000 },
    ]);
    expect(periods[0]!.explanation!.text).toContain('Friday 31 December 2027');
    expect(periods[0]!.explanation!.text).toContain('100000 was forfeited (FLEX-6)');
    expect(periods[1]!.explanation!.text).toContain('cut short by the term end');
  });
});
