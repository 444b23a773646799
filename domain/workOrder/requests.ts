import { z } from 'zod';
import { days } from '../input';
import { addCalendarDays, calendarDaysBetween, localDateIn } from '../calendar/businessCalendar';
import {
  DEFAULT_CATALOGUE,
  serviceCodeSchema,
  serviceEntry,
  type CatalogueEdition,
} from '../catalogue/serviceCatalogue';
import { countryCodeSchema } from '../catalogue/countries';
import { isAssessmentHelpWithinLimits, mayCancelWorkshopForEnrolment } from '../catalogue/proactiveTerms';
import { deliveryMode } from '../catalogue/serviceCatalogue';
import { spokenDate, type Explanation } from '../explanation';
import { RuleViolation } from '../ruleViolation';
import { mayDeliverAt } from './contacts';
import { decideRedemption } from './credits';
import { flexYearOn } from './flex';
import { quantityForRequest, reserve, type EntitlementBalance } from './entitlements';
import { effectiveTerm, type TermSource } from './term';
import { assertFlexFunding } from './flex';
import type { Term } from './workOrderSchema';
import type { FlexAllocation, SupportLocation } from './workOrderSchema';

/** Body of POST /api/work-orders/{id}/service-requests. */
export const serviceRequestInputSchema = z
  .object(
    // Stryker disable next-line ObjectLiteral: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); a hand-made `{}` fails 6 tests in test/unit/requestRules.test.ts
    {
      serviceCode: serviceCodeSchema,
      startDate: z.iso.date(),
      days: days(),
      price: z.number().nonnegative(),
      // Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); tested in test/unit/requestRules.test.ts
      fundedBy: z.enum(['credits', 'flex', 'entitlement']),
      /** rule PRO-2: remote unless agreed in writing (`onsiteAgreed`) or sold on-site. */
      // Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); tested in test/unit/requestRules.test.ts
      delivery: z.enum(['remote', 'onsite']).optional(),
      onsiteAgreed: z.boolean().optional(),
      /** rule MN-2: the support location it is delivered at (default: the Host). */
      location: countryCodeSchema.optional(),
      /** rule CRED-1, CRED-2: credits held for a credit-funded request. */
      // Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); tested in test/unit/requestRules.test.ts
      credits: z.object({ country: countryCodeSchema, value: z.number().nonnegative() }).strict().optional(),
    },
  )
  .strict()
  .superRefine((r, ctx) => {
    if (r.credits && r.fundedBy !== 'credits')
      ctx.addIssue({ code: 'custom', message: 'credits are named only with fundedBy "credits"', path: ['credits'] });
  });
export type ServiceRequestInput = z.infer<typeof serviceRequestInputSchema>;

/** rule SCHED-1: requested → scheduled → delivered; requested or scheduled → cancelled. */
export type ServiceRequestStatus = 'requested' | 'scheduled' | 'delivered' | 'cancelled';
export type ServiceRequestAction = 'schedule' | 'deliver' | 'cancel';

type Transitions = Readonly<
  Record<ServiceRequestAction, { from: readonly ServiceRequestStatus[]; to: ServiceRequestStatus }>
>;
// Stryker disable next-line ObjectLiteral: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); a hand-made `{}` fails 2 tests in test/unit/requestRules.test.ts
const TRANSITIONS: Transitions = {
  // Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); tested in test/unit/requestRules.test.ts
  schedule: { from: ['requested'], to: 'scheduled' },
  // Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); tested in test/unit/requestRules.test.ts
  deliver: { from: ['scheduled'], to: 'delivered' },
  // Stryker disable next-line all: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); tested in test/unit/requestRules.test.ts
  cancel: { from: ['requested', 'scheduled'], to: 'cancelled' },
};

