// The sweep's repair decision (due index), the shared input bounds, RuleViolation's status mapping and the catalogue
// helpers (MN-5, MN-7, CYB-4, PRO-1, PRO-3, PRO-4, SDM-REQ): the edges mutation testing found unproven.
import { describe, expect, it } from 'vitest';
import {
  countryCodeSchema,
  countryOfTimeZone,
  EXCEPTION_COUNTRIES,
  invoiceGroups,
  isExceptionCountry,
} from '../../domain/catalogue/countries';
import {
  isAssessmentHelpWithinLimits,
  mayCancelWorkshopForEnrolment,
  mayRequireSdmHours,
  proactiveCatalogue,
} from '../../domain/catalogue/proactiveTerms';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import { days, hours, idSchema, isPathId, list, longText, quantity, termWithinBounds, text } from '../../domain/input';
import { repairFor, type DueItem } from '../../domain/lifecycle/dueIndex';
import { isRuleViolation, RuleViolation } from '../../domain/ruleViolation';

describe('the sweep repairs a promise without a keeper', () => {
  const item: DueItem = {
    dueAt: '2027-03-01T10:00:00.000Z',
    kind: 'flexPeriodEnded',
    resourceId: 'wo-1/1/2027-12-31',
    workOrderId: 'wo-1',
    instanceId: 'term-wo-1',
    orchestration: 'workOrderTerm',
    restartInput: {},
    doneAt: null,
  };
  const at = (minutesAfterDue: number) => new Date(Date.parse(item.dueAt) + minutesAfterDue * 60_000).toISOString();

  it('not yet due: nothing; due with no running keeper (missing, failed, terminated): restarted at once', () => {
    expect(repairFor(item, undefined, at(-1))).toBeNull();
    for (const status of [undefined, 'Failed', 'Terminated'])
      expect(repairFor(item, status, at(0))).toMatchObject({
        at: at(0),
        instanceId: 'term-wo-1',
        kind: 'flexPeriodEnded',
        resourceId: 'wo-1/1/2027-12-31',
        action: 'restarted',
      });
  });

  it('a running keeper is trusted within the grace period; after it, and for a completed one, the open item is noted', () => {
    for (const status of ['Running', 'Pending', 'ContinuedAsNew', 'Suspended', 'Completed']) {
      expect(repairFor(item, status, at(60))).toBeNull();
      expect(repairFor(item, status, at(61))).toMatchObject({ action: 'noted', instanceId: 'term-wo-1' });
    }
    expect(repairFor(item, 'Running', at(11), 10)?.action).toBe('noted');
    expect(repairFor(item, 'Running', at(10), 10)).toBeNull();
  });
});

