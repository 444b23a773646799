import { describe, expect, it } from 'vitest';
import {
  aemPhaseDates,
  aemWindow,
  mayCancelAemEvent,
  noticeDays,
  planAemBooking,
  postEventSummary,
  splitIntoEvents,
} from '../../domain/aem/aemBooking';
import {
  CYBER_OFFERINGS,
  assertReadyForProductionWork,
  declineDeliverables,
  deliverableDates,
  planExtension,
  planCyberEngagement,
} from '../../domain/cyber/cyberEngagement';
import { RuleViolation } from '../../domain/ruleViolation';
import { firstResponseTarget } from '../../domain/sla/firstResponse';
import { supportLocationCalendar } from '../../domain/calendar/businessCalendar';

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}
const request = {
  solutionName: 'checkout',
  cloud: 'AzurePublic',
  start: '2027-11-20',
  days: 7,
  confirmedAt: '2027-09-01',
};

describe('Azure Event Management', () => {
  it('AEM-2: 7 days from 2027-11-20 become two back-to-back events', () => {
    expect(splitIntoEvents('2027-11-20', 7)).toEqual([
      { start: '2027-11-20', end: '2027-11-24' },
      { start: '2027-11-25', end: '2027-11-26' },
    ]);
    expect(splitIntoEvents('2027-11-20', 5)).toEqual([{ start: '2027-11-20', end: '2027-11-24' }]);
    expect(planAemBooking(request)).toMatchObject({
      shortNotice: false,
      status: 'planned',
      assessment: 'full',
      events: [{ start: '2027-11-20' }, { end: '2027-11-26' }],
    });
  });

  it('AEM-1: one solution per event; more solutions need more events', () => {
    expect(planAemBooking(request).events.every((e) => e.solutionName === 'checkout')).toBe(true);
    expect(() => planAemBooking({ ...request, solutionName: ' ' })).toThrow();
  });

  it('AEM-3: 42 days notice counted from confirmedAt; shorter only when the provider accepts (limited assessment)', () => {
    expect(noticeDays('2027-01-02', '2027-02-13')).toBe(42);
    expect(noticeDays('2027-01-02', '2027-02-12')).toBe(41);
    expect(() => planAemBooking({ ...request, confirmedAt: '2027-01-02', start: '2027-02-13', days: 1 })).not.toThrow();
    expect(
      violation(() => planAemBooking({ ...request, confirmedAt: '2027-01-02', start: '2027-02-12', days: 1 })),
    ).toMatchObject({
      rule: 'AEM-3',
      status: 422,
    });
    const accepted = planAemBooking({
      ...request,
      confirmedAt: '2027-01-02',
      start: '2027-02-12',
      days: 1,
      providerAccepted: true,
    });
    expect(accepted).toMatchObject({ shortNotice: true, assessment: 'limited' });
  });

  it('AEM-4: only Azure Public Cloud', () => {
    expect(violation(() => planAemBooking({ ...request, cloud: 'AzureGovernment' })).rule).toBe('AEM-4');
    expect(violation(() => planAemBooking({ ...request, cloud: 'AzureChina' })).rule).toBe('AEM-4');
  });

  it('ENT-1: each event consumes one AEM entitlement', () => {
    expect(violation(() => planAemBooking(request, { remainingEvents: 1 })).rule).toBe('ENT-1');
    expect(planAemBooking(request, { remainingEvents: 2 }).events).toHaveLength(2);
  });

  it('AEM-5 / AEM-6 / AEM-7: assessment before the window, live window, post-event after', () => {
    const booking = planAemBooking(request);
    const zone = 'Europe/Amsterdam';
    expect(aemWindow(booking.events, zone)).toEqual({
      from: '2027-11-20T00:00:00+01:00',
      to: '2027-11-27T00:00:00+01:00',
    });
    const dates = aemPhaseDates(booking, zone);
    expect(dates.assessment).toEqual({ from: '2027-11-06T00:00:00+01:00', until: '2027-11-20T00:00:00+01:00' });
    const summary = postEventSummary(dates.live, [
      { incidentId: 'INC-1', openedAt: '2027-11-21T10:00:00+01:00', status: 'closed' },
      { incidentId: 'INC-2', openedAt: '2027-11-26T23:00:00+01:00', status: 'open' },
      { incidentId: 'INC-3', openedAt: '2027-11-27T00:00:00+01:00', status: 'open' },
    ]);
    expect(summary).toMatchObject({ cases: ['INC-1', 'INC-2'], unresolved: ['INC-2'], allResolved: false });
  });

  it('AEM-6: the booking window feeds the SLA coverage', () => {
    const booking = planAemBooking(request);
    const window = aemWindow(booking.events, 'Europe/Amsterdam');
    const target = firstResponseTarget(
      {
        severity: 'A',
        product: { family: 'Azure', service: 'Azure App Service' },
        channel: 'azurePortal',
        description: 'AEM checkout down',
        location: 'NL',
        openedAt: '2027-11-21T03:00:00+01:00',
      },
      { plans: ['BASE', 'AEM'], aemWindows: [window] },
      supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' }),
    );
    expect(target).toMatchObject({ plan: 'AEM', targetMinutes: 30, dueAt: '2027-11-21T03:30:00+01:00' });
  });

  it('AEM-8: an event can be cancelled when the customer cannot provide resources', () => {
    expect(mayCancelAemEvent('assessment', true)).toBe(true);
    expect(mayCancelAemEvent('assessment', false)).toBe(false);
    expect(mayCancelAemEvent('closed', true)).toBe(false);
  });
});

