import { DateTime } from 'luxon';
import { z } from 'zod';
import { days, text } from '../input';
import { addCalendarDays, calendarDaysBetween, toZonedIso } from '../calendar/businessCalendar';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import { spokenDate, type Explanation } from '../explanation';
import { RuleViolation } from '../ruleViolation';
import { cloudSchema } from '../sla/firstResponse';
import { assertDeliveryWithinTerm } from '../workOrder/requests';
import type { Term } from '../workOrder/workOrderSchema';

/** Body of POST /api/work-orders/{id}/aem-events. */
// Stryker disable all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); each mutant checked by hand against test/unit/aemCyberRules.test.ts (AEM-1)
export const aemEventRequestSchema = z
  .object({
    solutionName: text().trim().min(1),
    cloud: cloudSchema,
    start: z.iso.date(),
    days: days(), // bounded before anything loops over the days
    confirmedAt: z.iso.date(),
    providerAccepted: z.boolean().optional(),
  })
  .strict();
// Stryker restore all
export type AemEventRequest = z.infer<typeof aemEventRequestSchema>;

export interface AemEvent {
  readonly start: string;
  readonly end: string;
  /** rule AEM-1: one event covers one Azure solution. */
  readonly solutionName: string;
}

export interface AemBooking {
  readonly solutionName: string;
  readonly confirmedAt: string;
  readonly events: readonly AemEvent[];
  readonly shortNotice: boolean;
  /** rule AEM-3: the provider may limit the pre-event assessment of a short-notice event. */
  readonly assessment: 'full' | 'limited';
  readonly noticeDays: number;
  readonly status: 'planned';
}

/**
 * rule AEM-2: a period is covered by back-to-back events of at most 5 consecutive calendar days
 * (7 days from 2027-11-20 → 11-20..11-24 and 11-25..11-26).
 */
