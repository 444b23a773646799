import { DateTime } from 'luxon';
import type { SkipReason } from './calendar/businessCalendar';

/** A stretch of time a business-hours clock did not count, and why (api-contract "Explanations"). */
export interface SkippedInterval {
  readonly from: string;
  readonly to: string;
  readonly why: SkipReason;
  readonly name?: string;
}

/** One recomputation of a due time and the event that caused it (RESP-SEVCHG, INC-4). */
export interface RecomputationEntry {
  readonly at: string;
  readonly cause: string;
  readonly eventId?: string;
  readonly dueAt: string;
  readonly rule: string;
}

/**
 * Why a computed date is what it is: readable `text`, the `rules` that decided it, and the facts that fit the kind of
 * date (candidates, calendar, skipped intervals, history, inputs). Produced by the function that computes the date.
 */
export interface Explanation {
  readonly text: string;
  readonly rules: readonly string[];
  readonly candidates?: ReadonlyArray<{
    plan: string;
    targetMinutes: number;
    clock: '24x7' | 'businessHours';
    dueAt: string;
    rule: string;
    chosen: boolean;
  }>;
  readonly calendar?: { location: string; timeZone: string; hours: string };
  readonly skipped?: readonly SkippedInterval[];
  readonly history?: readonly RecomputationEntry[];
  /** The facts the decision used (dates, counts, prices), named. */
  readonly inputs?: Readonly<Record<string, string | number | boolean | null>>;
}

/** "Friday 5 March 16:50" in a zone. */
export function spokenInstant(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('cccc d LLLL HH:mm');
}

/** "Friday 5 March 2027" for a date. */
export function spokenDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'utc' }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}

/** "40 minutes", "2 hours", "1 hour 30 minutes". */
export function spokenMinutes(minutes: number, unit = ''): string {
  const m = Math.round(minutes);
  const qualifier = unit ? `${unit} ` : '';
  if (m < 60 || m % 60 !== 0) {
    if (m < 60) return `${m} ${qualifier}minute${m === 1 ? '' : 's'}`;
    const h = Math.floor(m / 60);
    return `${h} ${qualifier}hour${h === 1 ? '' : 's'} ${m % 60} minute${m % 60 === 1 ? '' : 's'}`;
  }
  const h = m / 60;
  return `${h} ${qualifier}hour${h === 1 ? '' : 's'}`;
}

/** "a", "a and b", "a, b and c". */
export function spokenList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
