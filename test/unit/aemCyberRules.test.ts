// Edges of the AEM rules (AEM-1..AEM-8, ENT-1, EXP-1) and the cybersecurity rules (CYB-2..CYB-6) that mutation testing
// found unproven: boundaries from both sides and the refusal's rule, field and message.
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import {
  aemEventRequestSchema,
  aemPhaseDates,
  aemWindow,
  mayCancelAemEvent,
  nextFollowUp,
  planAemBooking,
  postEventSummary,
} from '../../domain/aem/aemBooking';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import {
  CYBER_OFFERINGS,
  cyberOfferingSchema,
  assertReadyForProductionWork,
  cyberEngagementRequestSchema,
  declineDeliverables,
  hoursPerDay,
  minimumDays,
  planCyberEngagement,
  planExtension,
} from '../../domain/cyber/cyberEngagement';
import { CYBER_ACTIVITIES, cyberDueKind, cyberSteps } from '../../domain/cyber/cyberRecord';

const request = {
  solutionName: 'checkout',
  cloud: 'AzurePublic',
  start: '2027-11-20',
  days: 7,
  confirmedAt: '2027-09-01',
};

describe('AEM rules', () => {
  it('AEM-1: one named solution (trimmed, not blank); the body is strict', () => {
    expect(aemEventRequestSchema.parse({ ...request, solutionName: '  checkout ' }).solutionName).toBe('checkout');
    expect(aemEventRequestSchema.safeParse({ ...request, solutionName: '  ' }).success).toBe(false);
    expect(aemEventRequestSchema.safeParse({ ...request, solutionName: 'ab' }).success).toBe(true);
    expect(aemEventRequestSchema.safeParse({ ...request, extra: true }).success).toBe(false);
  });

  it('AEM-4, AEM-3: refusals name the field and the notice given', () => {
    expect(refusal(() => planAemBooking({ ...request, cloud: 'AzureGovernment' }))).toEqual({
      rule: 'AEM-4',
      path: 'cloud',
      status: 422,
      message: 'Azure Event Management is only available for solutions in Azure Public Cloud.',
    });
    expect(refusal(() => planAemBooking({ ...request, confirmedAt: '2027-10-10' }))).toEqual({
      rule: 'AEM-3',
      path: 'confirmedAt',
      status: 422,
      message: 'AEM events must be confirmed in writing at least 42 days before the start; this one has 41.',
    });
  });

  it('ENT-1: exactly as many events as remain is accepted; one more is refused on the days; EXP-1 on the start', () => {
    expect(planAemBooking(request, { remainingEvents: 2 }).events).toHaveLength(2);
    expect(refusal(() => planAemBooking(request, { remainingEvents: 1 }))).toEqual({
      rule: 'ENT-1',
      path: 'days',
      status: 422,
      message: 'This period needs 2 AEM events; only 1 remain.',
    });
    expect(planAemBooking(request).events).toHaveLength(2); // no entitlement given: not checked
    const term = { start: '2027-01-01', end: '2027-11-25' };
    expect(refusal(() => planAemBooking(request, { term }))).toMatchObject({ rule: 'EXP-1', path: 'start' });
    expect(planAemBooking(request, { term: { ...term, end: '2027-11-26' } }).events).toHaveLength(2);
  });

  it('AEM-2: a window needs at least one event', () => {
    expect(refusal(() => aemWindow([], 'Europe/Amsterdam'))).toEqual({
      rule: 'AEM-2',
      path: 'events',
      status: 422,
      message: 'An AEM booking has at least one event.',
    });
  });

  it('AEM-5, AEM-6, AEM-7: the assessment starts 14 days before the first event day, not before the confirmation; the summary is owed from the window end', () => {
    const zone = 'Europe/Amsterdam';
    const phases = (confirmedAt: string) => {
      const { explanation: _, ...dates } = aemPhaseDates(
        planAemBooking({ ...request, confirmedAt, providerAccepted: true }),
        zone,
      );
      return dates;
    };
    expect(phases('2027-09-01')).toEqual({
      assessment: { from: '2027-11-06T00:00:00+01:00', until: '2027-11-20T00:00:00+01:00' },
      live: { from: '2027-11-20T00:00:00+01:00', to: '2027-11-27T00:00:00+01:00' },
      postEvent: { from: '2027-11-27T00:00:00+01:00' },
    });
    // Short notice (AEM-3, accepted by the provider): the assessment cannot start before the written confirmation.
    expect(phases('2027-11-10').assessment).toEqual({
      from: '2027-11-10T00:00:00+01:00',
      until: '2027-11-20T00:00:00+01:00',
    });
  });

  it('AEM-7: cases opened from the window start (inclusive) to its end (exclusive); resolved when none is open', () => {
    const window = { from: '2027-11-20T00:00:00+01:00', to: '2027-11-27T00:00:00+01:00' };
    const summary = postEventSummary(window, [
      { incidentId: 'before', openedAt: '2027-11-19T22:59:59Z', status: 'open' },
      { incidentId: 'first', openedAt: '2027-11-19T23:00:00Z', status: 'closed' },
      { incidentId: 'last', openedAt: '2027-11-26T22:59:59Z', status: 'open' },
      { incidentId: 'after', openedAt: '2027-11-26T23:00:00Z', status: 'open' },
    ]);
    expect(summary).toMatchObject({ cases: ['first', 'last'], unresolved: ['last'], allResolved: false });
    expect(postEventSummary(window, []).allResolved).toBe(true);
    expect(nextFollowUp({ allResolved: false }, '2027-11-27T00:00:00Z', '2027-12-01T00:00:00Z')).toBe(
      '2027-12-02T00:00:00.000Z',
    );
    // The last follow-up may fall exactly on the limit (the configured days after the window end).
    const windowEnd = '2027-11-27T00:00:00Z';
    const limit = Date.parse(windowEnd) + DEFAULT_CATALOGUE.aem.followUpDays * 86_400_000;
    const checkedAt = new Date(limit - DEFAULT_CATALOGUE.aem.followUpHours * 3_600_000).toISOString();
    expect(nextFollowUp({ allResolved: false }, windowEnd, checkedAt)).toBe(new Date(limit).toISOString());
    expect(
      nextFollowUp({ allResolved: false }, windowEnd, new Date(Date.parse(checkedAt) + 1).toISOString()),
    ).toBeNull();
    expect(nextFollowUp({ allResolved: true }, windowEnd, checkedAt)).toBeNull();
  });

  it('AEM-8: the provider may cancel until the window ends, only when the customer cannot provide what is needed', () => {
    expect(
      (['planned', 'assessment', 'live', 'postEvent', 'closed', 'cancelled'] as const).map((p) =>
        mayCancelAemEvent(p, true),
      ),
    ).toEqual([true, true, true, false, false, false]);
    expect(mayCancelAemEvent('planned', false)).toBe(false);
  });
});

