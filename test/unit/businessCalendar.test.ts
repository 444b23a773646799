import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BusinessCalendar,
  CONTINUOUS_CLOCK,
  cybersecurityCalendar,
  supportLocationCalendar,
  toZonedIso,
} from '../../domain/calendar/businessCalendar';
import { publicHolidayList, publicHolidays } from '../../domain/calendar/holidays';

const amsterdam = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const at = (iso: string) => new Date(iso);
const ams = (d: Date) => toZonedIso(d, 'Europe/Amsterdam');

describe('HOURS-1 business hours calendar', () => {
  it('HOURS-1: NL 2027 public holidays are exactly the rulebook list (Good Friday and 5 May are working days)', () => {
    expect(publicHolidayList('NL', 2027).map((h) => h.date)).toEqual([
      '2027-01-01',
      '2027-03-28',
      '2027-03-29',
      '2027-04-27',
      '2027-05-06',
      '2027-05-16',
      '2027-05-17',
      '2027-12-25',
      '2027-12-26',
    ]);
    expect(amsterdam.isBusinessDay('2027-03-26')).toBe(true); // Good Friday
    expect(amsterdam.isBusinessDay('2027-05-05')).toBe(true); // Liberation Day
    expect(amsterdam.isBusinessDay('2027-04-27')).toBe(false); // King's Day
  });

  it('HOURS-1: holiday sets are cached per country-year', () => {
    expect(publicHolidays('NL', 2027)).toBe(publicHolidays('NL', 2027));
  });

  it('HOURS-1: Base Sev B Friday 2027-03-05 16:50 + 120 business minutes is Monday 10:20', () => {
    const due = amsterdam.addMinutes(at('2027-03-05T16:50:00+01:00'), 120);
    expect(ams(due)).toBe('2027-03-08T10:20:00+01:00');
    expect(amsterdam.minutesBetween(at('2027-03-05T16:50:00+01:00'), due)).toBe(120);
  });

  it('HOURS-1: opening hours follow wall-clock time across the March 2027 DST change', () => {
    // Friday 26 March (Good Friday, a working day) 17:00 CET + 60 min → Monday 29 is Easter Monday → Tue 30 09:30 CEST
    const due = amsterdam.addMinutes(at('2027-03-26T17:00:00+01:00'), 60);
    expect(ams(due)).toBe('2027-03-30T09:30:00+02:00');
    expect(amsterdam.openingOn('2027-03-30')?.open.toISOString()).toBe('2027-03-30T07:00:00.000Z');
  });

  it('HOURS-1: opening hours follow wall-clock time across the October 2027 DST change', () => {
    const due = amsterdam.addMinutes(at('2027-10-29T17:00:00+02:00'), 60);
    expect(ams(due)).toBe('2027-11-01T09:30:00+01:00');
    expect(amsterdam.openingOn('2027-11-01')?.open.toISOString()).toBe('2027-11-01T08:00:00.000Z');
  });

  it("HOURS-1: King's Day 27 Apr 2027 is skipped", () => {
    expect(ams(amsterdam.addMinutes(at('2027-04-26T17:00:00+02:00'), 60))).toBe('2027-04-28T09:30:00+02:00');
  });

  it('HOURS-1: Christmas and New Year are skipped across the year end', () => {
    // Fri 24 Dec 2027 17:00 → Sat 25, Sun 26 closed → Mon 27 09:30
    expect(ams(amsterdam.addMinutes(at('2027-12-24T17:00:00+01:00'), 60))).toBe('2027-12-27T09:30:00+01:00');
    // Fri 31 Dec 2027 17:00 → Sat 1 Jan 2028 → Mon 3 Jan 09:30
    expect(ams(amsterdam.addMinutes(at('2027-12-31T17:00:00+01:00'), 60))).toBe('2028-01-03T09:30:00+01:00');
    // 2026-12-31 (Thu) 17:00 → 1 Jan 2027 holiday (Fri) → Mon 4 Jan 09:30
    expect(ams(amsterdam.addMinutes(at('2026-12-31T17:00:00+01:00'), 60))).toBe('2027-01-04T09:30:00+01:00');
  });

  it('HOURS-1: a Work Order can add and remove days', () => {
    const custom = supportLocationCalendar(
      { country: 'NL', timeZone: 'Europe/Amsterdam' },
      { closedDays: ['2027-03-26'], openDays: ['2027-04-27'] },
    );
    expect(custom.isBusinessDay('2027-03-26')).toBe(false);
    expect(custom.isBusinessDay('2027-04-27')).toBe(true);
    expect(ams(custom.addMinutes(at('2027-04-26T17:00:00+02:00'), 60))).toBe('2027-04-27T09:30:00+02:00');
  });

  it('HOURS-1: business minutes between spans weekends and holidays', () => {
    // Mon 26 Apr 09:00 → Wed 28 Apr 17:30 with King's Day between: 2 × 510
    expect(amsterdam.minutesBetween(at('2027-04-26T09:00:00+02:00'), at('2027-04-28T17:30:00+02:00'))).toBe(1020);
    expect(amsterdam.minutesBetween(at('2027-04-28T17:30:00+02:00'), at('2027-04-26T09:00:00+02:00'))).toBe(-1020);
  });

  it('HOURS-1: next N business days', () => {
    expect(amsterdam.nextBusinessDays('2027-04-23', 3)).toEqual(['2027-04-23', '2027-04-26', '2027-04-28']);
    expect(amsterdam.nextBusinessDays('2027-04-23', 2, { includeStart: false })).toEqual(['2027-04-26', '2027-04-28']);
  });

  it('INC-5: the 24x7 clock counts real minutes across the DST jump', () => {
    // 28 March 2027 01:50 CET + 15 min = 03:05 CEST (02:00-03:00 does not exist)
    const due = CONTINUOUS_CLOCK.addMinutes(at('2027-03-28T01:50:00+01:00'), 15);
    expect(ams(due)).toBe('2027-03-28T03:05:00+02:00');
    const octDue = CONTINUOUS_CLOCK.addMinutes(at('2027-10-31T02:50:00+02:00'), 15);
    expect(ams(octDue)).toBe('2027-10-31T02:05:00+01:00');
  });

  it('CYB-4: Pacific calendar 08:00–17:00 skips Memorial Day (US public holidays)', () => {
    const pacific = cybersecurityCalendar('America/Los_Angeles', 'US');
    expect(pacific.isBusinessDay('2027-05-31')).toBe(false);
    expect(pacific.isBusinessDay('2027-04-15')).toBe(true); // Tax Day is an observance
    expect(toZonedIso(pacific.openingOn('2027-03-15')!.open, 'America/Los_Angeles')).toBe('2027-03-15T08:00:00-07:00');
    expect(toZonedIso(pacific.openingOn('2027-03-12')!.close, 'America/Los_Angeles')).toBe('2027-03-12T17:00:00-08:00');
  });
});