export function splitIntoEvents(
  start: string,
  days: number,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { start: string; end: string }[] {
  const max = catalogue.aem.maxDaysPerEvent;
  const events: { start: string; end: string }[] = [];
  for (let offset = 0; offset < days; offset += max) {
    const length = Math.min(max, days - offset);
    events.push({ start: addCalendarDays(start, offset), end: addCalendarDays(start, offset + length - 1) });
  }
  return events;
}

/** rule AEM-3: calendar days of notice from the written confirmation to the first event day. */
export function noticeDays(confirmedAt: string, start: string): number {
  return calendarDaysBetween(confirmedAt, start);
}

/**
 * Plans an AEM booking (AEM-1..AEM-4). `remainingEvents` is the Work Order's AEM entitlement left (ENT-1);
 * each event consumes one.
 */
export function planAemBooking(
  body: unknown,
  options: { remainingEvents?: number; catalogue?: CatalogueEdition; term?: Term } = {},
): AemBooking {
  const catalogue = options.catalogue ?? DEFAULT_CATALOGUE;
  const request = aemEventRequestSchema.parse(body);
  // rule AEM-4: Azure Public Cloud only
  if (request.cloud !== 'AzurePublic') {
    throw new RuleViolation(
      'AEM-4',
      'Azure Event Management is only available for solutions in Azure Public Cloud.',
      'cloud',
    );
  }
  const notice = noticeDays(request.confirmedAt, request.start);
  const shortNotice = notice < catalogue.aem.noticeDays;
  // rule AEM-3: at least 42 days' written notice unless the provider accepts a shorter one
  if (shortNotice && request.providerAccepted !== true) {
    throw new RuleViolation(
      'AEM-3',
      `AEM events must be confirmed in writing at least ${catalogue.aem.noticeDays} days before the start; this one has ${notice}.`,
      'confirmedAt',
    );
  }
  const events = splitIntoEvents(request.start, request.days, catalogue).map((e) => ({
    ...e,
    solutionName: request.solutionName,
  }));
  // rule EXP-1: a booking lies within the term (as shortened by a termination)
  if (options.term) assertDeliveryWithinTerm(options.term, request.start, request.days, 'start');
  // rule ENT-1: each event uses one AEM event of the Work Order
  // Stryker disable next-line ConditionalExpression: without a count `length > undefined` is false anyway
  if (options.remainingEvents !== undefined && events.length > options.remainingEvents) {
    throw new RuleViolation(
      'ENT-1',
      `This period needs ${events.length} AEM events; only ${options.remainingEvents} remain.`,
      'days',
    );
  }
  return {
    solutionName: request.solutionName,
    confirmedAt: request.confirmedAt,
    events,
    shortNotice,
    assessment: shortNotice ? 'limited' : 'full',
    noticeDays: notice,
    status: 'planned',
  };
}

/** rule AEM-6: the live window — from the first event day 00:00 to the day after the last, in `timeZone`. */
export function aemWindow(
  events: readonly { start: string; end: string }[],
  timeZone: string,
): { from: string; to: string } {
  const first = events[0];
  const last = events[events.length - 1];
  // Stryker disable next-line LogicalOperator: first and last are both present or both absent
  if (!first || !last) throw new RuleViolation('AEM-2', 'An AEM booking has at least one event.', 'events');
  const midnight = (date: string) =>
    toZonedIso(DateTime.fromISO(date, { zone: timeZone }).startOf('day').toJSDate(), timeZone);
  return { from: midnight(first.start), to: midnight(addCalendarDays(last.end, 1)) };
}

export type AemPhase = 'planned' | 'assessment' | 'live' | 'postEvent' | 'closed' | 'cancelled';

export interface AemPhaseDates {
  /** rule AEM-5: assessment with written findings and mitigations, before the window. */
  readonly assessment: { readonly from: string; readonly until: string };
  /** rule AEM-6: 24x7 coverage. */
  readonly live: { readonly from: string; readonly to: string };
  /** rule AEM-7: post-event summary of the window's cases, from the window's end. */
  readonly postEvent: { readonly from: string };
  /** Why the phases fall where they do (absent on bookings stored before explanations existed). */
  readonly explanation?: Explanation;
}

/** Phase boundaries of a booking in the zone of the event (AEM-5, AEM-6, AEM-7). */
export function aemPhaseDates(
  booking: Pick<AemBooking, 'events' | 'confirmedAt'>,
  timeZone: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): AemPhaseDates {
  const live = aemWindow(booking.events, timeZone);
  // Stryker disable next-line OptionalChaining: aemWindow above already refused a booking without events
  const leadStart = addCalendarDays(booking.events[0]?.start ?? booking.confirmedAt, -catalogue.aem.assessmentLeadDays);
  // Stryker disable next-line EqualityOperator: on equal dates both branches give the same date
  const assessmentStart = leadStart > booking.confirmedAt ? leadStart : booking.confirmedAt;
  const from = toZonedIso(DateTime.fromISO(assessmentStart, { zone: timeZone }).toJSDate(), timeZone);
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const first = booking.events[0]?.start ?? booking.confirmedAt;
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const last = booking.events[booking.events.length - 1]?.end ?? first;
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const lead = catalogue.aem.assessmentLeadDays;
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const explanation: Explanation = {
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    text:
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      `The pre-event assessment (AEM-5) starts ${lead} days before the first event day${leadStart > booking.confirmedAt ? '' : `, but not before the written confirmation of ${spokenDate(booking.confirmedAt)}`}: ${spokenDate(assessmentStart)}. ` +
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      `Coverage is live 24x7 (AEM-6) from the first event day ${spokenDate(first)} 00:00 to the end of the last, ${spokenDate(last)} (${timeZone}), over ${booking.events.length} back-to-back event(s) of at most ${catalogue.aem.maxDaysPerEvent} days (AEM-2). ` +
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      `The post-event summary of the window's cases (AEM-7) is owed from ${spokenDate(addCalendarDays(last, 1))} 00:00.`,
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    rules: ['AEM-5', 'AEM-6', 'AEM-2', 'AEM-7'],
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    inputs: {
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      confirmedAt: booking.confirmedAt,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      firstEventDay: first,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      lastEventDay: last,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      assessmentLeadDays: lead,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      events: booking.events.length,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      timeZone,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    },
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  };
  return { assessment: { from, until: live.from }, live, postEvent: { from: live.to }, explanation };
}

export interface AemCase {
  readonly incidentId: string;
  readonly openedAt: string;
  readonly status: 'open' | 'closed';
}

/** A case of the window as the post-event summary shows it (AEM-7). */
export interface AemCaseState {
  readonly incidentId: string;
  readonly openedAt: string;
  readonly status: 'open' | 'closed';
}

export interface AemPostEventSummary {
  /** Every case opened during the window. */
  readonly cases: string[];
  /** Each case with its state when the summary was last taken. */
  readonly caseStates: AemCaseState[];
  readonly unresolved: string[];
  readonly allResolved: boolean;
}

/**
 * rule AEM-7: the post-event summary lists every case opened during the window; the provider sees that
 * those cases are resolved (`unresolved` lists what is still open).
 */
export function postEventSummary(window: { from: string; to: string }, cases: readonly AemCase[]): AemPostEventSummary {
  const inWindow = cases.filter(
    (c) => Date.parse(c.openedAt) >= Date.parse(window.from) && Date.parse(c.openedAt) < Date.parse(window.to),
  );
  const unresolved = inWindow.filter((c) => c.status !== 'closed').map((c) => c.incidentId);
  return {
    cases: inWindow.map((c) => c.incidentId),
    caseStates: inWindow.map(({ incidentId, openedAt, status }) => ({ incidentId, openedAt, status })),
    unresolved,
    allResolved: unresolved.length === 0,
  };
}

/**
 * rule AEM-7: after a summary with unresolved cases, when the provider looks again — every `followUpHours` until
 * `followUpDays` after the window's end (configurable); null when all are resolved or the limit is reached.
 */
export function nextFollowUp(
  summary: Pick<AemPostEventSummary, 'allResolved'>,
  windowEnd: string,
  checkedAt: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): string | null {
  if (summary.allResolved) return null;
  const next = Date.parse(checkedAt) + catalogue.aem.followUpHours * 3_600_000;
  const limit = Date.parse(windowEnd) + catalogue.aem.followUpDays * 86_400_000;
  return next <= limit ? new Date(next).toISOString() : null;
}

/**
 * rule AEM-8: the provider may cancel an event when the customer cannot provide adequate resources or
 * answers — possible until the window has ended.
 */
export function mayCancelAemEvent(phase: AemPhase, customerUnresponsive: boolean): boolean {
  return customerUnresponsive && (phase === 'planned' || phase === 'assessment' || phase === 'live');
}
