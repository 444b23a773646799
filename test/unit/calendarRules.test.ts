// Boundaries of the business-hours calendar (HOURS-1, INC-5, CYB-4) that mutation testing showed no test pinned down.
import { describe, expect, it } from 'vitest';
import {
  BusinessCalendar,
  CONTINUOUS_CLOCK,
  supportLocationCalendar,
  toZonedIso,
} from '../../domain/calendar/businessCalendar';
import { publicHolidayList, publicHolidays } from '../../domain/calendar/holidays';

const noHolidays = () => new Set<string>();
const amsterdam = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });
const at = (iso: string) => new Date(iso);

describe('INC-5 24x7 clock', () => {
  it('INC-5: counts real minutes, negative when the end is earlier', () => {
    expect(CONTINUOUS_CLOCK.minutesBetween(at('2027-03-05T10:00:00Z'), at('2027-03-05T11:30:00Z'))).toBe(90);
    expect(CONTINUOUS_CLOCK.minutesBetween(at('2027-03-05T11:30:00Z'), at('2027-03-05T10:00:00Z'))).toBe(-90);
  });
});

describe('HOURS-1 opening boundaries', () => {
  it('HOURS-1: open from 09:00 inclusive to 17:30 exclusive, closed at weekends', () => {
    expect(amsterdam.isOpenAt(at('2027-03-05T09:00:00+01:00'))).toBe(true);
    expect(amsterdam.isOpenAt(at('2027-03-05T08:59:59.999+01:00'))).toBe(false);
    expect(amsterdam.isOpenAt(at('2027-03-05T17:29:59.999+01:00'))).toBe(true);
    expect(amsterdam.isOpenAt(at('2027-03-05T17:30:00+01:00'))).toBe(false);
    expect(amsterdam.isOpenAt(at('2027-03-06T12:00:00+01:00'))).toBe(false); // Saturday
  });

  it('HOURS-1: the explicit-name aliases give the same business-minute arithmetic', () => {
    const start = at('2027-03-05T16:50:00+01:00');
    const due = amsterdam.addBusinessMinutes(start, 120);
    expect(toZonedIso(due, 'Europe/Amsterdam')).toBe('2027-03-08T10:20:00+01:00');
    expect(amsterdam.businessMinutesBetween(start, due)).toBe(120);
    expect(amsterdam.businessMinutesBetween(due, start)).toBe(-120);
  });

  it('HOURS-1: a due time may fall exactly on closing time (not the next opening)', () => {
    const due = amsterdam.addMinutes(at('2027-03-05T09:00:00+01:00'), 510);
    expect(toZonedIso(due, 'Europe/Amsterdam')).toBe('2027-03-05T17:30:00+01:00');
  });

  it('HOURS-1: no business minutes lie between an instant and itself (not minus zero)', () => {
    const t = at('2027-03-05T10:00:00+01:00');
    expect(amsterdam.minutesBetween(t, t)).toBe(0);
  });

  it('HOURS-1: adding zero or negative minutes leaves the instant where it is, even outside opening hours', () => {
    const saturday = at('2027-03-06T12:00:00+01:00');
    expect(amsterdam.addMinutes(saturday, 0).getTime()).toBe(saturday.getTime());
    expect(amsterdam.addMinutes(saturday, -30).getTime()).toBe(saturday.getTime());
  });

  it('HOURS-1: opensAt must be strictly before closesAt', () => {
    const base = { country: 'NL', timeZone: 'Europe/Amsterdam' };
    expect(() => new BusinessCalendar({ ...base, opensAt: '10:00', closesAt: '10:00' })).toThrow(/opensAt/);
    expect(() => new BusinessCalendar({ ...base, opensAt: '11:00', closesAt: '10:00' })).toThrow(/opensAt/);
    expect(new BusinessCalendar({ ...base, opensAt: '10:00', closesAt: '10:01' }).closesAt).toBe('10:01');
  });

  it('HOURS-1: the hours table overrides the default hours of a country; others keep 09:00–17:30', () => {
    const table = { US: { opensAt: '08:00', closesAt: '16:00' } };
    const us = supportLocationCalendar({ country: 'US', timeZone: 'America/New_York' }, undefined, table);
    expect([us.opensAt, us.closesAt]).toEqual(['08:00', '16:00']);
    const nl = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' }, undefined, table);
    expect([nl.opensAt, nl.closesAt]).toEqual(['09:00', '17:30']);
  });
});

describe('HOURS-1 calendars without openings', () => {
  const allClosed = { country: 'NL', timeZone: 'Europe/Amsterdam', weekend: [1, 2, 3, 4, 5, 6, 7] };

  it('HOURS-1: a calendar with no business day is refused instead of looping', () => {
    const closed = new BusinessCalendar(allClosed, noHolidays);
    expect(() => closed.addMinutes(at('2027-03-05T10:00:00Z'), 1)).toThrow(/has no business days/);
    expect(() => closed.nextBusinessDays('2027-03-05', 1)).toThrow(/has no business days/);
  });

  it('HOURS-1: ten years (3,660 days) of closed days are still searched through', () => {
    // 2027-03-05 + 3660 days = 2037-03-12, the only open day.
    const cal = new BusinessCalendar({ ...allClosed, overrides: { openDays: ['2037-03-12'] } }, noHolidays);
    expect(cal.nextBusinessDays('2027-03-05', 1)).toEqual(['2037-03-12']);
    expect(cal.localDate(cal.addMinutes(at('2027-03-05T12:00:00Z'), 1))).toBe('2037-03-12');
  });
});

describe('HOURS-1 local days around a midnight offset change', () => {
  it('HOURS-1: an instant inside a UTC hour whose offset changes mid-hour gets its exact local day', () => {
    // Tehran left DST at 2021-09-22 00:00 (+04:30) back to 2021-09-21 23:00 (+03:30), i.e. at 19:30 UTC.
    const tehran = new BusinessCalendar({ country: 'IR', timeZone: 'Asia/Tehran' }, noHolidays);
    expect(tehran.localDate(at('2021-09-21T19:15:00Z'))).toBe('2021-09-21'); // 23:45 +04:30
    expect(tehran.localDate(at('2021-09-21T19:45:00Z'))).toBe('2021-09-21'); // 23:15 +03:30, not 00:15
    expect(tehran.localDate(at('2021-09-21T20:45:00Z'))).toBe('2021-09-22'); // 00:15 +03:30
  });
});

describe('HOURS-1 public holidays', () => {
  it('HOURS-1: a country without holiday data is refused', () => {
    expect(() => publicHolidays('XX', 2027)).toThrow(/no holiday data for country "XX"/);
  });

  it('HOURS-1: holiday lists are cached per country-year', () => {
    expect(publicHolidayList('BE', 2027)).toBe(publicHolidayList('BE', 2027));
  });

  it('an instant cannot be formatted in an unknown zone', () => {
    expect(() => toZonedIso(at('2027-03-05T10:00:00Z'), 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});
