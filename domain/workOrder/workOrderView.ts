import { supportLocationCalendar, type BusinessCalendar } from '../calendar/businessCalendar';
import { isExceptionCountry } from '../catalogue/countries';
import type { PlanCode } from '../catalogue/responseTargets';
import {
  DEFAULT_CATALOGUE,
  isServiceAvailableIn,
  serviceEntry,
  type CatalogueEdition,
  type Prerequisite,
} from '../catalogue/serviceCatalogue';
import { mayRequireSdmHours } from '../catalogue/proactiveTerms';
import { isIncludedInBase, type ServiceCode } from '../catalogue/serviceCatalogue';
import { RuleViolation } from '../ruleViolation';
import { supportLocations, type Contacts, type SupportLocationView } from './contacts';
import { dutiesFor, type Duty } from './duties';
import { assertWholeBlocks, assertWithinMaximum, newBalance, type EntitlementBalance } from './entitlements';
import { flexPeriods, validateFlexAllocations, type FlexPeriod } from './flex';
import { effectiveTerm, lastDayOfTerm, type TermSource } from './term';
import { assertCalendarLocations, overridesAt } from './workOrderCalendar';
import { assertPrerequisites } from './termination';
import {
  entitlementInputSchema,
  purchasedAmount,
  workOrderInputSchema,
  type EntitlementInput,
  type SupportLocation,
  type WorkOrderInput,
} from './workOrderSchema';

export type WorkOrderStatus = 'active' | 'expired' | 'terminated';

/** The stored Work Order (response of POST/GET /api/work-orders). */
export interface WorkOrderView extends Omit<WorkOrderInput, 'entitlements' | 'proactiveCredits'> {
  readonly id: string;
  readonly flexPeriods: readonly FlexPeriod[];
  readonly entitlements: readonly EntitlementBalance[];
  readonly creditBalances: Readonly<Record<string, number>>;
  readonly status: WorkOrderStatus;
  /** The last day of a termination's shortened term; the status stays `active` until that day has passed. */
  readonly terminatesOn: string | null;
  readonly terminationReason?: string;
  /** Customer duties with their state (UER-4, UER-5, GHED-1). */
  readonly duties?: readonly Duty[];
  /** Named contacts (CUST-SSM, CUST-CONTACT, MN-8). */
  readonly contacts?: Contacts;
  /** Support locations with role, invoice group and SSM (BUY-4, MN-1, MN-3, MN-7, MN-8). */
  readonly supportLocations?: readonly SupportLocationView[];
}

/** rule FLEX-2: units of the Work Order's currency per USD (1 for USD). */
function usdRateOf(input: Pick<WorkOrderInput, 'currency' | 'usdRate'>): number {
  return input.currency === 'USD' ? 1 : (input.usdRate ?? 1);
}

/** Prerequisites a Work Order currently holds (for DEP-1, DEP-2). */
function heldPrerequisites(codes: readonly string[]): Set<Prerequisite> {
  const held = new Set<Prerequisite>(['UNIFIED_SUPPORT']); // the Work Order itself is the agreement
  if (codes.includes('RAPID_RESPONSE')) held.add('RAPID_RESPONSE');
  return held;
}

function assertEntitlementAllowed(
  e: EntitlementInput,
  host: SupportLocation,
  held: ReadonlySet<Prerequisite>,
  path: string,
  catalogue: CatalogueEdition,
  alreadyHeld = 0,
): void {
  // rule BUY-5, MN-6: availability per country
  if (!isServiceAvailableIn(e.serviceCode, host.country, catalogue)) {
    throw new RuleViolation(
      e.serviceCode === 'SUPPORT_TECHNOLOGY_ADVISOR' ? 'MN-6' : 'BUY-5',
      `${e.serviceCode} is not available in ${host.country}.`,
      `${path}.serviceCode`,
    );
  }
  assertPrerequisites(e.serviceCode, held, `${path}.serviceCode`, catalogue); // rule DEP-1, DEP-2
  const amount = purchasedAmount(e, catalogue);
  // Stryker disable next-line ConditionalExpression: callers pass only valid entitlements (schema and addEntitlement refuse a string first)
  if (typeof amount === 'number') {
    assertWithinMaximum(e.serviceCode, alreadyHeld + amount, path, catalogue); // rule DEVS-1
    const minDays = serviceEntry(e.serviceCode, catalogue).minDays;
    // rule CYB-2: an engagement lasts at least its minimum days
    // Stryker disable next-line ConditionalExpression: `amount < undefined` is false, as the guard says
    if (minDays !== undefined && amount < minDays)
      throw new RuleViolation('CYB-2', `${e.serviceCode} is bought for at least ${minDays} days.`, `${path}.days`);
    if (minDays !== undefined) assertWholeBlocks(e.serviceCode, amount, minDays, `${path}.days`); // rule CYB-3
  }
}

