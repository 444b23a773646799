import { z } from 'zod';
import { addCalendarDays, calendarDaysBetween, localDateIn } from '../calendar/businessCalendar';
import {
  DEFAULT_CATALOGUE,
  serviceCodeSchema,
  serviceEntry,
  type CatalogueEdition,
} from '../catalogue/serviceCatalogue';
import { RuleViolation } from '../ruleViolation';
import {
  findEntitlement,
  quantityForRequest,
  replaceEntitlement,
  reserveEntitlement,
  type EntitlementBalance,
} from './entitlements';
import { effectiveTerm, type TermSource } from './term';
import { assertFlexFunding } from './flex';
import type { FlexAllocation, Term } from './workOrderSchema';

/** Body of POST /api/work-orders/{id}/service-requests. */
export const serviceRequestInputSchema = z
  .object({
    serviceCode: serviceCodeSchema,
    startDate: z.iso.date(),
    days: z.number().int().positive(),
    price: z.number().nonnegative(),
    fundedBy: z.enum(['credits', 'flex', 'entitlement']),
  })
  .strict();
export type ServiceRequestInput = z.infer<typeof serviceRequestInputSchema>;

/** rule SCHED-1: requested → scheduled → delivered; requested or scheduled → cancelled. */
export type ServiceRequestStatus = 'requested' | 'scheduled' | 'delivered' | 'cancelled';
export type ServiceRequestAction = 'schedule' | 'deliver' | 'cancel';

const TRANSITIONS: Readonly<
  Record<ServiceRequestAction, { from: readonly ServiceRequestStatus[]; to: ServiceRequestStatus }>
> = {
  schedule: { from: ['requested'], to: 'scheduled' },
  deliver: { from: ['scheduled'], to: 'delivered' },
  cancel: { from: ['requested', 'scheduled'], to: 'cancelled' },
};

// rule SCHED-1: an impossible transition is a state conflict (409)
export function transitionServiceRequest(
  status: ServiceRequestStatus,
  action: ServiceRequestAction,
): ServiceRequestStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status))
    throw new RuleViolation('SCHED-1', `A ${status} service request cannot be ${action}d.`, 'status', 409);
  return t.to;
}

/**
 * rule REQ-60: proactive and enhanced requests must be submitted at least 60 days before the term end
 * (1 Nov for a 31 Dec end: accepted; 2 Nov: refused). `submittedOn` is the host-zone calendar date.
 */
export function assertRequestWindow(
  term: Term,
  submittedOn: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): void {
  const daysLeft = calendarDaysBetween(submittedOn, term.end);
  if (daysLeft < catalogue.requestLeadDays) {
    throw new RuleViolation(
      'REQ-60',
      `Requests must be submitted at least ${catalogue.requestLeadDays} days before the Work Order ends on ${term.end}.`,
      '',
    );
  }
}

/** Last date (host zone) on which a request is still accepted (REQ-60). */
export function lastRequestDate(term: Term, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): string {
  return addCalendarDays(term.end, -catalogue.requestLeadDays);
}

/** Whether a service group is subject to REQ-60 (proactive services and enhanced services and solutions). */
export function isSubjectToRequestWindow(
  code: z.infer<typeof serviceCodeSchema>,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): boolean {
  const group = serviceEntry(code, catalogue).group;
  return group === 'proactive' || group === 'enhanced' || group === 'cybersecurity';
}

/** rule EXP-1: a service must be used during the term; a delivery outside it is refused. */
export function assertDeliveryWithinTerm(term: Term, startDate: string, days = 1, path = 'startDate'): void {
  const lastDay = addCalendarDays(startDate, Math.max(1, days) - 1);
  if (startDate < term.start || lastDay > term.end) {
    throw new RuleViolation(
      'EXP-1',
      `Services expire if not used during the Work Order term (${term.start} to ${term.end}).`,
      path,
    );
  }
}

export interface CancellationDecision {
  readonly status: 'cancelled';
  /** The most the provider may charge (CANCEL-14); recording a waiver is the caller's business. */
  readonly maxCancellationFee: number;
  readonly daysBeforeStart: number;
}

