import { describe, expect, it } from 'vitest';
import { HostClock } from '../../infra/local/clock';
import { parseRouteTemplate } from '../../infra/local/http/routeTemplate';
import { parseSchedule } from '../../infra/local/timers/schedule';
import { WorkTracker } from '../../infra/local/work';
import { traceParent } from '../../infra/local/invoke';

describe('route templates (ASP.NET Core syntax, as the Functions host matches them)', () => {
  it('matches literals case-insensitively and captures parameters as strings', () => {
    expect(
      parseRouteTemplate('work-orders/{id}/credits/redemptions').match('/Work-Orders/wo%201/credits/redemptions'),
    ).toEqual({
      id: 'wo 1',
    });
  });
  it('applies constraints, optionals, defaults and catch-alls', () => {
    const t = parseRouteTemplate('items/{id:int}/{*rest}');
    expect(t.match('items/42/a/b')).toEqual({ id: '42', rest: 'a/b' });
    expect(t.match('items/x/a')).toBeUndefined();
    expect(parseRouteTemplate('page/{n:int?}').match('page')).toEqual({});
    expect(parseRouteTemplate('page/{n=5}').match('page')).toEqual({ n: '5' });
    expect(parseRouteTemplate('a/{x:length(2)}').match('a/abc')).toBeUndefined();
    expect(parseRouteTemplate('a/{x:range(1,3)}').match('a/2')).toEqual({ x: '2' });
  });
  it('refuses extra segments', () => {
    expect(parseRouteTemplate('a/{b}').match('a/b/c')).toBeUndefined();
  });
});

describe('timer schedules (NCRONTAB and TimeSpan)', () => {
  it('uses NCRONTAB day-of-month AND day-of-week semantics', () => {
    const s = parseSchedule('0 0 0 13 * 5', 'UTC');
    expect(s.next(new Date('2024-01-01T00:00:00Z')).toISOString()).toBe('2024-09-13T00:00:00.000Z');
  });
  it('follows the zone across a DST jump', () => {
    const s = parseSchedule('0 0 2 * * *', 'America/New_York');
    expect(s.next(new Date('2024-03-09T23:57:30Z')).toISOString()).toBe('2024-03-10T07:00:00.000Z');
  });
  it('reads a 5-field expression as minute-first and a TimeSpan as an interval', () => {
    expect(parseSchedule('*/5 * * * *', 'UTC').next(new Date('2027-01-01T00:01:00Z')).toISOString()).toBe(
      '2027-01-01T00:05:00.000Z',
    );
    expect(parseSchedule('00:05:00', 'UTC').next(new Date('2027-01-01T00:01:00Z')).toISOString()).toBe(
      '2027-01-01T00:06:00.000Z',
    );
  });
  it('rejects other field counts', () => {
    expect(() => parseSchedule('0 0 0 1 1 * 2027', 'UTC')).toThrow(/not recognized/);
  });
});

describe('host clock (virtual time)', () => {
  it('fires due timers in time order at their own due times and waits for the work they start', async () => {
    const work = new WorkTracker();
    const clock = new HostClock(work, {
      start: new Date('2027-01-01T00:00:00Z'),
      onError: (e) => {
        throw e;
      },
    });
    const fired: string[] = [];
    clock.schedule(new Date('2027-01-01T00:30:00Z'), 'b', () => fired.push(`b@${clock.now().toISOString()}`));
    clock.schedule(new Date('2027-01-01T00:10:00Z'), 'a', async () => {
      await new Promise((r) => setTimeout(r, 5));
      // Work started by a timer can schedule more timers inside the same advance.
      clock.schedule(new Date('2027-01-01T00:20:00Z'), 'c', () => fired.push(`c@${clock.now().toISOString()}`));
      fired.push(`a@${clock.now().toISOString()}`);
    });
    clock.schedule(new Date('2027-01-02T00:00:00Z'), 'later', () => fired.push('later'));
    await clock.advanceBy(60);
    expect(fired).toEqual(['a@2027-01-01T00:10:00.000Z', 'c@2027-01-01T00:20:00.000Z', 'b@2027-01-01T00:30:00.000Z']);
    expect(clock.now().toISOString()).toBe('2027-01-01T01:00:00.000Z');
  });
  it('fires grouped timers due at the same instant together, one per group; ungrouped ones alone', async () => {
    const work = new WorkTracker();
    const clock = new HostClock(work, { start: new Date('2027-01-01T00:00:00Z'), onError: () => {} });
    const log: string[] = [];
    const at = new Date('2027-01-01T00:10:00Z');
    // Each timer logs its start, then its end a little later: overlapping starts mean they fired together.
    const timer = (name: string) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`end ${name}`);
    };
    clock.schedule(at, 'x1', timer('x1'), { group: 'x' });
    clock.schedule(at, 'y1', timer('y1'), { group: 'y' });
    clock.schedule(at, 'x2', timer('x2'), { group: 'x' });
    clock.schedule(at, 'cron', timer('cron'));
    clock.schedule(at, 'z1', timer('z1'), { group: 'z' }); // after the ungrouped one: waits for its turn
    await clock.advanceBy(60);
    expect(log).toEqual([
      ...['start x1', 'start y1', 'end x1', 'end y1'],
      ...['start x2', 'end x2'],
      ...['start cron', 'end cron'],
      ...['start z1', 'end z1'],
    ]);
  });
  it('only moves forward', async () => {
    const clock = new HostClock(new WorkTracker(), { start: new Date('2027-01-01T00:00:00Z'), onError: () => {} });
    await expect(clock.advanceTo(new Date('2026-12-31T00:00:00Z'))).rejects.toThrow(/forward/);
  });
});

describe('trace context of an invocation', () => {
  it('gives every invocation a W3C traceparent of its own, also across the random blocks it draws from', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const value = traceParent();
      expect(value).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      seen.add(value.slice(3, 35));
      seen.add(value.slice(36, 52));
    }
    expect(seen.size).toBe(2000);
  });
});