/**
 * The rule checks of a new Work Order (FLEX-1..4, DEP-1, DEP-2, MN-4, MN-5, MN-6, BUY-5, CYB-2, DEVS-1).
 * Throws the first RuleViolation (422). FLEX-6 forfeiture is not an error: see flexPeriods.
 */
export function validateWorkOrder(input: WorkOrderInput, catalogue: CatalogueEdition = DEFAULT_CATALOGUE): void {
  input.downstream.forEach((d, i) => {
    // rule MN-5: an exception country needs its own Work Order
    if (isExceptionCountry(d.country)) {
      throw new RuleViolation(
        'MN-5',
        `${d.country} is an exception country and needs its own Work Order; it cannot be a Downstream location.`,
        `downstream[${i}].country`,
      );
    }
  });
  const locations = [input.host.country, ...input.downstream.map((d) => d.country)];
  if (input.calendar) assertCalendarLocations(input.calendar, [input.host, ...input.downstream], 'calendar.locations'); // rule HOURS-1, MN-1
  for (const country of Object.keys(input.proactiveCredits)) {
    // rule MN-4: credits belong to the Host and Downstream locations of the Work Order
    if (!locations.includes(country))
      throw new RuleViolation(
        'MN-4',
        `${country} is not a support location on this Work Order.`,
        `proactiveCredits.${country}`,
      );
  }
  validateFlexAllocations(
    input.term,
    input.basePackage.flexAllowancePerYear,
    input.flexAllocations,
    catalogue,
    usdRateOf(input),
  );
  const held = heldPrerequisites(input.entitlements.map((e) => e.serviceCode));
  input.entitlements.forEach((e, i) => assertEntitlementAllowed(e, input.host, held, `entitlements[${i}]`, catalogue));
}

/**
 * rule EXP-1: status on a date — active up to and including the last day of the term (a termination's `at` when
 * set), then terminated or expired.
 */
export function workOrderStatus(view: TermSource, asOf: string): WorkOrderStatus {
  if (asOf <= lastDayOfTerm(view)) return 'active';
  return view.terminatesOn ? 'terminated' : 'expired';
}

/**
 * rule EXP-1: services are used only while the Work Order runs; once it has expired or been terminated (which ends
 * its dependent services too, DEP-1) nothing more is redeemed, requested, booked or delivered against it.
 */
export function assertInForce(view: TermSource, today: string): void {
  const status = workOrderStatus(view, today);
  if (status === 'active') return;
  const when =
    status === 'terminated' ? `was terminated; its last day was ${view.terminatesOn}` : `expired on ${view.term.end}`;
  throw new RuleViolation('EXP-1', `This Work Order ${when}; its services can no longer be used.`, '', 409);
}

/**
 * Parses a WorkOrderRequestBody (zod; structural errors throw ZodError → 400), validates (RuleViolation → 422) and builds the
 * stored view of a new Work Order. `asOf` is today's date in the host zone.
 */
export function acceptWorkOrder(
  body: unknown,
  options: { id: string; asOf: string; catalogue?: CatalogueEdition },
): WorkOrderView {
  const catalogue = options.catalogue ?? DEFAULT_CATALOGUE;
  const input = workOrderInputSchema.parse(body);
  validateWorkOrder(input, catalogue);
  const entitlements = input.entitlements.map((e) =>
    newBalance(e.serviceCode, purchasedAmount(e, catalogue) as number, input.term.end, catalogue),
  );
  const view: WorkOrderView = {
    ...input,
    id: options.id,
    duties: dutiesFor(
      options.id,
      input.term,
      input.entitlements.map((e) => e.serviceCode),
      input.term.start,
      catalogue,
    ),
    supportLocations: supportLocations(input),
    flexPeriods: flexPeriods(
      input.term,
      input.basePackage.flexAllowancePerYear,
      input.flexAllocations,
      catalogue,
      usdRateOf(input),
    ),
    entitlements,
    creditBalances: { ...input.proactiveCredits },
    // Stryker disable next-line StringLiteral: replaced by workOrderStatus on the next line
    status: 'active',
    terminatesOn: null,
  };
  return { ...view, status: workOrderStatus(view, options.asOf) };
}

/** What adding a service during the term did (BUY-2, BUY-3). */
export interface EntitlementAddition {
  readonly workOrder: WorkOrderView;
  readonly serviceCode: ServiceCode;
  readonly amount: number;
  readonly rule: 'BUY-2' | 'BUY-3';
  /** Duties the service brings (UER-4, UER-5, GHED-1). */
  readonly duties: readonly Duty[];
  /** rule SDM-REQ: buying an add-on may require SDM hours; a warning, never a refusal. */
  readonly warnings: ReadonlyArray<{ rule: string; detail: string }>;
}