describe('cybersecurity engagements', () => {
  const pacific = {
    offering: 'CYBER_INCIDENT_RESPONSE',
    start: '2027-04-05',
    days: 5,
    timeZone: 'America/Los_Angeles',
  };

  it('CYB-4: Pacific-time schedule 08:00–17:00 with offsets, weekdays only', () => {
    const plan = planCyberEngagement(pacific);
    expect(plan.schedule).toEqual(
      ['05', '06', '07', '08', '09'].map((d) => ({
        date: `2027-04-${d}`,
        from: `2027-04-${d}T08:00:00-07:00`,
        to: `2027-04-${d}T17:00:00-07:00`,
      })),
    );
    expect(plan.hours).toBe(40);
    expect(plan.holidayCountry).toBe('US');
  });

  it('CYB-4: Memorial Day 31 May 2027 and the weekend are skipped; the DST offset follows the date', () => {
    const plan = planCyberEngagement({ ...pacific, start: '2027-05-27' });
    expect(plan.schedule.map((d) => d.date)).toEqual([
      '2027-05-27',
      '2027-05-28',
      '2027-06-01',
      '2027-06-02',
      '2027-06-03',
    ]);
    const winter = planCyberEngagement({ ...pacific, start: '2027-03-12' });
    expect(winter.schedule[0]).toEqual({
      date: '2027-03-12',
      from: '2027-03-12T08:00:00-08:00',
      to: '2027-03-12T17:00:00-08:00',
    });
    expect(winter.schedule[1]?.from).toBe('2027-03-15T08:00:00-07:00');
  });

  it('CYB-2: minimum 5 days, workshop 3 days, 1-day remote = one day of 32 hours', () => {
    expect(violation(() => planCyberEngagement({ ...pacific, days: 4 })).rule).toBe('CYB-2');
    expect(planCyberEngagement({ ...pacific, offering: 'CYBER_CRISIS_WORKSHOP', days: 3 }).hours).toBe(24);
    expect(violation(() => planCyberEngagement({ ...pacific, offering: 'CYBER_CRISIS_WORKSHOP', days: 2 })).rule).toBe(
      'CYB-2',
    );
    const oneDay = planCyberEngagement({ ...pacific, offering: 'CYBER_INCIDENT_RESPONSE_1DAY', days: 1 });
    expect(oneDay).toMatchObject({ hours: 32, schedule: [{ date: '2027-04-05' }] });
  });

  it('ENT-1: the days come from the purchased days of the offering', () => {
    expect(violation(() => planCyberEngagement(pacific, { remainingDays: 4 })).rule).toBe('ENT-1');
  });

  it('CYB-3: extensions are blocks of 5 days of 8 hours after the last day', () => {
    const extended = planExtension(planCyberEngagement(pacific), 1);
    expect(extended.days).toBe(10);
    expect(extended.hours).toBe(80);
    expect(extended.schedule.slice(5).map((d) => d.date)).toEqual([
      '2027-04-12',
      '2027-04-13',
      '2027-04-14',
      '2027-04-15',
      '2027-04-16',
    ]);
    expect(extended.deliverablesDueBy).toBe('2027-04-26');
    expect(violation(() => planExtension(planCyberEngagement(pacific), 0)).rule).toBe('CYB-3');
  });

  it('CYB-5: last engagement day 21 April → deliverables due by and obligation lapsing on 1 May', () => {
    expect(deliverableDates('2027-04-21')).toMatchObject({
      deliverablesDueBy: '2027-05-01',
      obligationLapsesOn: '2027-05-01',
    });
    const plan = planCyberEngagement({ ...pacific, start: '2027-04-15' }); // 15,16,19,20,21 April
    expect(plan).toMatchObject({ deliverablesDueBy: '2027-05-01', obligationLapsesOn: '2027-05-01' });
    expect(declineDeliverables(plan, '2027-04-25').obligationLapsesOn).toBe('2027-04-25');
  });

  it('CYB-1: offerings and their prerequisites are catalogue data', () => {
    expect(CYBER_OFFERINGS.CYBER_OPERATIONS_SERVICE.requiresTools).toContain('Microsoft Defender for Identity');
    expect(CYBER_OFFERINGS.CYBER_CRISIS_WORKSHOP).toMatchObject({
      kind: 'proactive',
      deliverables: ['digital workbook'],
    });
  });

  it('CYB-6: production work needs tools, admin accounts and a valid backup (CUST-BACKUP)', () => {
    expect(
      violation(() =>
        assertReadyForProductionWork({ toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed: false }),
      ).rule,
    ).toBe('CYB-6');
    expect(() =>
      assertReadyForProductionWork({ toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed: true }),
    ).not.toThrow();
  });
});
