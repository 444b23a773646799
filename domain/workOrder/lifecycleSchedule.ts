import { DateTime } from 'luxon';
import { addCalendarDays } from '../calendar/businessCalendar';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import { flexYears } from './flex';
import { lastRequestDate } from './requests';
import { effectiveTerm, type TermSource } from './term';
import type { WorkOrderView } from './workOrderView';

export type LifecycleEventKind = 'requestWindowReminder' | 'flexPeriodEnded' | 'termEnded';

export interface LifecycleEvent {
  kind: LifecycleEventKind;
  /** The instant it falls due (UTC ISO). */
  at: string;
  /** The host-zone date it concerns. */
  date: string;
  rule: string;
  /** For reminders: days left until the request window closes. */
  daysBeforeClose?: number;
}

export interface FlexYearSchedule {
  year: number;
  start: string;
  end: string;
  events: LifecycleEvent[];
}

/** Days before the REQ-60 window closes on which the customer is reminded (configurable with the catalogue). */
export const REQUEST_WINDOW_REMINDER_DAYS = [30, 7] as const;

const endOfDay = (date: string, zone: string) =>
  DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toUTC().toISO() as string;
const morningOf = (date: string, zone: string) => DateTime.fromISO(`${date}T09:00`, { zone }).toUTC().toISO() as string;

/**
 * Everything a Work Order's term promises on a date, per flex year, in time order: the REQ-60 reminders
 * (30 and 7 days before the window closes, 09:00 host time), each flex period's end (FLEX-3, at midnight after its
 * last day) and the term's end (EXP-1). Host time zone throughout.
 */
export function workOrderLifecycleSchedule(
  source: TermSource & Pick<WorkOrderView, 'host'>,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
  reminderDays: readonly number[] = REQUEST_WINDOW_REMINDER_DAYS,
): FlexYearSchedule[] {
  const view = { host: source.host, term: effectiveTerm(source) }; // a termination's `at` ends the term (section 9)
  const zone = view.host.timeZone;
  const closes = lastRequestDate(view.term, catalogue); // rule REQ-60
  const reminders: LifecycleEvent[] = reminderDays
    .map((days) => ({ days, date: addCalendarDays(closes, -days) }))
    .filter(({ date }) => date >= view.term.start)
    .map(({ days, date }) => ({
      kind: 'requestWindowReminder',
      at: morningOf(date, zone),
      date,
      rule: 'REQ-60',
      daysBeforeClose: days,
    }));
  const years = flexYears(view.term);
  return years.map((period, index) => {
    const events: LifecycleEvent[] = [
      ...reminders.filter((r) => r.date >= period.start && r.date <= period.end),
      { kind: 'flexPeriodEnded', at: endOfDay(period.end, zone), date: period.end, rule: 'FLEX-3' },
    ];
    if (index === years.length - 1)
      events.push({ kind: 'termEnded', at: endOfDay(view.term.end, zone), date: view.term.end, rule: 'EXP-1' });
    return { ...period, events: events.sort((a, b) => a.at.localeCompare(b.at)) };
  });
}