// rule SCHED-1: an impossible transition is a state conflict (409)
export function transitionServiceRequest(
  status: ServiceRequestStatus,
  action: ServiceRequestAction,
): ServiceRequestStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status))
    throw new RuleViolation('SCHED-1', `A ${status} service request cannot be ${t.to}.`, 'status', 409);
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
): Explanation {
  const decision = requestWindowDecision(term, submittedOn, catalogue);
  if (!decision.accepted) {
    throw new RuleViolation(
      'REQ-60',
      `Requests must be submitted at least ${catalogue.requestLeadDays} days before the Work Order ends on ${term.end}.`,
      '',
      undefined,
      decision.explanation,
    );
  }
  return decision.explanation;
}

/** rule REQ-60: whether a request submitted on a (host-zone) date is in time, and why. */
export function requestWindowDecision(
  term: Term,
  submittedOn: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { accepted: boolean; lastDate: string; daysLeft: number; explanation: Explanation } {
  const daysLeft = calendarDaysBetween(submittedOn, term.end);
  const accepted = daysLeft >= catalogue.requestLeadDays;
  const lastDate = addCalendarDays(term.end, -catalogue.requestLeadDays);
  return {
    accepted,
    lastDate,
    daysLeft,
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    explanation: {
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      text: `Proactive and enhanced requests must be submitted at least ${catalogue.requestLeadDays} days before the term ends on ${spokenDate(term.end)}, so the last day to submit is ${spokenDate(lastDate)} (REQ-60, host time zone). Submitted ${spokenDate(submittedOn)}, ${daysLeft} day(s) before the end: ${accepted ? 'in time' : 'too late'}.`,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      rules: ['REQ-60'],
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      inputs: { termEnd: term.end, submittedOn, daysLeft, leadDays: catalogue.requestLeadDays, lastDate },
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    },
  };
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
  readonly explanation: Explanation;
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
  const cancelledOn = localDateIn(cancelledAt, hostTimeZone);
  const daysBeforeStart = calendarDaysBetween(cancelledOn, request.startDate);
  const notice = catalogue.cancellationNoticeDays;
  const late = request.status === 'scheduled' && daysBeforeStart < notice;
  const fee = late ? request.price : 0;
  // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
  const why =
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    request.status !== 'scheduled'
      ? // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        `the request was never scheduled, so it costs nothing`
      : // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        late
        ? // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
          `fewer than ${notice}, so the provider may charge up to the full price, ${request.price}`
        : // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
          `${notice} or more, so it costs nothing`;
  return {
    status: 'cancelled',
    maxCancellationFee: fee,
    daysBeforeStart,
    // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    explanation: {
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      text: `Cancelled on ${spokenDate(cancelledOn)} (${hostTimeZone}), ${daysBeforeStart} calendar day(s) before the first delivery day ${spokenDate(request.startDate)}: ${why} (CANCEL-14).`,
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      rules: ['CANCEL-14'],
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      inputs: {
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        cancelledOn,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        startDate: request.startDate,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        daysBeforeStart,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        noticeDays: notice,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        scheduled: request.status === 'scheduled',
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        price: request.price,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        maxCancellationFee: fee,
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      },
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
    },
  };
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

/** What a request holds from the Work Order's funding until it is delivered or cancelled. */
export interface RequestFunding {
  /** rule CRED-1, CRED-2: credits held on a location's balance. */
  readonly creditsHeld?: { readonly country: string; readonly credits: number };
  /** rule FLEX-3: the flex year whose allocation to the service pays the price. */
  readonly flexYear?: number;
}

export interface AcceptedRequest extends ServiceRequestInput, RequestFunding {
  readonly status: 'requested';
  readonly quantity: number;
  readonly delivery: 'remote' | 'onsite';
  readonly location: string;
}

/** The Work Order as a new service request needs it. */
export interface RequestContext extends TermSource {
  host: SupportLocation;
  downstream: readonly SupportLocation[];
  entitlements: readonly EntitlementBalance[];
  creditBalances: Readonly<Record<string, number>>;
  flexAllocations: readonly FlexAllocation[];
}

/**
 * rule FLEX-3: a flex-funded request is paid from the allocation to its service of the flex year that holds its start,
 * lies within that year, and together with the year's other open or delivered flex requests for the service stays
 * within the allocation.
 */
function flexYearFor(
  workOrder: RequestContext,
  input: ServiceRequestInput,
  otherFlexRequests: ReadonlyArray<{ serviceCode: string; price: number; flexYear?: number; startDate: string }>,
): number {
  const term = effectiveTerm(workOrder);
  const year = assertFlexFunding(term, workOrder.flexAllocations, input); // the year holds it and allocates to it
  const allocated = workOrder.flexAllocations
    .filter(
      (a) =>
        a.year === year &&
        // Stryker disable next-line ConditionalExpression: only a 'service' allocation carries a serviceCode
        ((a.target === 'service' && a.serviceCode === input.serviceCode) ||
          (a.target === 'customProactive' && input.serviceCode === 'CUSTOM_PROACTIVE')),
    )
    .reduce((sum, a) => sum + a.amount, 0);
  const held = otherFlexRequests
    .filter((r) => r.serviceCode === input.serviceCode && (r.flexYear ?? flexYearOn(term, r.startDate)) === year)
    .reduce((sum, r) => sum + r.price, 0);
  if (held + input.price > allocated)
    throw new RuleViolation(
      'FLEX-3',
      `Flex year ${year} allocates ${allocated} to ${input.serviceCode}; ${held} is already held or used, ${input.price} requested.`,
      'price',
    );
  return year;
}

/**
 * Accepts a new service request against a Work Order: REQ-60 (submitted in time, host-zone date), EXP-1 (delivered
 * within the term), PRO-2 (on-site only when agreed or sold so), PRO-3 (On-demand Assessment help: 1 day remote, 2
 * on-site), MN-2 (at one of its locations), and its funding: ENT-1 reserves the entitlement, CRED-1/CRED-2 hold the
 * named credits, FLEX-3 draws on the flex year's allocation (`openFlexRequests`: the Work Order's flex requests not
 * cancelled). Returns the request with status `requested` and the Work Order's new balances.
 */
export function acceptServiceRequest(
  workOrder: RequestContext,
  body: unknown,
  submittedAt: Date,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
  // Stryker disable next-line ArrayDeclaration: a default element without a serviceCode matches no request
  openFlexRequests: ReadonlyArray<{ serviceCode: string; price: number; flexYear?: number; startDate: string }> = [],
): {
  request: AcceptedRequest;
  entitlements: EntitlementBalance[];
  creditBalances: Record<string, number>;
  explanation: Explanation;
} {
  const input = serviceRequestInputSchema.parse(body);
  const explanation: Explanation = isSubjectToRequestWindow(input.serviceCode, catalogue)
    ? assertRequestWindow(effectiveTerm(workOrder), localDateIn(submittedAt, workOrder.host.timeZone), catalogue) // rule REQ-60
    : // Stryker disable next-line all: explanation wording, not a rule
      { text: `${input.serviceCode} is not subject to the request window (REQ-60).`, rules: [] };
  assertDeliveryWithinTerm(effectiveTerm(workOrder), input.startDate, input.days); // rule EXP-1
  // rule PRO-2: remote unless sold on-site, or agreed in writing (and paid for)
  const soldOnSite = deliveryMode(input.serviceCode, false, catalogue) === 'onSite';
  const delivery = input.delivery ?? (soldOnSite ? 'onsite' : 'remote');
  if (delivery === 'onsite' && !soldOnSite && !input.onsiteAgreed)
    throw new RuleViolation('PRO-2', 'On-site delivery must be agreed in writing (onsiteAgreed: true).', 'delivery');
  // rule PRO-3: paid On-demand Assessment help is at most 1 day remote or 2 days on-site
  if (
    input.serviceCode === 'ON_DEMAND_ASSESSMENT' &&
    !isAssessmentHelpWithinLimits(delivery === 'onsite' ? 'onSite' : 'remote', input.days)
  )
    throw new RuleViolation('PRO-3', 'On-demand Assessment help is at most 1 day remote or 2 days on-site.', 'days');
  const location = input.location ?? workOrder.host.country;
  const locations = [workOrder.host.country, ...workOrder.downstream.map((d) => d.country)];
  // rule MN-2: delivered at the Work Order's support locations
  // Stryker disable next-line StringLiteral: any kind but 'reactive' is checked against the locations
  if (!mayDeliverAt('base', location, locations))
    throw new RuleViolation('MN-2', `${location} is not a support location on this Work Order.`, 'location');
  let entitlements = [...workOrder.entitlements];
  let creditBalances = { ...workOrder.creditBalances };
  let quantity = 0;
  const funding: { creditsHeld?: { country: string; credits: number }; flexYear?: number } = {};
  if (input.fundedBy === 'entitlement') {
    quantity = quantityForRequest(input.serviceCode, input.days, catalogue);
    entitlements = reserve(entitlements, input.serviceCode, quantity); // rule ENT-1
  } else if (
    // Stryker disable next-line ConditionalExpression: the schema allows credits only with fundedBy 'credits'
    input.fundedBy === 'credits' &&
    input.credits
  ) {
    const held = decideRedemption(creditBalances, { ...input.credits, serviceCode: input.serviceCode }); // rules CRED-1, CRED-2
    creditBalances = held.balances;
    funding.creditsHeld = { country: input.credits.country, credits: held.deducted };
  } else if (input.fundedBy === 'flex') {
    funding.flexYear = flexYearFor(workOrder, input, openFlexRequests); // rule FLEX-3
  }
  return {
    request: { ...input, status: 'requested', quantity, delivery, location, ...funding },
    entitlements,
    creditBalances,
    explanation,
  };
}

/**
 * rule CANCEL-14: moving a scheduled request's first day fewer than 14 days before its current first day is priced as
 * a cancellation; the request keeps its status. The new dates lie within the term (EXP-1).
 */
export function rescheduleServiceRequest(
  request: { status: ServiceRequestStatus; startDate: string; days: number; price: number },
  startDate: string,
  at: Date,
  workOrder: TermSource & { host: { timeZone: string } },
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { startDate: string; maxCancellationFee: number; daysBeforeStart: number } {
  if (request.status !== 'requested' && request.status !== 'scheduled')
    throw new RuleViolation('SCHED-1', `A ${request.status} service request cannot be rescheduled.`, 'status', 409);
  assertDeliveryWithinTerm(effectiveTerm(workOrder), startDate, request.days); // rule EXP-1
  const daysBeforeStart = calendarDaysBetween(localDateIn(at, workOrder.host.timeZone), request.startDate);
  const late = request.status === 'scheduled' && daysBeforeStart < catalogue.cancellationNoticeDays;
  return { startDate, maxCancellationFee: late ? request.price : 0, daysBeforeStart };
}

/**
 * rule PRO-4: the provider may cancel a scheduled workshop that did not reach its minimum enrolment (no fee). When the
 * caller gives the numbers, an enrolment that reached the minimum refuses it.
 */
export function assertWorkshopMayBeCancelledForEnrolment(
  request: { serviceCode: string; status: ServiceRequestStatus },
  enrolment?: { enrolled: number; minimumEnrolment: number },
): void {
  if (request.serviceCode !== 'WORKSHOP')
    throw new RuleViolation('PRO-4', 'Only a workshop can be cancelled for lack of enrolment.', 'reason');
  if (request.status !== 'scheduled')
    throw new RuleViolation(
      'PRO-4',
      'Only a scheduled workshop can be cancelled for lack of enrolment.',
      'reason',
      409,
    );
  if (enrolment && !mayCancelWorkshopForEnrolment(enrolment.enrolled, enrolment.minimumEnrolment))
    throw new RuleViolation('PRO-4', 'The workshop reached its minimum enrolment.', 'enrolled');
}