describe('input bounds', () => {
  it('ids: 1 to 128 characters of letters, digits and -_.: ; path ids up to 160', () => {
    expect(idSchema.safeParse('INC-1_a.b:c').success).toBe(true);
    expect(idSchema.safeParse('').success).toBe(false);
    expect(idSchema.safeParse('a'.repeat(128)).success).toBe(true);
    expect(idSchema.safeParse('a'.repeat(129)).success).toBe(false);
    expect(idSchema.safeParse('a b').error?.issues[0]?.message).toBe(
      'letters, digits, "-", "_", "." and ":" only, at most 128 characters',
    );
    expect([
      isPathId(''),
      isPathId('a'),
      isPathId('a'.repeat(160)),
      isPathId('a'.repeat(161)),
      isPathId('a/b'),
    ]).toEqual([false, true, true, false, false]);
  });

  it('strings, lists and amounts have their contract bounds', () => {
    expect([text().safeParse('a'.repeat(256)).success, text().safeParse('a'.repeat(257)).success]).toEqual([
      true,
      false,
    ]);
    expect([longText().safeParse('a'.repeat(4000)).success, longText().safeParse('a'.repeat(4001)).success]).toEqual([
      true,
      false,
    ]);
    const items = list(text());
    expect([items.safeParse(Array(100).fill('x')).success, items.safeParse(Array(101).fill('x')).success]).toEqual([
      true,
      false,
    ]);
    expect([0, 1, 365, 366, 1.5].map((n) => days().safeParse(n).success)).toEqual([false, true, true, false, false]);
    expect([0, 0.5, 100_000, 100_001].map((n) => hours().safeParse(n).success)).toEqual([false, true, true, false]);
    expect([0, 1, 1000, 1001, 1.5].map((n) => quantity().safeParse(n).success)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('a term ends at most 5 years after it starts', () => {
    expect(termWithinBounds({ start: '2027-01-01', end: '2032-01-01' })).toBe(true);
    expect(termWithinBounds({ start: '2027-01-01', end: '2032-01-02' })).toBe(false);
    expect(termWithinBounds({ start: 'not a date', end: '2028-01-01' })).toBe(false);
  });
});

describe('RuleViolation', () => {
  it('a state conflict (RCA-1, SCHED-1) is 409, any other rule 422, unless the caller says; the explanation travels', () => {
    expect([new RuleViolation('RCA-1', 'm').status, new RuleViolation('SCHED-1', 'm').status]).toEqual([409, 409]);
    expect(new RuleViolation('ENT-1', 'm').status).toBe(422);
    expect(new RuleViolation('SCHED-1', 'm', 'x', 400).status).toBe(400);
    const plain = new RuleViolation('ENT-1', 'message');
    expect(plain).toMatchObject({ name: 'RuleViolation', rule: 'ENT-1', path: '', message: 'message' });
    expect(plain.explanation).toBeUndefined();
    const explained = new RuleViolation('REQ-60', 'm', '', undefined, { text: 'why', rules: ['REQ-60'] });
    expect(explained.explanation).toEqual({ text: 'why', rules: ['REQ-60'] });
    expect([isRuleViolation(plain), isRuleViolation(new Error('x'))]).toEqual([true, false]);
  });
});

describe('catalogue helpers', () => {
  it('MN-5, MN-7: the nine exception countries trade no credits and are invoiced separately', () => {
    expect([...EXCEPTION_COUNTRIES].sort()).toEqual(['AU', 'CN', 'HK', 'IN', 'JP', 'KR', 'MO', 'NZ', 'TW']);
    expect(['JP', 'NL'].map(isExceptionCountry)).toEqual([true, false]);
    expect(invoiceGroups(['NL', 'JP', 'DE', 'AU'])).toEqual({ consolidated: ['NL', 'DE'], separate: ['JP', 'AU'] });
    expect(countryCodeSchema.safeParse('nl').error?.issues[0]?.message).toBe(
      'expected an ISO 3166-1 alpha-2 country code such as "NL"',
    );
    expect(countryCodeSchema.safeParse('NLD').success).toBe(false);
  });

  it('CYB-4: the country whose holidays apply to a time zone, or none', () => {
    expect([
      countryOfTimeZone('Europe/Amsterdam'),
      countryOfTimeZone('Asia/Tokyo'),
      countryOfTimeZone('Mars/Base'),
    ]).toEqual(['NL', 'JP', undefined]);
  });

  it('PRO-1: proactive services by category; PRO-3: assessment help 1 day remote, 2 on-site; PRO-4: below the minimum', () => {
    const catalogue = proactiveCatalogue();
    expect(catalogue.education).toContain('WORKSHOP');
    expect(catalogue.maintenance).toContain('ON_DEMAND_ASSESSMENT');
    expect(Object.values(catalogue).flat()).not.toContain('EDE');
    for (const [category, codes] of Object.entries(catalogue))
      for (const code of codes)
        expect(DEFAULT_CATALOGUE.services[code]).toMatchObject({ group: 'proactive', category });
    expect(Object.values(catalogue).flat()).toHaveLength(
      Object.values(DEFAULT_CATALOGUE.services).filter((e) => e.group === 'proactive' && e.category).length,
    );
    expect([0, 1, 2].map((d) => isAssessmentHelpWithinLimits('remote', d))).toEqual([false, true, false]);
    expect([0, 2, 3].map((d) => isAssessmentHelpWithinLimits('onSite', d))).toEqual([false, true, false]);
    expect([mayCancelWorkshopForEnrolment(4, 5), mayCancelWorkshopForEnrolment(5, 5)]).toEqual([true, false]);
  });

  it('SDM-REQ: an additional service may need SDM hours; a Base one or an SDM one does not', () => {
    expect([
      mayRequireSdmHours('WORKSHOP'),
      mayRequireSdmHours('ON_DEMAND_ASSESSMENT'),
      mayRequireSdmHours('SDM_ADDON'),
    ]).toEqual([true, false, false]);
  });
});
