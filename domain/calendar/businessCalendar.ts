import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { publicHolidayList, publicHolidays, type HolidaySource } from './holidays';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const MAX_CACHED_HOURS = 200_000;
/** Give up after this many consecutive closed days: the calendar has no opening at all. */
const MAX_CLOSED_RUN_DAYS = 3_660;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm');
const isoDate = z.iso.date();

export const calendarOverridesSchema = z
  .object({
    /** Extra closed days (YYYY-MM-DD), e.g. a local holiday the library does not type `public`. */
    closedDays: z.array(isoDate).default([]),
    /** Days that are business days whatever the library or the weekend says (e.g. remove King's Day). */
    openDays: z.array(isoDate).default([]),
  })
  .strict();
export type CalendarOverrides = z.input<typeof calendarOverridesSchema>;

export const businessCalendarSchema = z
  .object({
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'unknown IANA time zone'),
    /** Country whose `public` holidays close the calendar (HOURS-1). */
    country: z.string().regex(/^[A-Z]{2}$/),
    opensAt: clockTime.default('09:00'),
    closesAt: clockTime.default('17:30'),
    /** ISO weekdays (1 = Monday … 7 = Sunday) that are closed. */
    weekend: z.array(z.number().int().min(1).max(7)).default([6, 7]),
    overrides: calendarOverridesSchema.optional(),
  })
  .strict()
  .refine((c) => c.opensAt < c.closesAt, { message: 'opensAt must be before closesAt', path: ['closesAt'] });
export type BusinessCalendarDefinition = z.input<typeof businessCalendarSchema>;

/** A clock an SLA target runs on: 24x7 (continuous) or business hours (INC-5). */
export interface SlaClock {
  readonly kind: '24x7' | 'businessHours';
  /** The instant `minutes` clock minutes after `start`. */
  addMinutes(start: Date, minutes: number): Date;
  /** Clock minutes from `from` to `to` (negative when `to` is earlier). */
  minutesBetween(from: Date, to: Date): number;
}

/** The 24x7 clock of Severity 1 and A (INC-5): real elapsed minutes, unaffected by DST or holidays. */
export const CONTINUOUS_CLOCK: SlaClock = {
  kind: '24x7',
  addMinutes: (start, minutes) => new Date(start.getTime() + minutes * MS_PER_MINUTE),
  minutesBetween: (from, to) => (to.getTime() - from.getTime()) / MS_PER_MINUTE,
};

/** Why a stretch of time did not count on a business-hours clock (the explanation's `skipped`). */
export type SkipReason = 'weekend' | 'holiday' | 'outsideHours';

/** What addMs walked over when asked to explain itself: business time counted and time skipped, in order. */
export interface CalendarWalk {
  readonly counted: Array<{ from: number; to: number }>;
  readonly skipped: Array<{ from: number; to: number; why: SkipReason; name?: string }>;
}

interface Opening {
  readonly open: number;
  readonly close: number;
}

function dayNumberToDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function dateToDayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/**
 * Business hours of one support location (HOURS-1): wall-clock opening hours in an IANA zone (so they
 * follow DST), closed on weekends and on the country's public holidays, with per-Work-Order overrides.
 * Arithmetic walks whole days (cached per local day) and never steps minute by minute.
 */
export class BusinessCalendar implements SlaClock {
  readonly kind = 'businessHours' as const;
  readonly timeZone: string;
  readonly country: string;
  readonly opensAt: string;
  readonly closesAt: string;
  /** What the calendar was built from, so a snapshot can rebuild it (an incident keeps its calendar, RESP-LATE). */
  readonly definition: BusinessCalendarDefinition;
  private readonly zone: IANAZone;
  private readonly weekend: ReadonlySet<number>;
  private readonly closedDays: ReadonlySet<string>;
  private readonly openDays: ReadonlySet<string>;
  private readonly holidays: HolidaySource;
  private readonly openings = new Map<number, Opening | null>();
  private readonly offsetByHour = new Map<number, number>();
  private readonly dayStarts = new Map<number, number>();
  private readonly openMinute: [number, number];
  private readonly closeMinute: [number, number];