describe('cybersecurity rules', () => {
  const body = { offering: 'CYBER_INCIDENT_RESPONSE', start: '2027-06-07', days: 5, timeZone: 'Europe/Amsterdam' };

  it('CYB-1, CYB-5: the six offerings with their kind, required tools and deliverables', () => {
    const ir = [
      'outbrief document (on request)',
      'outbrief presentation',
      'timeline document (where feasible)',
      'Power BI dashboard',
    ];
    expect(CYBER_OFFERINGS).toEqual({
      CYBER_INCIDENT_RESPONSE: { kind: 'reactive', requiresTools: [], deliverables: ir },
      CYBER_INCIDENT_RESPONSE_ONSITE: { kind: 'reactive', requiresTools: [], deliverables: ir },
      CYBER_INCIDENT_RESPONSE_1DAY: { kind: 'reactive', requiresTools: [], deliverables: ['outbrief presentation'] },
      O365_INCIDENT_RESPONSE: {
        kind: 'reactive',
        requiresTools: [],
        deliverables: ['outbrief presentation', 'timeline document (where feasible)'],
      },
      CYBER_OPERATIONS_SERVICE: {
        kind: 'proactive',
        requiresTools: ['Microsoft Defender for Endpoint', 'Microsoft Defender for Identity'],
        deliverables: ['outbrief presentation', 'Power BI dashboard'],
      },
      CYBER_CRISIS_WORKSHOP: { kind: 'proactive', requiresTools: [], deliverables: ['digital workbook'] },
    });
    expect(cyberOfferingSchema.options).toEqual(Object.keys(CYBER_OFFERINGS));
    expect(cyberEngagementRequestSchema.safeParse({ ...body, timeZone: 'Mars/Base' }).error?.issues[0]?.message).toBe(
      'unknown IANA time zone',
    );
    expect(
      ['CO', 'COL', 'xCO', 'C'].map(
        (c) => cyberEngagementRequestSchema.safeParse({ ...body, holidayCountry: c }).success,
      ),
    ).toEqual([true, false, false, false]);
  });

  it('CYB-2: each offering has its minimum days and hours per day (5 and 8 unless the catalogue says otherwise)', () => {
    expect([
      minimumDays('CYBER_INCIDENT_RESPONSE'),
      minimumDays('CYBER_CRISIS_WORKSHOP'),
      minimumDays('CYBER_INCIDENT_RESPONSE_1DAY'),
    ]).toEqual([5, 3, 1]);
    expect([hoursPerDay('CYBER_INCIDENT_RESPONSE'), hoursPerDay('CYBER_INCIDENT_RESPONSE_1DAY')]).toEqual([8, 32]);
    const entry = { ...DEFAULT_CATALOGUE.services.CYBER_INCIDENT_RESPONSE, minDays: undefined, hoursPerDay: undefined };
    const catalogue = {
      ...DEFAULT_CATALOGUE,
      services: { ...DEFAULT_CATALOGUE.services, CYBER_INCIDENT_RESPONSE: entry },
    };
    expect([
      minimumDays('CYBER_INCIDENT_RESPONSE', catalogue),
      hoursPerDay('CYBER_INCIDENT_RESPONSE', catalogue),
    ]).toEqual([5, 8]);
    expect(refusal(() => planCyberEngagement({ ...body, days: 4 }))).toEqual({
      rule: 'CYB-2',
      path: 'days',
      status: 422,
      message: 'CYBER_INCIDENT_RESPONSE lasts at least 5 day(s).',
    });
    expect(planCyberEngagement(body)).toMatchObject({ days: 5, hours: 40, holidayCountry: 'NL' });
  });

  it('CYB-2, CYB-3, CYB-5: a plan follows the catalogue edition it is given (minimum, hours, deliverable days)', () => {
    const entry = { ...DEFAULT_CATALOGUE.services.CYBER_INCIDENT_RESPONSE, minDays: 2, hoursPerDay: 6 };
    const catalogue = {
      ...DEFAULT_CATALOGUE,
      cyberDeliverableDays: 5,
      services: { ...DEFAULT_CATALOGUE.services, CYBER_INCIDENT_RESPONSE: entry },
    };
    expect(planCyberEngagement({ ...body, days: 2 }, { catalogue })).toMatchObject({
      days: 2,
      hours: 12,
      deliverablesDueBy: '2027-06-13',
      obligationLapsesOn: '2027-06-13',
    });
    expect(planCyberEngagement(body)).toMatchObject({ deliverablesDueBy: '2027-06-21' });
  });

  it('CYB-3: a length between the minimum and whole blocks is refused on `days`', () => {
    expect(refusal(() => planCyberEngagement({ ...body, days: 6 }))).toEqual({
      rule: 'CYB-3',
      path: 'days',
      status: 422,
      message: 'CYBER_INCIDENT_RESPONSE is bought as 5 day(s) plus whole blocks of 5 days (e.g. 5 or 10); 6 is not.',
    });
    expect(planCyberEngagement({ ...body, days: 10 }).days).toBe(10);
  });

  it('ENT-1: exactly the purchased days left may be booked, not more; CYB-4: a zone with no known holiday country is refused', () => {
    expect(planCyberEngagement(body, { remainingDays: 5 }).days).toBe(5);
    expect(refusal(() => planCyberEngagement(body, { remainingDays: 4 }))).toEqual({
      rule: 'ENT-1',
      path: 'days',
      status: 422,
      message: 'Only 4 purchased day(s) of CYBER_INCIDENT_RESPONSE remain; 5 requested.',
    });
    expect(refusal(() => planCyberEngagement({ ...body, timeZone: 'America/Bogota' }))).toEqual({
      rule: 'CYB-4',
      path: 'timeZone',
      status: 422,
      message: 'No holiday country is known for America/Bogota; name the country.',
    });
    expect(planCyberEngagement({ ...body, timeZone: 'America/Bogota', holidayCountry: 'CO' }).holidayCountry).toBe(
      'CO',
    );
    expect(cyberEngagementRequestSchema.safeParse({ ...body, timeZone: 'Mars/Base' }).success).toBe(false);
    expect(cyberEngagementRequestSchema.safeParse({ ...body, holidayCountry: 'co' }).success).toBe(false);
    expect(cyberEngagementRequestSchema.safeParse({ ...body, extra: 1 }).success).toBe(false);
  });

  it('EXP-1: every engagement day lies within the term', () => {
    const plan = planCyberEngagement(body);
    const last = plan.schedule.at(-1)!.date;
    expect(planCyberEngagement(body, { term: { start: '2027-06-07', end: last } }).days).toBe(5);
    expect(
      refusal(() => planCyberEngagement(body, { term: { start: '2027-06-07', end: '2027-06-10' } })),
    ).toMatchObject({
      rule: 'EXP-1',
      path: 'start',
    });
    expect(refusal(() => planExtension(plan, 1, { term: { start: '2027-06-07', end: last } }))).toMatchObject({
      rule: 'EXP-1',
      path: 'blocks',
    });
  });

  it('CYB-3: extensions come in whole blocks of 5 days after the last day, 8 hours each, within the days left', () => {
    const plan = planCyberEngagement({ ...body, offering: 'CYBER_INCIDENT_RESPONSE_1DAY', days: 1 });
    const extended = planExtension(plan, 1, { remainingDays: 5 });
    expect(extended).toMatchObject({ days: 6, hours: 32 + 40 });
    expect(extended.schedule.slice(1).every((d) => d.date > plan.schedule[0]!.date)).toBe(true);
    expect(extended.deliverablesDueBy > plan.deliverablesDueBy).toBe(true);
    for (const blocks of [0, 1.5])
      expect(refusal(() => planExtension(plan, blocks))).toEqual({
        rule: 'CYB-3',
        path: 'blocks',
        status: 422,
        message: 'Extensions are bought in whole blocks of 5 days.',
      });
    expect(refusal(() => planExtension(plan, 1, { remainingDays: 4 }))).toEqual({
      rule: 'ENT-1',
      path: 'blocks',
      status: 422,
      message: 'Only 4 purchased day(s) remain; 5 needed.',
    });
    expect(refusal(() => planExtension({ ...plan, schedule: [] }, 1))).toEqual({
      rule: 'CYB-3',
      path: 'blocks',
      status: 422,
      message: 'The engagement has no schedule to extend.',
    });
  });

  it('CYB-5: declining moves the lapse to that day; once lapsed, declined or past the lapse date it is refused (409)', () => {
    const plan = planCyberEngagement(body);
    expect(declineDeliverables(plan, plan.obligationLapsesOn).obligationLapsesOn).toBe(plan.obligationLapsesOn);
    expect(declineDeliverables(plan, '2027-06-08').obligationLapsesOn).toBe('2027-06-08');
    const refused = {
      rule: 'CYB-5',
      path: '',
      status: 409,
      message: 'The deliverables obligation has already lapsed or been declined.',
    };
    expect(refusal(() => declineDeliverables({ ...plan, deliverablesDeclined: { on: 'x' } }, '2027-06-08'))).toEqual(
      refused,
    );
    expect(refusal(() => declineDeliverables({ ...plan, status: 'lapsed' }, '2027-06-08'))).toEqual(refused);
    expect(refusal(() => declineDeliverables(plan, '2099-01-01'))).toEqual(refused);
  });

  it('CYB-6: work on production needs each of the three acknowledgements', () => {
    const all = { toolsDeployed: true, adminAccountsProvided: true, validBackupConfirmed: true };
    expect(() => assertReadyForProductionWork(all)).not.toThrow();
    const none = { toolsDeployed: false, adminAccountsProvided: false, validBackupConfirmed: false };
    expect(refusal(() => assertReadyForProductionWork(none))).toEqual({
      rule: 'CYB-6',
      path: '',
      status: 422,
      message:
        'Before work on production the customer must provide the tools the team specified, cloud-only Global Administrator accounts, a confirmed valid backup.',
    });
    expect(refusal(() => assertReadyForProductionWork({ ...all, adminAccountsProvided: false })).message).toBe(
      'Before work on production the customer must provide cloud-only Global Administrator accounts.',
    );
    expect(refusal(() => assertReadyForProductionWork({ ...all, validBackupConfirmed: false })).message).toBe(
      'Before work on production the customer must provide a confirmed valid backup.',
    );
  });
});

