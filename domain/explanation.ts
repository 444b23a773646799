import { IANAZone } from 'luxon';
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

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const zones = new Map<string, IANAZone>();
const two = (n: number) => String(n).padStart(2, '0');

const offsets = new Map<string, number>();

/** The zone's UTC offset in minutes at an instant, cached per hour (an hour holding a DST change is not cached). */
function offsetOf(ms: number, zoneName: string): number {
  const hour = Math.floor(ms / 3_600_000);
  const key = `${zoneName}|${hour}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  let zone = zones.get(zoneName);
  if (!zone) zones.set(zoneName, (zone = IANAZone.create(zoneName)));
  const first = zone.offset(hour * 3_600_000);
  if (first !== zone.offset((hour + 1) * 3_600_000 - 1)) return zone.offset(ms);
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, first);
  return first;
}

/**
 * Wall-clock parts of an instant in a zone, without building a DateTime (explanations format many instants, and
 * luxon's locale formatting costs milliseconds each).
 */
export function localParts(ms: number, zoneName: string) {
  const offset = offsetOf(ms, zoneName);
  const local = new Date(ms + offset * 60_000);
  return {
    offset,
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: WEEKDAYS[local.getUTCDay()] as string,
    monthName: MONTHS[local.getUTCMonth()] as string,
    date: `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`,
    time: `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`,
  };
}

/** ISO 8601 with the zone's offset (as toZonedIso, seconds kept, milliseconds dropped). */
export function zonedIso(ms: number, zoneName: string): string {
  const p = localParts(ms, zoneName);
  const sign = p.offset < 0 ? '-' : '+';
  const abs = Math.abs(p.offset);
  const offset = p.offset === 0 && zoneName === 'UTC' ? 'Z' : `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  return `${p.date}T${p.time}:${two(p.second)}${offset}`;
}

/** "Friday 5 March" in a zone. */
export function spokenDay(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  return `${p.weekday} ${p.day} ${p.monthName}`;
}

/** "Friday 5 March 16:50" in a zone. */
export function spokenInstant(ms: number, zone: string): string {
  return `${spokenDay(ms, zone)} ${localParts(ms, zone).time}`;
}

/** "Friday 5 March 2027" for a date. */
export function spokenDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
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
