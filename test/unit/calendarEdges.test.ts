// Edges of the business calendar that the mutation run of domain/calendar found unproven: a due time that ends exactly
// at closing time (HOURS-1, INC-5) and the bound on a run of closed days (HOURS-1 configuration).
import { describe, expect, it } from 'vitest';
import { addCalendarDays, supportLocationCalendar } from '../../domain/calendar/businessCalendar';

const nl = supportLocationCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' });

describe('HOURS-1 business hours', () => {
  it('HOURS-1, INC-5: business time that runs out exactly at 17:30 is due at 17:30 that day, not the next morning', () => {
    // Wednesday 3 March 2027, 15:30 in Amsterdam (UTC+1): 120 business minutes end at 17:30
    expect(new Date(nl.addMs(Date.parse('2027-03-03T14:30:00Z'), 120 * 60_000)).toISOString()).toBe(
      '2027-03-03T16:30:00.000Z',
    );
    expect(new Date(nl.addMs(Date.parse('2027-03-03T14:30:00Z'), 121 * 60_000)).toISOString()).toBe(
      '2027-03-04T08:01:00.000Z',
    );
  });
});

describe('HOURS-1: a location closed for years on end', () => {
  // 3,660 closed days in a row (about ten years) is the most a calendar may have before it is called one without
  // business days; the first day after them is an ordinary Tuesday.
  const first = '2030-01-09';
  const closedRun = (days: number) => Array.from({ length: days }, (_, i) => addCalendarDays(first, i));

  it('HOURS-1: after 3,660 closed days the next business day is found; after 3,661 the calendar has none', () => {
    const longest = supportLocationCalendar(
      { country: 'NL', timeZone: 'Europe/Amsterdam' },
      { closedDays: closedRun(3_660) },
    );
    expect(longest.nextBusinessDays(first, 1)).toEqual(['2040-01-17']);
    // one minute of business time from midnight at the start of the run: 09:01 on that Tuesday (UTC+1)
    expect(new Date(longest.addMs(Date.parse('2030-01-08T23:00:00Z'), 60_000)).toISOString()).toBe(
      '2040-01-17T08:01:00.000Z',
    );
    const none = supportLocationCalendar(
      { country: 'NL', timeZone: 'Europe/Amsterdam' },
      { closedDays: closedRun(3_661) },
    );
    expect(() => none.nextBusinessDays(first, 1)).toThrow(/has no business days/);
    expect(() => none.addMs(Date.parse('2030-01-08T23:00:00Z'), 60_000)).toThrow(/has no business days/);
  });
});
