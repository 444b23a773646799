import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { days, text } from '../input';
import {
  addCalendarDays,
  calendarDaysBetween,
  cybersecurityCalendar,
  toZonedIso,
  type CalendarOverrides,
} from '../calendar/businessCalendar';
import { countryOfTimeZone } from '../catalogue/countries';
import {
  CYBER_OFFERING_CODES,
  DEFAULT_CATALOGUE,
  serviceEntry,
  type CatalogueEdition,
  type ServiceCode,
} from '../catalogue/serviceCatalogue';
import { spokenDate, spokenList, type Explanation } from '../explanation';
import { RuleViolation } from '../ruleViolation';
import { assertWholeBlocks, CYBER_BLOCK_DAYS } from '../workOrder/entitlements';
import { assertDeliveryWithinTerm } from '../workOrder/requests';
import type { Term } from '../workOrder/workOrderSchema';

/** rule CYB-1: the cybersecurity offerings. */
export const cyberOfferingSchema = z.enum(CYBER_OFFERING_CODES);
export type CyberOffering = z.infer<typeof cyberOfferingSchema> & ServiceCode;

/** Incident response, remote or on site: what it delivers (CYB-5). */
const INCIDENT_RESPONSE = {
  kind: 'reactive',
  requiresTools: [],
  deliverables: [
    'outbrief document (on request)',
    'outbrief presentation',
    'timeline document (where feasible)',
    'Power BI dashboard',
  ],
} as const;

// Stryker disable all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); each mutant checked by hand against test/unit/aemCyberRules.test.ts (CYB-1, CYB-5, CYB-4)
/** rule CYB-1, CYB-5: kind, prerequisites and deliverables of each offering (catalogue data). */
export const CYBER_OFFERINGS: Readonly<
  Record<
    CyberOffering,
    { kind: 'reactive' | 'proactive'; requiresTools: readonly string[]; deliverables: readonly string[] }
  >
> = {
  CYBER_INCIDENT_RESPONSE: INCIDENT_RESPONSE,
  CYBER_INCIDENT_RESPONSE_ONSITE: INCIDENT_RESPONSE, // the same engagement, delivered on site
  CYBER_INCIDENT_RESPONSE_1DAY: { kind: 'reactive', requiresTools: [], deliverables: ['outbrief presentation'] },
  O365_INCIDENT_RESPONSE: {
    kind: 'reactive',
    requiresTools: [],
    deliverables: ['outbrief presentation', 'timeline document (where feasible)'],
  },
  CYBER_OPERATIONS_SERVICE: {
    kind: 'proactive',
    requiresTools: ['Microsoft Defender for Endpoint', 'Microsoft Defender for Identity'],
    deliverables: ['outbrief presentation', 'Power BI dashboard'],
  },
  CYBER_CRISIS_WORKSHOP: { kind: 'proactive', requiresTools: [], deliverables: ['digital workbook'] },
};

/** Body of POST /api/work-orders/{id}/cyber-engagements. */
export const cyberEngagementRequestSchema = z
  .object({
    offering: cyberOfferingSchema,
    start: z.iso.date(),
    days: days(),
    timeZone: text().refine((zone) => IANAZone.isValidZone(zone), 'unknown IANA time zone'),
    /** Country whose public holidays apply; defaults to the time zone's country (CYB-4). */
    holidayCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
  })
  .strict();
// Stryker restore all
export type CyberEngagementRequest = z.infer<typeof cyberEngagementRequestSchema>;

export interface CyberScheduleDay {
  readonly date: string;
  readonly from: string;
  readonly to: string;
}

export interface CyberEngagementPlan {
  readonly offering: CyberOffering;
  readonly timeZone: string;
  readonly holidayCountry: string;
  readonly days: number;
  readonly schedule: readonly CyberScheduleDay[];
  readonly hours: number;
  readonly deliverablesDueBy: string;
  readonly obligationLapsesOn: string;
  /** Why the schedule has these days (CYB-4) and the deliverables these dates (CYB-5). */
  readonly explanation?: { readonly schedule: Explanation; readonly deliverables: Explanation };
}

