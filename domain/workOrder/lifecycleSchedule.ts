import { DateTime } from 'luxon';
import { addCalendarDays } from '../calendar/businessCalendar';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import { flexYears } from './flex';
import { lastRequestDate } from './requests';
import type { Duty } from './duties';
import { effectiveTerm, type TermSource } from './term';
import type { WorkOrderView } from './workOrderView';

export type LifecycleEventKind =
  'requestWindowReminder' | 'flexPeriodEnded' | 'termEnded' | 'dutyReminder' | 'dutyOverdue' | 'entitlementEnded';

export interface LifecycleEvent {
  kind: LifecycleEventKind;
  /** The instant it falls due (UTC ISO). */
  at: string;
  /** The host-zone date it concerns. */
  date: string;
  rule: string;
  /** For reminders: days left until the request window closes. */
  daysBeforeClose?: number;
  /** For duty events: the duty (UER-4, UER-5, GHED-1). */
  dutyId?: string;
  /** For an add-on ended before the term end: the services ending that day (DEP-2). */
  serviceCodes?: string[];
}

/** The key of an event within its Work Order (due index, idempotent activities). */
export function lifecycleEventKey(event: LifecycleEvent): string {
  return event.dutyId ? `${event.date}/${event.dutyId}` : event.date;
}

export interface FlexYearSchedule {
  year: number;
  start: string;
  end: string;
  events: LifecycleEvent[];
}

/** Days before the REQ-60 window closes on which the customer is reminded (configurable with the catalogue). */
export const REQUEST_WINDOW_REMINDER_DAYS = [30, 7] as const;

// Stryker disable next-line ArrowFunction: static (defined at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144)
const endOfDay = (date: string, zone: string) =>
  DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toUTC().toISO() as string;
// Stryker disable next-line ArrowFunction: static (defined at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144)
const morningOf = (date: string, zone: string) => DateTime.fromISO(`${date}T09:00`, { zone }).toUTC().toISO() as string;

/**
 * Everything a Work Order's term promises on a date, per flex year, in time order: the REQ-60 reminders
 * (30 and 7 days before the window closes, 09:00 host time), each flex period's end (FLEX-3, at midnight after its
 * last day), the duties' reminders (09:00) and overdue marks (midnight after the due day; UER-4, UER-5, GHED-1),
 * add-ons ending before the term (midnight after their last day; DEP-2) and the term's end (EXP-1). Host time zone
 * throughout.
 */
export function workOrderLifecycleSchedule(
  source: TermSource &
    Pick<WorkOrderView, 'host'> & { duties?: readonly Duty[]; entitlements?: WorkOrderView['entitlements'] },
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
  reminderDays: readonly number[] = REQUEST_WINDOW_REMINDER_DAYS,
): FlexYearSchedule[] {
  const view = { host: source.host, term: effectiveTerm(source) }; // a termination's `at` ends the term (section 9)
  const zone = view.host.timeZone;
  const closes = lastRequestDate(view.term, catalogue); // rule REQ-60
  // Stryker disable next-line ConditionalExpression: the first flex year starts on the term start, so an earlier reminder falls in no year
  const inTerm = ({ date }: { date: string }) => date >= view.term.start;
  // Stryker disable next-line MethodExpression: the first flex year starts on the term start, so an earlier reminder falls in no year
  const reminders: LifecycleEvent[] = reminderDays
    .map((days) => ({ days, date: addCalendarDays(closes, -days) }))
    .filter(inTerm)
    .map(({ days, date }) => ({
      kind: 'requestWindowReminder',
      at: morningOf(date, zone),
      date,
      rule: 'REQ-60',
      daysBeforeClose: days,
    }));
  // Stryker disable next-line ArrayDeclaration: a default element is no open duty
  const duties: LifecycleEvent[] = (source.duties ?? [])
    .filter((d) => d.state === 'open' && d.dueOn <= view.term.end) // a termination ends the duties after it
    .flatMap((d) => [
      { kind: 'dutyReminder', at: morningOf(d.remindOn, zone), date: d.remindOn, rule: d.rule, dutyId: d.id },
      { kind: 'dutyOverdue', at: endOfDay(d.dueOn, zone), date: d.dueOn, rule: d.rule, dutyId: d.id },
    ]);
  const endings = new Map<string, string[]>();
  // Stryker disable next-line ArrayDeclaration: a default element has no endsOn and ends nothing
  for (const e of source.entitlements ?? [])
    if (e.endsOn < view.term.end && (e.endedBy === 'DEP-2' || e.endedBy === 'EXP-1'))
      endings.set(e.endsOn, [...(endings.get(e.endsOn) ?? []), e.serviceCode]);
  const ended: LifecycleEvent[] = [...endings].map(([date, serviceCodes]) => ({
    kind: 'entitlementEnded',
    at: endOfDay(date, zone),
    date,
    rule: serviceCodes.includes('AZURE_ENGINEERING_DIRECT') ? 'DEP-2' : 'EXP-1',
    serviceCodes,
  }));
  const dated = [...reminders, ...duties, ...ended];
  const years = flexYears(view.term);
  return years.map((period, index) => {
    const events: LifecycleEvent[] = [
      ...dated.filter((r) => r.date >= period.start && r.date <= period.end),
      { kind: 'flexPeriodEnded', at: endOfDay(period.end, zone), date: period.end, rule: 'FLEX-3' },
    ];
    if (index === years.length - 1)
      events.push({ kind: 'termEnded', at: endOfDay(view.term.end, zone), date: view.term.end, rule: 'EXP-1' });
    return { ...period, events: events.sort((a, b) => a.at.localeCompare(b.at)) };
  });
}
