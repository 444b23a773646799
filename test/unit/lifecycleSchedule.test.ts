import { describe, expect, it } from 'vitest';
import { workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';

describe('Work Order lifecycle schedule', () => {
  const view = {
    term: { start: '2027-01-01', end: '2028-12-31' },
    host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
  };

  it('FLEX-3, EXP-1: each flex year ends at midnight after its last day (host time); the term end closes the last year', () => {
    const years = workOrderLifecycleSchedule(view);
    expect(years.map((y) => [y.year, y.start, y.end])).toEqual([
      [1, '2027-01-01', '2027-12-31'],
      [2, '2028-01-01', '2028-12-31'],
    ]);
    expect(years[0]?.events).toEqual([
      { kind: 'flexPeriodEnded', at: '2027-12-31T23:00:00.000Z', date: '2027-12-31', rule: 'FLEX-3' },
    ]);
    expect(years[1]?.events.map((e) => e.kind)).toEqual([
      'requestWindowReminder',
      'requestWindowReminder',
      'flexPeriodEnded',
      'termEnded',
    ]);
  });

  it('REQ-60: reminders 30 and 7 days before the request window closes (last accepted day 1 November for a 31 December end)', () => {
    const reminders = workOrderLifecycleSchedule(view)[1]?.events.filter((e) => e.kind === 'requestWindowReminder');
    expect(reminders).toEqual([
      {
        kind: 'requestWindowReminder',
        at: '2028-10-02T07:00:00.000Z',
        date: '2028-10-02',
        rule: 'REQ-60',
        daysBeforeClose: 30,
      },
      {
        kind: 'requestWindowReminder',
        at: '2028-10-25T07:00:00.000Z',
        date: '2028-10-25',
        rule: 'REQ-60',
        daysBeforeClose: 7,
      },
    ]);
  });
});