/** rule CYB-2: minimum days of an offering (5; Workshop 3; 1-day Remote 1). */
export function minimumDays(offering: CyberOffering, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): number {
  return serviceEntry(offering, catalogue).minDays ?? 5;
}

/** rule CYB-2, CYB-3: hours in one engagement day (8; the 1-day Remote is one day of 32 hours: 4 people × 8). */
export function hoursPerDay(offering: CyberOffering, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): number {
  return serviceEntry(offering, catalogue).hoursPerDay ?? 8;
}

/** rule CYB-5: deliverables are due, and the obligation lapses, 10 calendar days after the last engagement day. */
export function deliverableDates(
  lastDay: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { deliverablesDueBy: string; obligationLapsesOn: string; explanation: Explanation } {
  const date = addCalendarDays(lastDay, catalogue.cyberDeliverableDays);
  return {
    deliverablesDueBy: date,
    obligationLapsesOn: date,
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    explanation: {
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      text: `Deliverables are due, and the obligation to deliver them lapses, ${catalogue.cyberDeliverableDays} calendar days after the last engagement day (${spokenDate(lastDay)}): ${spokenDate(date)} (CYB-5).`,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      rules: ['CYB-5'],
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      inputs: { lastEngagementDay: lastDay, days: catalogue.cyberDeliverableDays },
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    },
  };
}

// Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
/** The explanation of a schedule: the days it holds and the days it skipped, with why (CYB-4). */
// Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
function explainSchedule(
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  start: string,
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  schedule: readonly CyberScheduleDay[],
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  skipped: ReadonlyArray<{ date: string; why: string; name?: string }>,
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  timeZone: string,
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  holidayCountry: string,
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
): Explanation {
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const holidays = skipped.filter((s) => s.why === 'holiday');
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const weekends = skipped.length - holidays.length;
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const skippedText = [
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    ...(weekends > 0 ? [`${weekends} weekend day(s)`] : []),
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    ...holidays.map((h) => `${spokenDate(h.date)}${h.name ? ` (${h.name})` : ''}`),
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  ];
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  return {
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    text:
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      `${schedule.length} business day(s) from ${spokenDate(start)}, 08:00–17:00 ${timeZone} with ${holidayCountry} public holidays (CYB-4)` +
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      (skippedText.length > 0 ? `, skipping ${spokenList(skippedText)}` : '') +
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      `: ${spokenDate(schedule[0]?.date ?? start)} to ${spokenDate(schedule[schedule.length - 1]?.date ?? start)}.`,
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    rules: ['CYB-4'],
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    calendar: { location: holidayCountry, timeZone, hours: '08:00-17:00' },
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    skipped: skipped.map((s) => {
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      const from = DateTime.fromISO(s.date, { zone: timeZone });
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      return {
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        from: toZonedIso(from.toJSDate(), timeZone),
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        to: toZonedIso(from.plus({ days: 1 }).toJSDate(), timeZone),
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        why: s.why as 'weekend' | 'holiday',
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        ...(s.name ? { name: s.name } : {}),
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      };
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    }),
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  };
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
}

function resolveHolidayCountry(timeZone: string, explicit?: string): string {
  const country = explicit ?? countryOfTimeZone(timeZone);
  if (!country)
    throw new RuleViolation('CYB-4', `No holiday country is known for ${timeZone}; name the country.`, 'timeZone');
  return country;
}

/**
 * The day-by-day schedule (rule CYB-4): business days in the agreed zone, 08:00–17:00 wall-clock time,
 * skipping weekends and the zone country's public holidays, starting on the first business day on or
 * after `start`.
 *
 * The 8-hour day: `from`/`to` show the full 08:00–17:00 delivery window because that is the seed's
 * business-hours window in which the team works and can be reached; the 9 hours of wall time hold
 * 8 working hours and a 1-hour break, so each day counts 8 hours (CYB-3). Writing 08:00–16:00 instead
 * would tell the customer the team is gone at 16:00, which the contract does not say.
 */
export function cyberSchedule(
  start: string,
  days: number,
  timeZone: string,
  holidayCountry: string,
  overrides?: CalendarOverrides,
  options: {
    includeStart?: boolean;
    skipped?: Array<{ date: string; why: 'weekend' | 'holiday' | 'outsideHours'; name?: string }>;
  } = {},
): CyberScheduleDay[] {
  const calendar = cybersecurityCalendar(timeZone, holidayCountry, overrides);
  return calendar.nextBusinessDays(start, days, options).map((date) => {
    const opening = calendar.openingOn(date);
    // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable, the calendar gives only business days and each has its opening
    if (!opening) throw new Error(`calendar gave a closed day ${date}`);
    return { date, from: toZonedIso(opening.open, timeZone), to: toZonedIso(opening.close, timeZone) };
  });
}

/**
 * Plans a cybersecurity engagement: CYB-2 minimum length, ENT-1 against the purchased days left of the
 * offering (`remainingDays`), CYB-4 schedule, CYB-5 deliverable dates.
 */
export function planCyberEngagement(
  body: unknown,
  options: { remainingDays?: number; overrides?: CalendarOverrides; catalogue?: CatalogueEdition; term?: Term } = {},
): CyberEngagementPlan {
  const catalogue = options.catalogue ?? DEFAULT_CATALOGUE;
  const request = cyberEngagementRequestSchema.parse(body);
  const offering = request.offering;
  const min = minimumDays(offering, catalogue);
  // rule CYB-2
  if (request.days < min) throw new RuleViolation('CYB-2', `${offering} lasts at least ${min} day(s).`, 'days');
  assertWholeBlocks(offering, request.days, min, 'days'); // rule CYB-3
  // rule ENT-1
  // Stryker disable next-line ConditionalExpression: without a count `days > undefined` is false anyway
  if (options.remainingDays !== undefined && request.days > options.remainingDays) {
    throw new RuleViolation(
      'ENT-1',
      `Only ${options.remainingDays} purchased day(s) of ${offering} remain; ${request.days} requested.`,
      'days',
    );
  }
  const holidayCountry = resolveHolidayCountry(request.timeZone, request.holidayCountry);
  const skipped: Array<{ date: string; why: 'weekend' | 'holiday' | 'outsideHours'; name?: string }> = [];
  const schedule = cyberSchedule(request.start, request.days, request.timeZone, holidayCountry, options.overrides, {
    skipped,
  });
  // Stryker disable next-line OptionalChaining: days() is at least 1, so the schedule has a last day (the fallback is for the type)
  const lastDay = schedule[schedule.length - 1]?.date ?? request.start;
  assertEngagementWithinTerm(options.term, schedule, 'start'); // rule EXP-1
  const { explanation: deliverables, ...dates } = deliverableDates(lastDay, catalogue); // rule CYB-5
  return {
    offering,
    timeZone: request.timeZone,
    holidayCountry,
    days: request.days,
    schedule,
    hours: request.days * hoursPerDay(offering, catalogue),
    ...dates,
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    explanation: {
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      schedule: explainSchedule(request.start, schedule, skipped, request.timeZone, holidayCountry),
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      deliverables,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    },
  };
}

/** rule EXP-1: an engagement's days lie within the term (as shortened by a termination). */
function assertEngagementWithinTerm(term: Term | undefined, schedule: readonly CyberScheduleDay[], path: string): void {
  // Stryker disable next-line OptionalChaining: both callers pass a schedule with at least one day (the check is for the type)
  const first = schedule[0]?.date;
  // Stryker disable next-line OptionalChaining: both callers pass a schedule with at least one day (the check is for the type)
  const last = schedule[schedule.length - 1]?.date;
  if (!term || !first || !last) return;
  assertDeliveryWithinTerm(term, first, calendarDaysBetween(first, last) + 1, path);
}

/** rule CYB-3: extra days come in blocks of 5 days of 8 hours, scheduled after the last day. */
export const CYBER_EXTENSION_BLOCK = { days: CYBER_BLOCK_DAYS, hoursPerDay: 8 } as const;

export function planExtension(
  plan: CyberEngagementPlan,
  blocks: number,
  options: { remainingDays?: number; overrides?: CalendarOverrides; catalogue?: CatalogueEdition; term?: Term } = {},
): CyberEngagementPlan {
  if (!Number.isInteger(blocks) || blocks < 1)
    throw new RuleViolation('CYB-3', 'Extensions are bought in whole blocks of 5 days.', 'blocks');
  const extraDays = blocks * CYBER_EXTENSION_BLOCK.days;
  // Stryker disable next-line ConditionalExpression: without a count `extraDays > undefined` is false anyway
  if (options.remainingDays !== undefined && extraDays > options.remainingDays) {
    throw new RuleViolation(
      'ENT-1',
      `Only ${options.remainingDays} purchased day(s) remain; ${extraDays} needed.`,
      'blocks',
    );
  }
  const last = plan.schedule[plan.schedule.length - 1];
  if (!last) throw new RuleViolation('CYB-3', 'The engagement has no schedule to extend.', 'blocks');
  const skipped: Array<{ date: string; why: 'weekend' | 'holiday' | 'outsideHours'; name?: string }> = [];
  const added = cyberSchedule(last.date, extraDays, plan.timeZone, plan.holidayCountry, options.overrides, {
    includeStart: false,
    skipped,
  });
  const schedule = [...plan.schedule, ...added];
  assertEngagementWithinTerm(options.term, schedule, 'blocks'); // rule EXP-1
  const { explanation: deliverables, ...dates } = deliverableDates(
    // Stryker disable next-line OptionalChaining: the schedule holds at least `last` (the fallback is for the type)
    schedule[schedule.length - 1]?.date ?? last.date,
    options.catalogue,
  ); // rule CYB-5
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const extension = explainSchedule(addCalendarDays(last.date, 1), added, skipped, plan.timeZone, plan.holidayCountry);
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const before = plan.explanation?.schedule;
  return {
    ...plan,
    days: plan.days + extraDays,
    schedule,
    hours: plan.hours + extraDays * CYBER_EXTENSION_BLOCK.hoursPerDay,
    ...dates,
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    explanation: {
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      schedule: {
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        text: `${before ? `${before.text} ` : ''}Extended by ${blocks} block(s) of ${CYBER_EXTENSION_BLOCK.days} days of ${CYBER_EXTENSION_BLOCK.hoursPerDay} hours (CYB-3): ${extension.text}`,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        rules: ['CYB-4', 'CYB-3'],
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        calendar: extension.calendar!,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        skipped: [...(before?.skipped ?? []), ...(extension.skipped ?? [])],
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      },
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      deliverables,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    },
  };
}

/**
 * rule CYB-5: the obligation lapses earlier when the customer declines the deliverables (that day). Once lapsed or
 * declined there is nothing left to decline (409).
 */
export function declineDeliverables<
  P extends CyberEngagementPlan & { status?: string; deliverablesDeclined?: unknown },
>(plan: P, declinedOn: string): P {
  if (plan.deliverablesDeclined || plan.status === 'lapsed' || declinedOn > plan.obligationLapsesOn)
    throw new RuleViolation('CYB-5', 'The deliverables obligation has already lapsed or been declined.', '', 409);
  return { ...plan, obligationLapsesOn: declinedOn };
}

/**
 * rule CYB-6 (and CUST-BACKUP): before work on production the customer has deployed the specified tools,
 * provided cloud-only Global Administrator accounts where needed, and holds a valid backup.
 */
export function assertReadyForProductionWork(ack: {
  toolsDeployed: boolean;
  adminAccountsProvided: boolean;
  validBackupConfirmed: boolean;
}): void {
  const missing = [
    !ack.toolsDeployed && 'the tools the team specified',
    !ack.adminAccountsProvided && 'cloud-only Global Administrator accounts',
    !ack.validBackupConfirmed && 'a confirmed valid backup',
  ].filter((x): x is string => typeof x === 'string');
  if (missing.length > 0)
    throw new RuleViolation('CYB-6', `Before work on production the customer must provide ${missing.join(', ')}.`, '');
}
