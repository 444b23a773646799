// The Work Order body (term, locations, FLEX-2 usdRate, entitlement amounts), the term as a termination shortens it
// (EXP-1), support locations and contacts (MN-1, MN-7, MN-8, CUST-SSM) and calendar overrides (HOURS-1, MN-1): the
// edges mutation testing found unproven.
import { describe, expect, it } from 'vitest';
import { refusal } from '../support/refusal';
import { locationsMissingSsm, nameContacts, supportLocations } from '../../domain/workOrder/contacts';
import { effectiveTerm, lastDayOfTerm } from '../../domain/workOrder/term';
import {
  assertCalendarLocations,
  locationOverridesSchema,
  workOrderCalendarSchema,
} from '../../domain/workOrder/workOrderCalendar';
import { purchasedAmount, termSchema, workOrderInputSchema } from '../../domain/workOrder/workOrderSchema';
import { WorkOrderConflict } from '../../domain/workOrder/workOrderStore';
import { workOrderBody } from '../support/workOrderFixtures';

const issues = (body: Record<string, unknown>) =>
  workOrderInputSchema.safeParse(workOrderBody(body)).error?.issues.map((i) => ({ path: i.path, message: i.message }));

describe('the Work Order body', () => {
  it('a term may be one day; its end is never before its start', () => {
    expect(termSchema.safeParse({ start: '2027-01-01', end: '2027-01-01' }).success).toBe(true);
    expect(termSchema.safeParse({ start: '2027-01-02', end: '2027-01-01' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['end'], message: 'term.end must not be before term.start' }),
    ]);
  });

  it('FLEX-2: another currency needs its usdRate; a location is listed once; each amount in its unit', () => {
    expect(issues({ currency: 'EUR' })).toEqual([
      { path: ['usdRate'], message: 'usdRate is required when the currency is EUR' },
    ]);
    expect(issues({ currency: 'EUR', usdRate: 0.9 })).toBeUndefined();
    expect(
      issues({
        downstream: [
          { country: 'DE', timeZone: 'Europe/Berlin' },
          { country: 'NL', timeZone: 'Europe/Amsterdam' },
          { country: 'DE', timeZone: 'Europe/Berlin' },
        ],
      }),
    ).toEqual([
      { path: ['downstream', 1, 'country'], message: 'support location NL is listed twice' },
      { path: ['downstream', 2, 'country'], message: 'support location DE is listed twice' },
    ]);
    expect(issues({ entitlements: [{ serviceCode: 'WORKSHOP', quantity: 1 }, { serviceCode: 'EDE' }] })).toEqual([
      { path: ['entitlements', 1], message: 'EDE is bought in hours: "hours" is required' },
    ]);
    const countries = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`A${String.fromCharCode(65 + (i % 26))}${i}`, 1]),
    );
    expect(workOrderInputSchema.safeParse(workOrderBody({ proactiveCredits: countries })).success).toBe(false);
  });

  it('an entitlement amount comes in the unit of the service, a quantity defaulting to one instance', () => {
    expect(purchasedAmount({ serviceCode: 'WORKSHOP' })).toBe(1);
    expect(purchasedAmount({ serviceCode: 'WORKSHOP', quantity: 3 })).toBe(3);
    expect(purchasedAmount({ serviceCode: 'EDE', hours: 40 })).toBe(40);
    expect(purchasedAmount({ serviceCode: 'CYBER_INCIDENT_RESPONSE', days: 5 })).toBe(5);
    expect(purchasedAmount({ serviceCode: 'EDE', quantity: 3 })).toBe('EDE is bought in hours: give "hours" only');
    expect(purchasedAmount({ serviceCode: 'EDE', hours: 3, days: 1 })).toBe(
      'EDE is bought in hours: give "hours" only',
    );
    expect(purchasedAmount({ serviceCode: 'AEM' })).toBe('AEM is bought in events: "quantity" is required');
  });

  it('EXP-1: a termination before the term end ends the term then; one on or after it changes nothing', () => {
    const term = { start: '2027-01-01', end: '2027-12-31' };
    expect(lastDayOfTerm({ term })).toBe('2027-12-31');
    expect(lastDayOfTerm({ term, terminatesOn: null })).toBe('2027-12-31');
    expect(lastDayOfTerm({ term, terminatesOn: '2027-06-30' })).toBe('2027-06-30');
    expect(lastDayOfTerm({ term, terminatesOn: '2028-01-31' })).toBe('2027-12-31');
    expect(effectiveTerm({ term, terminatesOn: '2027-06-30' })).toEqual({ start: '2027-01-01', end: '2027-06-30' });
  });

  it('a lost ETag race is a WorkOrderConflict by name', () => {
    expect(new WorkOrderConflict('stale').name).toBe('WorkOrderConflict');
  });
});

