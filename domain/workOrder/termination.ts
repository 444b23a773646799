import {
  DEFAULT_CATALOGUE,
  serviceEntry,
  type CatalogueEdition,
  type Prerequisite,
  type ServiceCode,
} from '../catalogue/serviceCatalogue';
import { RuleViolation } from '../ruleViolation';
import type { EntitlementBalance } from './entitlements';
import type { WorkOrderView } from './workOrderView';

export interface EndedEntitlement {
  readonly serviceCode: ServiceCode;
  readonly rule: string;
}

/**
 * Which held services end when an agreement ends: DEP-1 dependents (EDE, REDE, Mission Critical,
 * cybersecurity) end with Unified Support; Azure Engineering Direct ends with either Unified Support or
 * Rapid Response (DEP-2).
 */
export function dependentsEndingWith(
  ended: Prerequisite,
  held: readonly ServiceCode[],
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): EndedEntitlement[] {
  return held
    .filter((code) => serviceEntry(code, catalogue).requires.includes(ended)) // rule DEP-1, DEP-2
    .map((code) => ({ serviceCode: code, rule: serviceEntry(code, catalogue).requiresRule ?? 'DEP-1' }));
}

/** Prerequisites a service needs that are not currently held (DEP-1, DEP-2). */
export function missingPrerequisites(
  code: ServiceCode,
  held: ReadonlySet<Prerequisite>,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): Prerequisite[] {
  return serviceEntry(code, catalogue).requires.filter((p) => !held.has(p));
}

/** Throws DEP-1/DEP-2 when a dependent service lacks a current prerequisite. */
export function assertPrerequisites(
  code: ServiceCode,
  held: ReadonlySet<Prerequisite>,
  path: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): void {
  const missing = missingPrerequisites(code, held, catalogue);
  if (missing.length === 0) return;
  const rule = serviceEntry(code, catalogue).requiresRule ?? 'DEP-1';
  const names = missing
    .map((p) => (p === 'UNIFIED_SUPPORT' ? 'a current Unified Support agreement' : 'Rapid Response'))
    .join(' and ');
  throw new RuleViolation(rule, `${code} requires ${names}.`, path);
}

function endBalance(b: EntitlementBalance, on: string, rule: string): EntitlementBalance {
  return b.endsOn <= on ? b : { ...b, endsOn: on, endedBy: rule };
}

/**
 * Terminates a Work Order (rules.md section 9, Termination): `at` is the last day of the shortened term. `at` before
 * `today` (host zone) is malformed (400); after the term, 422 EXP-1; a second termination, or one of a Work Order that
 * has already ended, 409. The status stays `active` with `terminatesOn` until `at` has passed; every entitlement ends
 * on `at`, the DEP-1 and DEP-2 dependents named with their rule in `cascade`; flex periods end with the term (FLEX-3).
 */
export function decideTermination(
  view: WorkOrderView,
  at: string,
  reason: string,
  today: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { workOrder: WorkOrderView; cascade: EndedEntitlement[] } {
  if (view.terminatesOn)
    throw new RuleViolation(
      'EXP-1',
      `This Work Order is already terminated (last day ${view.terminatesOn}).`,
      'at',
      409,
    );
  if (today > view.term.end)
    throw new RuleViolation('EXP-1', `This Work Order expired on ${view.term.end}.`, 'at', 409);
  if (at < today)
    throw new RuleViolation('EXP-1', `The termination date cannot be before today (${today}).`, 'at', 400);
  if (at < view.term.start || at > view.term.end)
    throw new RuleViolation(
      'EXP-1',
      `The termination date must fall within the term (${view.term.start} to ${view.term.end}).`,
      'at',
    );
  const held = view.entitlements.map((e) => e.serviceCode);
  const cascade = dependentsEndingWith('UNIFIED_SUPPORT', held, catalogue);
  const ruleOf = new Map(cascade.map((c) => [c.serviceCode, c.rule]));
  const entitlements = view.entitlements.map((b) => endBalance(b, at, ruleOf.get(b.serviceCode) ?? 'EXP-1'));
  // rule FLEX-3: the flex period holding `at` ends with the term; later ones never begin.
  const begun = view.flexPeriods.filter((p) => p.start <= at);
  // Stryker disable next-line EqualityOperator: a period ending on `at` is the same whether or not its end is set to `at`
  const flexPeriods = begun.map((p) => (p.end > at ? { ...p, end: at } : p));
  return {
    workOrder: { ...view, entitlements, flexPeriods, terminatesOn: at, terminationReason: reason },
    cascade,
  };
}

/**
 * Ends one add-on early: `at` is its last day (from today to the term end). Azure Engineering Direct ends with Rapid
 * Response (DEP-2). A service the Work Order does not hold is ENT-1; one already ended by then is 409.
 */
export function endEntitlement(
  view: WorkOrderView,
  code: ServiceCode,
  at: string,
  today: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): { workOrder: WorkOrderView; cascade: EndedEntitlement[] } {
  const balance = view.entitlements.find((b) => b.serviceCode === code);
  if (!balance) throw new RuleViolation('ENT-1', `This Work Order has no ${code} entitlement.`, 'serviceCode');
  if (at < today || at < view.term.start || at > view.term.end)
    throw new RuleViolation(
      'EXP-1',
      `An add-on ends on a day from today (${today}) to the term end (${view.term.end}).`,
      'at',
    );
  if (balance.endsOn <= at) throw new RuleViolation('EXP-1', `${code} already ends on ${balance.endsOn}.`, 'at', 409);
  const held = view.entitlements.filter((b) => b.endsOn > at).map((e) => e.serviceCode);
  const cascade = code === 'RAPID_RESPONSE' ? dependentsEndingWith('RAPID_RESPONSE', held, catalogue) : []; // rule DEP-2
  const ending = new Map<ServiceCode, string>([
    [code, 'EXP-1'],
    ...cascade.map((c) => [c.serviceCode, c.rule] as const),
  ]);
  const entitlements = view.entitlements.map((b) => {
    const rule = ending.get(b.serviceCode);
    return rule ? endBalance(b, at, rule) : b;
  });
  return { workOrder: { ...view, entitlements }, cascade };
}