describe('business calendar properties', () => {
  const start2027 = Date.parse('2027-01-01T00:00:00Z');
  const end2027 = Date.parse('2028-01-01T00:00:00Z');
  const instant = fc.integer({ min: start2027, max: end2027 }).map((ms) => new Date(ms - (ms % 60_000)));
  const minutes = fc.integer({ min: 1, max: 5_000 });
  const calendars = [amsterdam, cybersecurityCalendar('America/Los_Angeles', 'US')];

  it('HOURS-1: add-then-measure round-trips', () => {
    for (const cal of calendars) {
      fc.assert(
        fc.property(instant, minutes, (s, m) => cal.minutesBetween(s, cal.addMinutes(s, m)) === m),
        { numRuns: 300 },
      );
    }
  });

  it('HOURS-1: a result never lies outside opening hours', () => {
    for (const cal of calendars) {
      fc.assert(
        fc.property(instant, minutes, (s, m) => {
          const due = cal.addMinutes(s, m);
          const opening = cal.openingOn(cal.localDate(due));
          return opening !== null && due > opening.open && due <= opening.close;
        }),
        { numRuns: 300 },
      );
    }
  });

  it('HOURS-1: monotonic in the start instant and in minutes added', () => {
    fc.assert(
      fc.property(instant, instant, minutes, minutes, (a, b, m, n) => {
        const [s1, s2] = a <= b ? [a, b] : [b, a];
        const [m1, m2] = m <= n ? [m, n] : [n, m];
        return (
          amsterdam.addMinutes(s1, m1) <= amsterdam.addMinutes(s2, m1) &&
          amsterdam.addMinutes(s1, m1) <= amsterdam.addMinutes(s1, m2)
        );
      }),
      { numRuns: 300 },
    );
  });

  it('HOURS-1: rejects an invalid definition', () => {
    expect(() => new BusinessCalendar({ country: 'NL', timeZone: 'Mars/Olympus' })).toThrow();
  });
});