describe('support locations and contacts', () => {
  const host = { country: 'JP', timeZone: 'Asia/Tokyo' };
  const locations = { host, downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }] };
  const person = (email: string) => ({ name: email.split('@')[0]!, email });

  it('MN-1, MN-7, MN-3: the Host and Downstream roles, exception countries invoiced separately, SDM in Host hours', () => {
    expect(supportLocations(locations)).toEqual([
      { country: 'JP', timeZone: 'Asia/Tokyo', role: 'host', invoice: 'separate', ssm: null, sdmHoursOf: 'JP' },
      {
        country: 'DE',
        timeZone: 'Europe/Berlin',
        role: 'downstream',
        invoice: 'consolidated',
        ssm: null,
        sdmHoursOf: 'JP',
      },
    ]);
  });

  it('MN-8, CUST-SSM: the Host has the named SSM unless one is named for it; others only their own', () => {
    const contacts = {
      ssm: person('ssm@c.com'),
      perLocation: { DE: person('de@c.com') },
      reactiveContacts: [],
      cloudAdministrators: [],
    };
    expect(supportLocations(locations, contacts).map((l) => l.ssm?.email ?? null)).toEqual(['ssm@c.com', 'de@c.com']);
    const hostOwn = { ...contacts, perLocation: { JP: person('jp@c.com') } };
    expect(supportLocations(locations, hostOwn).map((l) => l.ssm?.email ?? null)).toEqual(['jp@c.com', null]);
    expect(nameContacts(locations, contacts).withoutOwnSsm).toEqual([]);
    expect(nameContacts(locations, { ...contacts, perLocation: undefined }).withoutOwnSsm).toEqual(['DE']);
    expect(nameContacts(locations, hostOwn).withoutOwnSsm).toEqual(['DE']);
    expect(refusal(() => nameContacts(locations, { ...contacts, perLocation: { FR: person('fr@c.com') } }))).toEqual({
      rule: 'MN-8',
      path: 'perLocation.FR',
      status: 422,
      message: 'FR is not a support location on this Work Order.',
    });
    expect(locationsMissingSsm('NL', {}, ['NL', 'DE'])).toEqual(['NL', 'DE']);
    expect(locationsMissingSsm('NL', { NL: 'x' })).toEqual([]);
  });
});

describe('calendar overrides', () => {
  it('HOURS-1: a day is closed or open, not both; overrides name support locations (MN-1)', () => {
    expect(
      locationOverridesSchema.safeParse({ closed: ['2027-05-01', '2027-05-02'], open: ['2027-05-02'] }).error?.issues,
    ).toEqual([
      expect.objectContaining({
        code: 'custom',
        path: ['open'],
        message: 'a day cannot be both closed and open: 2027-05-02',
      }),
    ]);
    expect(locationOverridesSchema.safeParse({ closed: ['2027-05-01'], open: ['2027-05-02'] }).success).toBe(true);
    const calendar = workOrderCalendarSchema.parse({ locations: { DE: { closed: ['2027-05-01'] } } });
    expect(refusal(() => assertCalendarLocations(calendar, [{ country: 'NL' }]))).toEqual({
      rule: 'MN-1',
      path: 'locations.DE',
      status: 422,
      message: 'DE is not a support location on this Work Order.',
    });
    expect(() => assertCalendarLocations(calendar, [{ country: 'NL' }, { country: 'DE' }])).not.toThrow();
  });
});
