import { DateTime } from 'luxon';
import { z } from 'zod';
import { addCalendarDays } from '../calendar/businessCalendar';
import { DEFAULT_CATALOGUE, type CatalogueEdition, type ServiceCode } from '../catalogue/serviceCatalogue';
import { RuleViolation } from '../ruleViolation';
import type { Term } from './workOrderSchema';

/** A customer duty the Work Order tracks (UER-4 onboarding, UER-5 / GHED-1 quarterly reviews). */
export interface Duty {
  readonly id: string;
  readonly kind: 'onboarding' | 'quarterlyReview';
  readonly rule: 'UER-4' | 'UER-5' | 'GHED-1';
  readonly serviceCode: ServiceCode;
  /** The last day (host zone) on which it is done in time. */
  readonly dueOn: string;
  /** The day (host zone) the customer is reminded, 09:00. */
  readonly remindOn: string;
  readonly state: 'open' | 'done' | 'overdue';
  readonly completedAt?: string;
  readonly completedBy?: string;
  readonly note?: string;
}

/** Days before the due day on which a quarterly review is reminded (UER-5, GHED-1; product default). */
export const REVIEW_REMINDER_DAYS = 14;
/** The term day (1-based) on which the UER-4 onboarding duty is reminded (product default). */
export const ONBOARDING_REMINDER_DAY = 45;

/**
 * rule UER-5, GHED-1: the quarters of the term counted from its start (the last one cut at the term end), each with
 * its first and last day. A month-end start stays at month end (31 Jan → 30 Apr).
 */
export function termQuarters(term: Term): Array<{ start: string; end: string }> {
  const quarters: Array<{ start: string; end: string }> = [];
  // Stryker disable next-line ObjectLiteral: date-only arithmetic gives the same calendar dates in any zone
  const start = DateTime.fromISO(term.start, { zone: 'utc' });
  for (let q = 0; ; q++) {
    const from = start.plus({ months: 3 * q }).toISODate() as string;
    if (from > term.end) return quarters;
    const next = start.plus({ months: 3 * (q + 1) }).toISODate() as string;
    const to = addCalendarDays(next, -1);
    // Stryker disable next-line EqualityOperator: on equal dates both branches give the same date
    quarters.push({ start: from, end: to > term.end ? term.end : to });
  }
}

/** rule UER-4: the customer joins onboarding within the first 60 days of the contract period (its last day). */
export function uerOnboardingDueBy(from: string, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): string {
  return addCalendarDays(from, catalogue.uerOnboardingDays - 1);
}

/**
 * The duties that holding `codes` from `from` on puts on a Work Order: UER brings an onboarding duty due on day 60
 * (counted from the term start, or from the day UER was added during the term; UER-4) and a review per quarter of
 * the term (UER-5); GitHub Engineering Direct a review per quarter (GHED-1). Quarters ending before `from` are not due.
 */
export function dutiesFor(
  workOrderId: string,
  term: Term,
  codes: readonly ServiceCode[],
  from: string = term.start,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): Duty[] {
  const duties: Duty[] = [];
  const open = { state: 'open' as const };
  for (const code of codes) {
    if (code === 'UER') {
      const dueOn = minDate(uerOnboardingDueBy(from, catalogue), term.end); // rule UER-4
      duties.push({
        id: `${workOrderId}:onboarding:UER`,
        kind: 'onboarding',
        rule: 'UER-4',
        serviceCode: code,
        dueOn,
        remindOn: minDate(addCalendarDays(from, ONBOARDING_REMINDER_DAY - 1), dueOn),
        ...open,
      });
    }
    const rule = code === 'UER' ? 'UER-5' : code === 'GITHUB_ENGINEERING_DIRECT' ? 'GHED-1' : null;
    if (!rule) continue;
    for (const quarter of termQuarters(term).filter((q) => q.end >= from)) {
      // rule UER-5, GHED-1: due on the quarter's last day, reminded 14 days before
      const remindOn = addCalendarDays(quarter.end, -REVIEW_REMINDER_DAYS);
      duties.push({
        id: `${workOrderId}:review:${code}:${quarter.end}`,
        kind: 'quarterlyReview',
        rule,
        serviceCode: code,
        dueOn: quarter.end,
        // Stryker disable next-line EqualityOperator: on equal dates both branches give the same date
        remindOn: remindOn < from ? from : remindOn,
        ...open,
      });
    }
  }
  return duties;
}

// Stryker disable next-line EqualityOperator: on equal dates both branches give the same date
const minDate = (a: string, b: string) => (a < b ? a : b);

/** The Work Order a duty id belongs to (ids are `{workOrderId}:…`). */
export function workOrderIdOfDuty(dutyId: string): string {
  // Stryker disable next-line StringLiteral: split always returns a first element (the fallback is for the type)
  return dutyId.split(':')[0] ?? '';
}

export const dutyCompletionSchema = z.object({ note: z.string().max(4000).optional() }).strict();

/** Completes a duty (an overdue one too: it stays on record that it was late); completing twice → 409. */
export function completeDuty(duty: Duty, at: string, by: string, note?: string): Duty {
  if (duty.state === 'done') throw new RuleViolation(duty.rule, 'This duty is already completed.', '', 409);
  return { ...duty, state: 'done', completedAt: at, completedBy: by, ...(note ? { note } : {}) };
}

/** The scheduled mark at the end of the due day: an open duty becomes overdue; a completed one stays done. */
export function markOverdue(duty: Duty): Duty | null {
  return duty.state === 'open' ? { ...duty, state: 'overdue' } : null;
}

export function replaceDuty(duties: readonly Duty[], updated: Duty): Duty[] {
  return duties.map((d) => (d.id === updated.id ? updated : d));
}
