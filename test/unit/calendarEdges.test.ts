// Edges of the business calendar that the mutation run of domain/calendar found unproven: a due time that ends exactly
// at closing time (HOURS-1, INC-5) and the bound on a run of closed days (HOURS-1 configuration).
import { describe, expect, it } from 'vitest';
import {
  BusinessCalendar,
  addCalendarDays,
  supportLocationCalendar,
  type CalendarWalk,
} from '../../domain/calendar/businessCalendar';

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

describe('HOURS-1, INC-5: what a business-hours walk counted and skipped (the explanation of a due time)', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const walk = (calendar: BusinessCalendar, start: string, minutes: number) => {
    const w: CalendarWalk = { counted: [], skipped: [] };
    const due = iso(calendar.addMs(Date.parse(start), minutes * 60_000, w));
    return {
      due,
      counted: w.counted.map((c) => [iso(c.from), iso(c.to)]),
      skipped: w.skipped.map((s) => [iso(s.from), iso(s.to), s.why, s.name]),
    };
  };
  // Friday 26 March 2027 closed by the Work Order's calendar; Easter Sunday and Monday are public holidays in NL
  const nlEaster = supportLocationCalendar(
    { country: 'NL', timeZone: 'Europe/Amsterdam' },
    { closedDays: ['2027-03-26'] },
  );

  it('HOURS-1: each closed day is skipped with its reason and name; the DST night is a day like any other', () => {
    expect(walk(nlEaster, '2027-03-25T15:00:00Z', 240)).toEqual({
      due: '2027-03-30T09:30:00.000Z',
      counted: [
        ['2027-03-25T15:00:00.000Z', '2027-03-25T16:30:00.000Z'],
        ['2027-03-30T07:00:00.000Z', '2027-03-30T09:30:00.000Z'],
      ],
      skipped: [
        ['2027-03-25T16:30:00.000Z', '2027-03-25T23:00:00.000Z', 'outsideHours', undefined],
        ['2027-03-25T23:00:00.000Z', '2027-03-26T23:00:00.000Z', 'holiday', "closed in the Work Order's calendar"],
        ['2027-03-26T23:00:00.000Z', '2027-03-27T23:00:00.000Z', 'weekend', undefined],
        ['2027-03-27T23:00:00.000Z', '2027-03-28T22:00:00.000Z', 'holiday', 'Pasen'],
        ['2027-03-28T22:00:00.000Z', '2027-03-29T22:00:00.000Z', 'holiday', 'Tweede paasdag'],
        ['2027-03-29T22:00:00.000Z', '2027-03-30T07:00:00.000Z', 'outsideHours', undefined],
      ],
    });
  });

  it('HOURS-1: a weekend is one stretch of its own, apart from the evening before and the morning after', () => {
    // Friday 5 March 2027, 16:50 in Amsterdam: 120 business minutes are due Monday 10:20
    expect(walk(nlEaster, '2027-03-05T15:50:00Z', 120)).toEqual({
      due: '2027-03-08T09:20:00.000Z',
      counted: [
        ['2027-03-05T15:50:00.000Z', '2027-03-05T16:30:00.000Z'],
        ['2027-03-08T08:00:00.000Z', '2027-03-08T09:20:00.000Z'],
      ],
      skipped: [
        ['2027-03-05T16:30:00.000Z', '2027-03-05T23:00:00.000Z', 'outsideHours', undefined],
        ['2027-03-05T23:00:00.000Z', '2027-03-07T23:00:00.000Z', 'weekend', undefined],
        ['2027-03-07T23:00:00.000Z', '2027-03-08T08:00:00.000Z', 'outsideHours', undefined],
      ],
    });
  });

  it('HOURS-1: opened after closing, the evening and the next early morning are one skipped stretch', () => {
    // Wednesday 3 March 2027, 19:00 in Amsterdam
    expect(walk(nlEaster, '2027-03-03T18:00:00Z', 60)).toEqual({
      due: '2027-03-04T09:00:00.000Z',
      counted: [['2027-03-04T08:00:00.000Z', '2027-03-04T09:00:00.000Z']],
      skipped: [['2027-03-03T18:00:00.000Z', '2027-03-04T08:00:00.000Z', 'outsideHours', undefined]],
    });
  });

  it('HOURS-1: two evenings with a working day between them are two skipped stretches, not one', () => {
    // Wednesday 3 March 2027, 16:00 in Amsterdam: 90 minutes that day, 510 on Thursday, 1 on Friday
    expect(walk(nlEaster, '2027-03-03T15:00:00Z', 601)).toEqual({
      due: '2027-03-05T08:01:00.000Z',
      counted: [
        ['2027-03-03T15:00:00.000Z', '2027-03-03T16:30:00.000Z'],
        ['2027-03-04T08:00:00.000Z', '2027-03-04T16:30:00.000Z'],
        ['2027-03-05T08:00:00.000Z', '2027-03-05T08:01:00.000Z'],
      ],
      skipped: [
        ['2027-03-03T16:30:00.000Z', '2027-03-04T08:00:00.000Z', 'outsideHours', undefined],
        ['2027-03-04T16:30:00.000Z', '2027-03-05T08:00:00.000Z', 'outsideHours', undefined],
      ],
    });
  });

  it('HOURS-1: opened at opening time, nothing is skipped', () => {
    expect(walk(nlEaster, '2027-03-03T08:00:00Z', 60)).toEqual({
      due: '2027-03-03T09:00:00.000Z',
      counted: [['2027-03-03T08:00:00.000Z', '2027-03-03T09:00:00.000Z']],
      skipped: [],
    });
  });

  it('HOURS-1: a holiday of another source than the public holidays has no public-holiday name', () => {
    const own = new BusinessCalendar({ country: 'NL', timeZone: 'Europe/Amsterdam' }, () => new Set(['2027-03-29']));
    expect(own.closedReason('2027-03-29')).toEqual({ why: 'holiday' });
    expect(nlEaster.closedReason('2027-03-29')).toEqual({ why: 'holiday', name: 'Tweede paasdag' });
    expect(nlEaster.closedReason('2027-03-27')).toEqual({ why: 'weekend' });
  });
});