/**
 * Adds a `+` service during the term (BUY-2 additional services, BUY-3 enhanced services and solutions) with the
 * checks of creation: availability (BUY-5, MN-6), prerequisites held on `on` (DEP-1, DEP-2), a maximum quantity over
 * what is held and added (DEVS-1), minimum days (CYB-2). A ✓ service is in the Base package already (BUY-2 → 422).
 * It expires with the term (EXP-1: endsOn = the term end).
 */
export function addEntitlement(
  view: WorkOrderView,
  input: EntitlementInput,
  on: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): EntitlementAddition {
  const e = entitlementInputSchema.parse(input);
  const entry = serviceEntry(e.serviceCode, catalogue);
  // rule BUY-1, BUY-2: ✓ services are part of the Base package; only + services are added
  if (isIncludedInBase(e.serviceCode, catalogue))
    throw new RuleViolation(
      'BUY-2',
      `${e.serviceCode} is included in the Base package; it cannot be added.`,
      'serviceCode',
    );
  const amount = purchasedAmount(e, catalogue);
  if (typeof amount === 'string') throw new RuleViolation('BUY-2', amount, 'serviceCode');
  // workOrderStatus is 'active' exactly up to the last day of the term
  const active = workOrderStatus(view, on) === 'active' && on >= view.term.start;
  // rule BUY-2, BUY-3, EXP-1: additions only during the term
  if (!active) throw new RuleViolation('EXP-1', 'Services can only be added during the Work Order term.', '', 409);
  const current = view.entitlements.filter((b) => b.endsOn >= on);
  const held = heldPrerequisites(current.map((b) => b.serviceCode));
  const existing = current.find((b) => b.serviceCode === e.serviceCode);
  assertEntitlementAllowed(e, view.host, held, 'entitlement', catalogue, existing?.purchased ?? 0);
  const ended = view.entitlements.find((b) => b.serviceCode === e.serviceCode && b.endsOn < on);
  if (ended)
    throw new RuleViolation(
      'EXP-1',
      `${e.serviceCode} ended on ${ended.endsOn}; it cannot be bought again.`,
      'serviceCode',
      409,
    );
  const entitlements = existing
    ? view.entitlements.map((b) =>
        b === existing ? { ...b, purchased: b.purchased + amount, remaining: b.remaining + amount } : b,
      )
    : [...view.entitlements, newBalance(e.serviceCode, amount, lastDayOfTerm(view), catalogue)];
  // Stryker disable next-line ArrayDeclaration: a default element has no id and matches no duty
  const known = new Set((view.duties ?? []).map((d) => d.id));
  const duties = dutiesFor(view.id, effectiveTerm(view), [e.serviceCode], on, catalogue).filter(
    (d) => !known.has(d.id),
  );
  const warnings =
    mayRequireSdmHours(e.serviceCode, catalogue) && !current.some((b) => b.serviceCode === 'SDM_ADDON')
      ? [
          {
            rule: 'SDM-REQ',
            // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: timeline wording, not a rule
            detail: `Buying ${e.serviceCode} may require adding SDM hours (SDM_ADDON), which this Work Order does not hold.`,
          },
        ]
      : [];
  return {
    workOrder: { ...view, entitlements, duties: [...(view.duties ?? []), ...duties] },
    serviceCode: e.serviceCode,
    amount,
    rule: entry.group === 'enhanced' || entry.group === 'cybersecurity' ? 'BUY-3' : 'BUY-2',
    duties,
    warnings,
  };
}

/**
 * rule EXP-1: after the term (or the termination date) whatever remains of every service expires.
 */
export function expireUnused(view: WorkOrderView, asOf: string): WorkOrderView {
  const entitlements = view.entitlements.map((b) =>
    asOf > b.endsOn && b.remaining > 0
      ? { ...b, expired: b.remaining, remaining: 0, endedBy: b.endedBy ?? 'EXP-1' }
      : b,
  );
  return { ...view, entitlements, status: workOrderStatus(view, asOf) };
}

/** The reactive plans a Work Order holds (BASE always, BUY-1) for the SLA coverage. */
export function coveragePlans(view: Pick<WorkOrderView, 'entitlements'>, on: string): PlanCode[] {
  const held = new Set(view.entitlements.filter((b) => b.endsOn >= on).map((b) => b.serviceCode));
  return (['BASE', 'UER', 'RAPID_RESPONSE', 'AEM'] as const).filter((p) => p === 'BASE' || held.has(p));
}

/** The business-hours calendar of one of the Work Order's support locations (HOURS-1); Host hours for MN-3. */
export function calendarForLocation(
  view: Pick<WorkOrderView, 'host' | 'downstream' | 'calendar'>,
  country: string = view.host.country,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): BusinessCalendar {
  const location = [view.host, ...view.downstream].find((l) => l.country === country);
  if (!location)
    throw new RuleViolation('MN-1', `${country} is not a support location on this Work Order.`, 'location');
  return supportLocationCalendar(location, overridesAt(view.calendar, country), catalogue.locationHours); // rule HOURS-1
}