/**
 * rule CANCEL-14: cancelling (or rescheduling) a scheduled service fewer than 14 calendar days (host
 * zone) before its first delivery day may cost up to 100 % of its price; 14 days or more, or a request
 * never scheduled, costs nothing.
 */
export function decideCancellation(
  request: { status: ServiceRequestStatus; startDate: string; price: number },
  cancelledAt: Date,
  hostTimeZone: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): CancellationDecision {
  transitionServiceRequest(request.status, 'cancel'); // rule SCHED-1
  const daysBeforeStart = calendarDaysBetween(localDateIn(cancelledAt, hostTimeZone), request.startDate);
  const late = request.status === 'scheduled' && daysBeforeStart < catalogue.cancellationNoticeDays;
  return { status: 'cancelled', maxCancellationFee: late ? request.price : 0, daysBeforeStart };
}

/**
 * rule CANCEL-14: the provider "may" charge the fee, so it may also waive it; the waiver is recorded on the cancelled
 * request. Only a request cancelled with a fee can have it waived; waiving twice changes nothing.
 */
export function decideFeeWaiver(
  request: { status: ServiceRequestStatus; maxCancellationFee?: number; feeWaived?: boolean },
  reason: string,
): { feeWaived: true; waiverReason: string } {
  if (request.status !== 'cancelled')
    throw new RuleViolation('CANCEL-14', 'Only a cancelled request can have its cancellation fee waived.', '', 409);
  if (!request.maxCancellationFee)
    throw new RuleViolation('CANCEL-14', 'This cancellation carries no fee to waive.', '', 409);
  return { feeWaived: true, waiverReason: reason };
}

/** rule UER-4: the customer joins UER onboarding within the first 60 days of the contract period (last day returned). */
export function uerOnboardingDueBy(term: Term, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): string {
  return addCalendarDays(term.start, catalogue.uerOnboardingDays - 1);
}

/**
 * Quarterly review dates of the term (GHED-1 GitHub Engineering Direct, UER-5 meetings): the first day
 * of each quarter of the term counted from its start.
 */
export function quarterlyReviewDates(term: Term): string[] {
  const dates: string[] = [];
  const [y, m, d] = term.start.split('-').map(Number) as [number, number, number];
  for (let q = 0; ; q++) {
    const date = new Date(Date.UTC(y, m - 1 + 3 * q, d)).toISOString().slice(0, 10);
    if (date > term.end) return dates;
    dates.push(date);
  }
}

/**
 * Accepts a new service request against a Work Order: REQ-60 (submitted in time, host-zone date),
 * EXP-1 (delivered within the term) and, for `fundedBy: "entitlement"`, ENT-1 (reserves the quantity).
 * Returns the request with status `requested` and the updated entitlement balances.
 */
export function acceptServiceRequest(
  workOrder: TermSource & {
    host: { timeZone: string };
    entitlements: readonly EntitlementBalance[];
    flexAllocations?: readonly FlexAllocation[];
  },
  body: unknown,
  submittedAt: Date,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { request: ServiceRequestInput & { status: 'requested'; quantity: number }; entitlements: EntitlementBalance[] } {
  const input = serviceRequestInputSchema.parse(body);
  if (isSubjectToRequestWindow(input.serviceCode, catalogue)) {
    assertRequestWindow(effectiveTerm(workOrder), localDateIn(submittedAt, workOrder.host.timeZone), catalogue); // rule REQ-60
  }
  assertDeliveryWithinTerm(effectiveTerm(workOrder), input.startDate, input.days); // rule EXP-1
  if (input.fundedBy === 'flex') assertFlexFunding(effectiveTerm(workOrder), workOrder.flexAllocations ?? [], input); // rule FLEX-3
  let entitlements = [...workOrder.entitlements];
  let quantity = 0;
  if (input.fundedBy === 'entitlement') {
    quantity = quantityForRequest(input.serviceCode, input.days, catalogue);
    const reserved = reserveEntitlement(findEntitlement(entitlements, input.serviceCode), quantity); // rule ENT-1
    entitlements = replaceEntitlement(entitlements, reserved);
  }
  return { request: { ...input, status: 'requested', quantity }, entitlements };
}