  constructor(definition: BusinessCalendarDefinition, holidays: HolidaySource = publicHolidays) {
    const d = businessCalendarSchema.parse(definition);
    this.definition = d;
    this.timeZone = d.timeZone;
    this.country = d.country;
    this.opensAt = d.opensAt;
    this.closesAt = d.closesAt;
    this.zone = IANAZone.create(d.timeZone);
    this.weekend = new Set(d.weekend);
    // Stryker disable next-line ArrayDeclaration: a non-date entry never matches a YYYY-MM-DD lookup
    this.closedDays = new Set(d.overrides?.closedDays ?? []);
    // Stryker disable next-line ArrayDeclaration: a non-date entry never matches a YYYY-MM-DD lookup
    this.openDays = new Set(d.overrides?.openDays ?? []);
    this.holidays = holidays;
    this.openMinute = [Number(d.opensAt.slice(0, 2)), Number(d.opensAt.slice(3, 5))];
    this.closeMinute = [Number(d.closesAt.slice(0, 2)), Number(d.closesAt.slice(3, 5))];
  }

  /** Whether a local date (YYYY-MM-DD) is a business day: not weekend, not a public holiday, with overrides. */
  isBusinessDay(date: string): boolean {
    if (this.openDays.has(date)) return true; // rule HOURS-1: a Work Order can add or remove days
    if (this.closedDays.has(date)) return false;
    const isoWeekday = ((((dateToDayNumber(date) + 3) % 7) + 7) % 7) + 1;
    if (this.weekend.has(isoWeekday)) return false;
    return !this.holidays(this.country, Number(date.slice(0, 4))).has(date);
  }

  /** Opening interval of a local date, or null when closed. */
  openingOn(date: string): { open: Date; close: Date } | null {
    const opening = this.opening(dateToDayNumber(date));
    return opening ? { open: new Date(opening.open), close: new Date(opening.close) } : null;
  }

  /** Whether the location is open at an instant (opening inclusive, closing exclusive). */
  isOpenAt(instant: Date): boolean {
    const ms = instant.getTime();
    const opening = this.opening(this.localDay(ms));
    return opening !== null && ms >= opening.open && ms < opening.close;
  }

  /** The instant `minutes` business minutes after `start` (a due time may fall exactly on closing time). */
  addMinutes(start: Date, minutes: number): Date {
    return new Date(this.addMs(start.getTime(), minutes * MS_PER_MINUTE));
  }

  /** Alias of addMinutes with the explicit name. */
  addBusinessMinutes(start: Date, minutes: number): Date {
    return this.addMinutes(start, minutes);
  }

  /** Business minutes between two instants (negative when `to` is before `from`). */
  minutesBetween(from: Date, to: Date): number {
    const a = from.getTime();
    const b = to.getTime();
    return b >= a ? this.betweenMs(a, b) / MS_PER_MINUTE : -this.betweenMs(b, a) / MS_PER_MINUTE;
  }

  businessMinutesBetween(from: Date, to: Date): number {
    return this.minutesBetween(from, to);
  }

  /** The next `count` business days on or after `date` (or strictly after it with includeStart false). */
  nextBusinessDays(
    date: string,
    count: number,
    options: { includeStart?: boolean; skipped?: Array<{ date: string; why: SkipReason; name?: string }> } = {},
  ): string[] {
    const days: string[] = [];
    let day = dateToDayNumber(date) + (options.includeStart === false ? 1 : 0);
    let closedRun = 0;
    while (days.length < count) {
      const candidate = dayNumberToDate(day);
      if (this.isBusinessDay(candidate)) {
        days.push(candidate);
        closedRun = 0;
      } else {
        options.skipped?.push({ date: candidate, ...this.closedReason(candidate) }); // rule CYB-4: why a day is skipped
        if (++closedRun > MAX_CLOSED_RUN_DAYS)
          throw new Error(`calendar ${this.timeZone}/${this.country} has no business days`);
      }
      day += 1;
    }
    return days;
  }

  /** Local date (YYYY-MM-DD) of an instant in this calendar's zone. */
  localDate(instant: Date): string {
    return dayNumberToDate(this.localDay(instant.getTime()));
  }

