// Hours used (EDE-1, REDE-1, ADV-1, EXP-1, ENT-1), customer duties (UER-4, UER-5, GHED-1) and the term's dated
// promises (REQ-60 reminders, DEP-2/EXP-1 add-on endings, FLEX-3, EXP-1): the edges mutation testing found unproven.
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import {
  completeDuty,
  dutiesFor,
  markOverdue,
  replaceDuty,
  termQuarters,
  workOrderIdOfDuty,
} from '../../domain/workOrder/duties';
import { newBalance } from '../../domain/workOrder/entitlements';
import { hoursInputSchema, useHours } from '../../domain/workOrder/hours';
import { lifecycleEventKey, workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';

describe('hours used', () => {
  const term = { start: '2027-01-01', end: '2027-12-31' };
  const workOrder = {
    term,
    entitlements: [
      newBalance('EDE', 10, '2027-12-31'),
      { ...newBalance('REDE', 10, '2027-06-30'), endedBy: 'DEP-1' },
      newBalance('CYBER_INCIDENT_RESPONSE', 5, '2027-09-30'),
    ],
  };
  const use = (over: Record<string, unknown>, caseHours = 0) =>
    useHours(
      workOrder,
      hoursInputSchema.parse({ serviceCode: 'EDE', date: '2027-03-01', hours: 4, ...over }),
      caseHours,
    );

  it('EDE-1, REDE-1: hours are deducted from the block, within the term, up to what is left (ENT-1)', () => {
    expect(use({}).remainingAfter).toBe(6);
    expect(use({ hours: 10 }).entitlements[0]).toMatchObject({ consumed: 10, remaining: 0 });
    expect(refusal(() => use({ hours: 11 }))).toMatchObject({ rule: 'ENT-1', path: 'hours' });
    expect(use({ date: '2027-01-01' }).remainingAfter).toBe(6);
    expect(use({ date: '2027-12-31' }).remainingAfter).toBe(6);
    const outside = {
      rule: 'EXP-1',
      path: 'date',
      status: 422,
      message: 'Hours are used within the term (2027-01-01 to 2027-12-31).',
    };
    expect(refusal(() => use({ date: '2026-12-31' }))).toEqual(outside);
    expect(refusal(() => use({ date: '2028-01-01' }))).toEqual(outside);
    expect(use({ serviceCode: 'CYBER_INCIDENT_RESPONSE', hours: 8 }).remainingAfter).toBe(4); // CYB-3: days of 8 hours
    expect(refusal(() => use({ serviceCode: 'DESIGNATED_ENGINEERING' })).rule).toBe('ENT-1');
  });

  it('EXP-1, DEP-1: a service that ended earlier refuses hours after its last day, under the rule that ended it', () => {
    expect(use({ serviceCode: 'REDE', date: '2027-06-30' }).remainingAfter).toBe(6);
    expect(refusal(() => use({ serviceCode: 'REDE', date: '2027-07-01' }))).toEqual({
      rule: 'DEP-1',
      path: 'date',
      status: 422,
      message: 'REDE ended on 2027-06-30.',
    });
    expect(refusal(() => use({ serviceCode: 'CYBER_INCIDENT_RESPONSE', date: '2027-10-01', hours: 8 })).rule).toBe(
      'EXP-1',
    );
  });

  it('ADV-1: an advisory case takes at most 6 hours and draws on no balance; it names its case', () => {
    const advisory = { serviceCode: 'ADVISORY_SUPPORT', caseId: 'case-1' };
    expect(use({ ...advisory, hours: 2 }, 4)).toEqual({ entitlements: workOrder.entitlements, remainingAfter: null });
    expect(refusal(() => use({ ...advisory, hours: 2.5 }, 4))).toEqual({
      rule: 'ADV-1',
      path: 'hours',
      status: 422,
      message: 'Advisory Support is limited to 6 hours per case; case case-1 has used 4.',
    });
    const unnamed = hoursInputSchema.safeParse({ serviceCode: 'ADVISORY_SUPPORT', date: '2027-03-01', hours: 1 });
    expect(unnamed.error?.issues).toEqual([
      expect.objectContaining({
        code: 'custom',
        path: ['caseId'],
        message: 'ADVISORY_SUPPORT hours name their caseId',
      }),
    ]);
    expect(hoursInputSchema.safeParse({ serviceCode: 'EDE', date: '2027-03-01', hours: 1 }).success).toBe(true);
    expect(hoursInputSchema.safeParse({ serviceCode: 'EDE', date: '2027-03-01', hours: 100_000 }).success).toBe(true);
    expect(hoursInputSchema.safeParse({ serviceCode: 'EDE', date: '2027-03-01', hours: 100_001 }).success).toBe(false);
    expect(hoursInputSchema.safeParse({ serviceCode: 'EDE', date: '2027-03-01', hours: 1, x: 1 }).success).toBe(false);
  });
});

describe('customer duties', () => {
  const term = { start: '2027-01-31', end: '2027-12-31' };

  it('UER-5, GHED-1: quarters from the term start, the last cut at the term end, month ends kept', () => {
    expect(termQuarters(term)).toEqual([
      { start: '2027-01-31', end: '2027-04-29' },
      { start: '2027-04-30', end: '2027-07-30' },
      { start: '2027-07-31', end: '2027-10-30' },
      { start: '2027-10-31', end: '2027-12-31' },
    ]);
    expect(termQuarters({ start: '2027-01-01', end: '2027-03-31' })).toEqual([
      { start: '2027-01-01', end: '2027-03-31' },
    ]);
    expect(termQuarters({ start: '2027-01-01', end: '2027-04-01' })).toEqual([
      { start: '2027-01-01', end: '2027-03-31' },
      { start: '2027-04-01', end: '2027-04-01' },
    ]);
  });

  it('UER-4, UER-5, GHED-1: UER brings onboarding and quarterly reviews, GitHub Engineering Direct reviews, others none', () => {
    const duties = dutiesFor('wo-1', { start: '2027-01-01', end: '2027-06-30' }, [
      'UER',
      'GITHUB_ENGINEERING_DIRECT',
      'EDE',
    ]);
    expect(duties.map((d) => [d.id, d.kind, d.rule, d.dueOn, d.remindOn, d.state])).toEqual([
      ['wo-1:onboarding:UER', 'onboarding', 'UER-4', '2027-03-01', '2027-02-14', 'open'],
      ['wo-1:review:UER:2027-03-31', 'quarterlyReview', 'UER-5', '2027-03-31', '2027-03-17', 'open'],
      ['wo-1:review:UER:2027-06-30', 'quarterlyReview', 'UER-5', '2027-06-30', '2027-06-16', 'open'],
      [
        'wo-1:review:GITHUB_ENGINEERING_DIRECT:2027-03-31',
        'quarterlyReview',
        'GHED-1',
        '2027-03-31',
        '2027-03-17',
        'open',
      ],
      [
        'wo-1:review:GITHUB_ENGINEERING_DIRECT:2027-06-30',
        'quarterlyReview',
        'GHED-1',
        '2027-06-30',
        '2027-06-16',
        'open',
      ],
    ]);
    // Added during the term: onboarding counted from that day (cut at the term end), quarters ended before it not due,
    // a reminder that would fall before it falls on it; a quarter ending that day is still due.
    const late = dutiesFor('wo-1', { start: '2027-01-01', end: '2027-04-30' }, ['UER'], '2027-03-31');
    expect(late.map((d) => [d.kind, d.dueOn, d.remindOn])).toEqual([
      ['onboarding', '2027-04-30', '2027-04-30'],
      ['quarterlyReview', '2027-03-31', '2027-03-31'],
      ['quarterlyReview', '2027-04-30', '2027-04-16'],
    ]);
    expect(dutiesFor('wo-1', term, ['EDE'])).toEqual([]);
  });

  it("UER-4: completing is once (409 under the duty's rule); an open duty becomes overdue, a done one stays", () => {
    const [onboarding] = dutiesFor('wo-9', term, ['UER']);
    const done = completeDuty(onboarding!, '2027-02-01T10:00:00Z', 'ops', 'joined');
    expect(done).toMatchObject({
      state: 'done',
      completedAt: '2027-02-01T10:00:00Z',
      completedBy: 'ops',
      note: 'joined',
    });
    expect(completeDuty(onboarding!, 'a', 'b')).not.toHaveProperty('note');
    expect(refusal(() => completeDuty(done, 'a', 'b'))).toEqual({
      rule: 'UER-4',
      path: '',
      status: 409,
      message: 'This duty is already completed.',
    });
    const overdue = markOverdue(onboarding!);
    expect(overdue?.state).toBe('overdue');
    expect(completeDuty(overdue!, 'a', 'b').state).toBe('done');
    expect(markOverdue(done)).toBeNull();
    expect(markOverdue(overdue!)).toBeNull();
    const all = dutiesFor('wo-9', term, ['UER']);
    expect(replaceDuty(all, done)).toEqual([done, ...all.slice(1)]);
    expect(workOrderIdOfDuty(onboarding!.id)).toBe('wo-9');
  });
});

describe("the term's dated promises", () => {
  const host = { country: 'NL', timeZone: 'Europe/Amsterdam' };

  it('REQ-60: reminders 30 and 7 days before the window closes, none before the term starts; FLEX-3 and EXP-1 at midnight', () => {
    const [year] = workOrderLifecycleSchedule({ term: { start: '2027-01-01', end: '2027-12-31' }, host });
    expect(year?.events.map((e) => [e.kind, e.date, e.at, e.rule, e.daysBeforeClose ?? null])).toEqual(
      [
        ['requestWindowReminder', '2027-10-02', '2027-10-02T07:00:00.000Z', 'REQ-60', 30],
        ['requestWindowReminder', '2027-10-25', '2027-10-25T07:00:00.000Z', 'REQ-60', 7],
        ['flexPeriodEnded', '2027-12-31', '2027-12-31T23:00:00.000Z', 'FLEX-3'],
        ['termEnded', '2027-12-31', '2027-12-31T23:00:00.000Z', 'EXP-1'],
      ].map((row) => (row.length === 4 ? [...row, null] : row)),
    );
    // A term shorter than the window: the 30-day reminder would fall before the start (the 7-day one on it).
    const short = workOrderLifecycleSchedule({ term: { start: '2027-01-01', end: '2027-03-09' }, host })[0];
    expect(short?.events.filter((e) => e.kind === 'requestWindowReminder').map((e) => e.date)).toEqual(['2027-01-01']);
  });

  it('DEP-2, EXP-1: add-ons ending before the term end are announced at the end of their last day; duties remind and fall due', () => {
    const term = { start: '2027-01-01', end: '2028-12-31' };
    const entitlements = [
      { ...newBalance('AZURE_ENGINEERING_DIRECT', 1, '2027-06-30'), endedBy: 'DEP-2' },
      { ...newBalance('RAPID_RESPONSE', 1, '2027-06-30'), endedBy: 'EXP-1' },
      { ...newBalance('EDE', 1, '2027-09-30'), endedBy: 'EXP-1' },
      { ...newBalance('REDE', 1, '2027-08-31'), endedBy: 'DEP-1' },
      newBalance('WORKSHOP', 1, '2028-12-31'),
      { ...newBalance('UER', 1, '2028-12-31'), endedBy: 'EXP-1' },
    ];
    const duties = dutiesFor('wo-1', term, ['UER']).map((d, i) => (i === 1 ? { ...d, state: 'done' as const } : d));
    const years = workOrderLifecycleSchedule({ term, host, entitlements, duties });
    const ended = years.flatMap((y) => y.events.filter((e) => e.kind === 'entitlementEnded'));
    expect(ended.map((e) => [e.date, e.rule, e.serviceCodes])).toEqual([
      ['2027-06-30', 'DEP-2', ['AZURE_ENGINEERING_DIRECT', 'RAPID_RESPONSE']],
      ['2027-09-30', 'EXP-1', ['EDE']],
    ]);
    expect(ended[0]?.at).toBe('2027-06-30T22:00:00.000Z');
    const dutyEvents = years[0]!.events.filter((e) => e.dutyId);
    expect(dutyEvents.slice(0, 2).map((e) => [e.kind, e.date, e.at])).toEqual([
      ['dutyReminder', '2027-02-14', '2027-02-14T08:00:00.000Z'],
      ['dutyOverdue', '2027-03-01', '2027-03-01T23:00:00.000Z'],
    ]);
    expect(dutyEvents.some((e) => e.dutyId === duties[1]!.id)).toBe(false); // a done duty has no events
    expect(years[1]!.events.filter((e) => e.dutyId).every((e) => e.date >= '2028-01-01')).toBe(true);
    // Events are in time order within the year.
    const ats = years[0]!.events.map((e) => e.at);
    expect(ats).toEqual([...ats].sort());
    expect(lifecycleEventKey(dutyEvents[0]!)).toBe(`2027-02-14/${dutyEvents[0]!.dutyId}`);
    expect(lifecycleEventKey(ended[0]!)).toBe('2027-06-30');
  });

  it("a termination's last day ends the term: duties due after it have no events", () => {
    const term = { start: '2027-01-01', end: '2027-12-31' };
    const duties = dutiesFor('wo-1', term, ['UER']);
    const years = workOrderLifecycleSchedule({ term, terminatesOn: '2027-03-31', host, duties });
    expect(years.flatMap((y) => y.events.filter((e) => e.dutyId).map((e) => e.date))).toEqual([
      '2027-02-14',
      '2027-03-01',
      '2027-03-17',
      '2027-03-31',
    ]);
    expect(years.at(-1)?.events.at(-1)).toMatchObject({ kind: 'termEnded', date: '2027-03-31', rule: 'EXP-1' });
  });
});