describe('the cybersecurity lifecycle steps', () => {
  const plan = planCyberEngagement({
    offering: 'CYBER_INCIDENT_RESPONSE',
    start: '2027-06-07',
    days: 5,
    timeZone: 'Europe/Amsterdam',
  });
  const dates = ['2027-06-07', '2027-06-08', '2027-06-09', '2027-06-10', '2027-06-11'];

  it('CYB-3, CYB-5: each day is drawn down at its 17:00, the engagement closes after its last day, the obligation lapses after its lapse date', () => {
    expect(cyberSteps(plan)).toEqual([
      ...dates.map((date) => ({
        at: `${date}T15:00:00.000Z`,
        activity: CYBER_ACTIVITIES.dayDelivered,
        phase: 'inProgress',
        input: { date },
      })),
      { at: '2027-06-11T22:00:00.000Z', activity: CYBER_ACTIVITIES.close, phase: 'closed' },
      { at: '2027-06-21T22:00:00.000Z', activity: CYBER_ACTIVITIES.lapse, phase: 'lapsed' },
    ]);
    expect(plan.obligationLapsesOn).toBe('2027-06-21');
  });

  it('CYB-5: deliverables declined before the last day lapse once the engagement closes; declined on or after it, that day', () => {
    const lapse = (declinedOn: string) => cyberSteps(declineDeliverables(plan, declinedOn)).at(-1);
    expect(lapse('2027-06-08')).toEqual({
      at: '2027-06-11T22:00:00.000Z',
      activity: CYBER_ACTIVITIES.lapse,
      phase: 'lapsed',
    });
    expect(lapse('2027-06-11')?.at).toBe('2027-06-11T22:00:00.000Z');
    expect(lapse('2027-06-14')?.at).toBe('2027-06-14T22:00:00.000Z');
  });

  it('CYB-5: an engagement left with no days (all given back by a termination) only lapses', () => {
    expect(cyberSteps({ ...plan, schedule: [] })).toEqual([
      { at: '2027-06-21T22:00:00.000Z', activity: CYBER_ACTIVITIES.lapse, phase: 'lapsed' },
    ]);
  });

  it('CYB-3, CYB-5: each step has its own due-index kind (a day per date, then the close and the lapse)', () => {
    expect(cyberSteps(plan).map(cyberDueKind)).toEqual([
      ...dates.map((date) => `cyber:day:${date}`),
      'cyber:closed',
      'cyber:lapsed',
    ]);
  });
});