  /**
   * Epoch-millisecond variant of addMinutes, for hot loops. With `walk` it also records what it counted and what it
   * skipped (and why), so an explanation comes from the very computation that produced the due time.
   */
  addMs(startMs: number, durationMs: number, walk?: CalendarWalk): number {
    if (durationMs <= 0) return startMs;
    let remaining = durationMs;
    let day = this.localDay(startMs);
    let from = startMs;
    let closedRun = 0;
    for (;;) {
      const opening = this.opening(day);
      if (opening !== null) {
        closedRun = 0;
        const begin = Math.max(from, opening.open);
        // Stryker disable next-line EqualityOperator: at begin === close nothing is available, both branches are no-ops
        if (begin < opening.close) {
          const available = opening.close - begin;
          if (walk) this.recordOpenDay(walk, day, from, begin, Math.min(opening.close, begin + remaining));
          if (remaining <= available) return begin + remaining;
          remaining -= available;
          if (walk) skip(walk, opening.close, this.dayStart(day + 1), 'outsideHours');
        } else if (walk) {
          skip(walk, Math.max(from, this.dayStart(day)), this.dayStart(day + 1), 'outsideHours');
        }
      } else {
        if (walk) {
          const reason = this.closedReason(dayNumberToDate(day));
          skip(walk, Math.max(from, this.dayStart(day)), this.dayStart(day + 1), reason.why, reason.name);
        }
        if (++closedRun > MAX_CLOSED_RUN_DAYS)
          throw new Error(`calendar ${this.timeZone}/${this.country} has no business days`);
      }
      day += 1;
      from = Number.NEGATIVE_INFINITY;
    }
  }

  /** Why a closed local date is closed: a holiday (with its name), the Work Order's calendar, or the weekend. */
  closedReason(date: string): { why: SkipReason; name?: string } {
    if (this.closedDays.has(date)) return { why: 'holiday', name: "closed in the Work Order's calendar" };
    if (this.holidays(this.country, Number(date.slice(0, 4))).has(date)) {
      const name =
        this.holidays === publicHolidays
          ? // Stryker disable next-line OptionalChaining: a date in publicHolidays is in its list (the set is made from it)
            publicHolidayList(this.country, Number(date.slice(0, 4))).find((h) => h.date === date)?.name
          : undefined;
      return name ? { why: 'holiday', name } : { why: 'holiday' };
    }
    return { why: 'weekend' };
  }

  private recordOpenDay(walk: CalendarWalk, day: number, from: number, begin: number, end: number): void {
    skip(walk, Math.max(from, this.dayStart(day)), begin, 'outsideHours'); // empty when it starts at `from`
    walk.counted.push({ from: begin, to: end });
  }

  /** Local midnight starting a day number, as epoch milliseconds (cached: explanations ask often). */
  private dayStart(day: number): number {
    let start = this.dayStarts.get(day);
    // Stryker disable next-line ConditionalExpression: recomputing a cached midnight gives the same midnight
    if (start === undefined) {
      const date = dayNumberToDate(day);
      start = DateTime.fromISO(date, { zone: this.zone }).startOf('day').toMillis();
      // Stryker disable next-line ConditionalExpression,EqualityOperator: clearing the cache only costs time
      if (this.dayStarts.size > MAX_CACHED_HOURS) this.dayStarts.clear();
      this.dayStarts.set(day, start);
    }
    return start;
  }

  /** The local midnight after an instant. */
  startOfNextDay(ms: number): number {
    return this.dayStart(this.localDay(ms) + 1);
  }

  private betweenMs(a: number, b: number): number {
    let total = 0;
    const lastDay = this.localDay(b);
    for (let day = this.localDay(a); day <= lastDay; day++) {
      const opening = this.opening(day);
      if (opening === null) continue;
      const begin = Math.max(a, opening.open);
      const end = Math.min(b, opening.close);
      // Stryker disable next-line EqualityOperator: adds zero when end === begin
      if (end > begin) total += end - begin;
    }
    return total;
  }

