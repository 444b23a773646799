import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import { RuleViolation } from '../../domain/ruleViolation';
import { workOrderCalendarSchema } from '../../domain/workOrder/workOrderCalendar';
import { calendarForLocation, acceptWorkOrder } from '../../domain/workOrder/workOrderView';
import { parseConfig } from '../../infra/config';

const body = {
  customerId: 'contoso',
  number: 'WO-C',
  signedAt: '2026-12-15',
  term: { start: '2027-01-01', end: '2027-12-31' },
  host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
  downstream: [{ country: 'DE', timeZone: 'Europe/Berlin' }],
  currency: 'USD',
  basePackage: { listPrice: 1_000_000, flexAllowancePerYear: 0 },
};
const ams = (d: Date) => d.toISOString();

describe('calendar overrides per support location (HOURS-1)', () => {
  it('HOURS-1: days made closed or working apply at their own location only', () => {
    const wo = acceptWorkOrder(
      { ...body, calendar: { locations: { NL: { closed: ['2027-03-03'], open: ['2027-04-27'] } } } },
      { id: 'wo-c', asOf: '2027-01-01' },
    );
    const nl = calendarForLocation(wo, 'NL');
    expect(nl.isBusinessDay('2027-03-03')).toBe(false);
    expect(nl.isBusinessDay('2027-04-27')).toBe(true); // King's Day made a working day
    expect(calendarForLocation(wo, 'DE').isBusinessDay('2027-03-03')).toBe(true);
    // Tue 2 March 16:50 + 2 business hours: Wednesday closed → Thursday 10:20.
    expect(ams(nl.addMinutes(new Date('2027-03-02T15:50:00Z'), 120))).toBe('2027-03-04T09:20:00.000Z');
  });

  it('HOURS-1, MN-1: overrides name the Work Order’s locations; a day cannot be both closed and open', () => {
    const foreign = () =>
      acceptWorkOrder(
        { ...body, calendar: { locations: { FR: { closed: ['2027-03-03'] } } } },
        { id: 'x', asOf: '2027-01-01' },
      );
    expect(foreign).toThrow(RuleViolation);
    expect(() =>
      workOrderCalendarSchema.parse({ locations: { NL: { closed: ['2027-03-03'], open: ['2027-03-03'] } } }),
    ).toThrow(ZodError);
  });

  it('HOURS-1: hours per country come from configuration (LOCATION_HOURS)', () => {
    const config = parseConfig({
      AzureWebJobsStorage: 'UseDevelopmentStorage=true;AccountName=x',
      LOCATION_HOURS: '{"DE":{"opensAt":"08:00","closesAt":"16:30"}}',
    });
    const catalogue = { ...DEFAULT_CATALOGUE, locationHours: config.locationHours };
    const wo = acceptWorkOrder(body, { id: 'wo-c', asOf: '2027-01-01' });
    const de = calendarForLocation(wo, 'DE', catalogue);
    expect(de.openingOn('2027-03-02')).toMatchObject({
      open: new Date('2027-03-02T07:00:00Z'),
      close: new Date('2027-03-02T15:30:00Z'),
    });
    expect(calendarForLocation(wo, 'NL', catalogue).openingOn('2027-03-02')).toMatchObject({
      open: new Date('2027-03-02T08:00:00Z'),
    });
    expect(() =>
      parseConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', LOCATION_HOURS: '{"DE":1}' }),
    ).toThrow(/LOCATION_HOURS/);
  });
});
