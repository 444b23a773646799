import { Cron } from 'croner';
import { parseTimeSpanMs } from '../timeSpan';

/** A timer schedule: NCRONTAB (5 or 6 fields, day-of-month AND day-of-week) or a TimeSpan interval. */
export interface TimerSchedule {
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
  /** Whether several occurrences can fall within one minute (then the host does not monitor it). */
  readonly subMinute: boolean;
}

export function parseSchedule(expression: string, timeZone: string): TimerSchedule {
  const ms = parseTimeSpanMs(expression);
  if (ms !== undefined) {
    if (ms <= 0) throw new Error(`The TimeSpan schedule '${expression}' must be positive.`);
    return { next: (after) => new Date(after.getTime() + ms), subMinute: ms < 60_000 };
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new Error(
      `The schedule expression '${expression}' was not recognized as a valid cron expression or timespan string.`,
    );
  }
  const pattern = fields.length === 5 ? `0 ${expression.trim()}` : expression.trim();
  const cron = new Cron(pattern, { paused: true, timezone: timeZone, domAndDow: true });
  const seconds = pattern.split(/\s+/)[0] ?? '0';
  return {
    next(after) {
      const next = cron.nextRun(after);
      if (!next) throw new Error(`The schedule '${expression}' has no occurrence after ${after.toISOString()}.`);
      return next;
    },
    subMinute: seconds !== '0' && !/^\d+$/.test(seconds),
  };
}