  /**
   * Local day number of an instant. The zone offset is cached per UTC hour; an hour holding an offset
   * change (DST) is marked and resolved exactly for each instant.
   */
  private localDay(ms: number): number {
    // Stryker disable next-line ArithmeticOperator: a wrong cache key gives an out-of-range hour, resolved exactly below
    const hour = Math.floor(ms / MS_PER_HOUR);
    let offset = this.offsetByHour.get(hour);
    // Stryker disable next-line ConditionalExpression: recomputing a cached offset gives the same offset
    if (offset === undefined) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: clearing the cache only costs time
      if (this.offsetByHour.size > MAX_CACHED_HOURS) this.offsetByHour.clear();
      // Stryker disable next-line ArithmeticOperator: a wrong probe only marks the hour mixed, resolved exactly below
      const first = this.zone.offset(hour * MS_PER_HOUR);
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a wrong or failed probe only marks the hour mixed, resolved exactly below
      offset = first === this.zone.offset((hour + 1) * MS_PER_HOUR - 1) ? first : Number.NaN;
      this.offsetByHour.set(hour, offset);
    }
    const minutes = Number.isNaN(offset) ? this.zone.offset(ms) : offset;
    return Math.floor((ms + minutes * MS_PER_MINUTE) / MS_PER_DAY);
  }

  private opening(day: number): Opening | null {
    const cached = this.openings.get(day);
    // Stryker disable next-line ConditionalExpression: recomputing an opening gives the same opening
    if (cached !== undefined) return cached;
    const date = dayNumberToDate(day);
    let opening: Opening | null = null;
    if (this.isBusinessDay(date)) {
      const [year, month, dom] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
      const at = ([hour, minute]: [number, number]) =>
        DateTime.fromObject({ year, month, day: dom, hour, minute }, { zone: this.zone }).toMillis();
      opening = { open: at(this.openMinute), close: at(this.closeMinute) };
    }
    this.openings.set(day, opening);
    return opening;
  }
}

/** Adds a skipped stretch, merging it into the previous one when it continues it for the same reason. */
function skip(walk: CalendarWalk, from: number, to: number, why: SkipReason, name?: string): void {
  if (to <= from) return;
  const last = walk.skipped.at(-1);
  if (last && last.to === from && last.why === why && last.name === name) {
    last.to = to;
    return;
  }
  walk.skipped.push(name ? { from, to, why, name } : { from, to, why });
}

/** Formats an instant as ISO 8601 with the offset of a zone (e.g. 2027-03-08T10:20:00.000+01:00). */
export function toZonedIso(instant: Date, timeZone: string): string {
  const iso = DateTime.fromMillis(instant.getTime(), { zone: timeZone }).toISO({ suppressMilliseconds: true });
  if (iso === null) throw new Error(`cannot format instant in zone ${timeZone}`);
  return iso;
}

/** Calendar days from date `a` to date `b` (YYYY-MM-DD), b − a. */
export function calendarDaysBetween(a: string, b: string): number {
  return dateToDayNumber(b) - dateToDayNumber(a);
}

/** Adds calendar days to a date (YYYY-MM-DD). */
export function addCalendarDays(date: string, days: number): string {
  return dayNumberToDate(dateToDayNumber(date) + days);
}

/** Local date (YYYY-MM-DD) of an instant in a zone. */
export function localDateIn(instant: Date, timeZone: string): string {
  // Stryker disable next-line StringLiteral: a valid instant always has an ISO date (the fallback is for the type)
  return DateTime.fromMillis(instant.getTime(), { zone: timeZone }).toISODate() ?? '';
}

/** Opening hours that differ from the HOURS-1 default for a country (configuration; empty by default). */
export type LocationHoursTable = Readonly<Record<string, { opensAt: string; closesAt: string }>>;

/**
 * Business-hours calendar of a support location: 09:00–17:30 wall-clock time (rule HOURS-1) unless the
 * hours table says otherwise for the country, with a Work Order's overrides.
 */
export function supportLocationCalendar(
  location: { country: string; timeZone: string },
  overrides?: CalendarOverrides,
  hoursTable: LocationHoursTable = {},
): BusinessCalendar {
  // Stryker disable next-line ObjectLiteral: the schema defaults are the same HOURS-1 hours
  const hours = hoursTable[location.country] ?? { opensAt: '09:00', closesAt: '17:30' }; // rule HOURS-1
  return new BusinessCalendar({ country: location.country, timeZone: location.timeZone, ...hours, overrides });
}

/** Cybersecurity delivery calendar: 08:00–17:00 in the agreed zone, that zone country's holidays (rule CYB-4). */
export function cybersecurityCalendar(
  timeZone: string,
  country: string,
  overrides?: CalendarOverrides,
): BusinessCalendar {
  return new BusinessCalendar({ country, timeZone, opensAt: '08:00', closesAt: '17:00', overrides });
}
