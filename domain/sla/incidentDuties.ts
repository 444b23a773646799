import { RuleViolation } from '../ruleViolation';
import type { PlanCode, Severity } from '../catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';

// Stryker disable all: static wording of the INC-2 levels, built at import (Stryker's vitest runner never activates a mutant there, stryker-js #6144)
/** rule INC-2: the four severity levels (the provider assigns; the customer may ask for a change). */
export const SEVERITY_LEVELS: Readonly<Record<Severity, string>> = {
  '1': 'Critical business system down; business at risk',
  A: 'Critical system degraded; significant loss or impairment',
  B: 'Moderate impact; work continues, impaired',
  C: 'Minor impact',
};
// Stryker restore all

function isTwentyFourSeven(s: Severity): boolean {
  return s === '1' || s === 'A';
}

/**
 * rule INC-4: when the customer cannot provide adequate resources or responses, the severity may be
 * lowered. A 24x7 severity (1, A) drops to B (the customer's 24x7 commitment lapses); B drops to C;
 * C cannot be lowered (null).
 */
export function lowerSeverityForUnresponsiveCustomer(severity: Severity): Severity | null {
  if (isTwentyFourSeven(severity)) return 'B';
  return severity === 'B' ? 'C' : null;
}

/**
 * rule UER-1: under UER, a Senior Incident Manager is assigned automatically to an incident opened at,
 * or raised to, severity 1 or A. `severities` is the incident's severity history, oldest first.
 */
export function seniorIncidentManagerAssigned(plans: readonly PlanCode[], severities: readonly Severity[]): boolean {
  return plans.includes('UER') && severities.some(isTwentyFourSeven);
}

/** rule UER-2: every Severity 1 incident under UER gets a post-incident review (customer, CSAM, account team). */
export function postIncidentReviewRequired(plans: readonly PlanCode[], severities: readonly Severity[]): boolean {
  return plans.includes('UER') && severities.includes('1');
}

export interface RsmEngagement {
  readonly escalation: 'automatic' | 'onRequest';
  readonly hours: '24x7' | 'businessHours';
  readonly statusUpdates: boolean;
  readonly actionPlan: boolean;
}

/** rule RSM-1: automatic extended escalation for 1 and A; on request in business hours for B and C. */
export function reactiveSupportManagement(severity: Severity): RsmEngagement {
  return isTwentyFourSeven(severity)
    ? { escalation: 'automatic', hours: '24x7', statusUpdates: true, actionPlan: true }
    : { escalation: 'onRequest', hours: 'businessHours', statusUpdates: false, actionPlan: false };
}

/** rule REDE-1: the Reactive EDE engineer joins Severity 1 and A incidents; others on request. Targets are unchanged. */
export function redeJoinsAutomatically(severity: Severity): boolean {
  return isTwentyFourSeven(severity);
}

export interface RcaAnswer {
  readonly status: 'requested';
  readonly available: boolean;
  readonly extraCostMayApply: boolean;
  readonly customerMustSupply: readonly string[];
}

/** rule RCA-2: whether RCA is available for a technology and whether extra cost may apply (no add-on needed). */
export function rcaAvailability(technology: string | undefined, catalogue: CatalogueEdition = DEFAULT_CATALOGUE) {
  const available = !catalogue.rca.technologiesWithoutRca.some((listed) => listed === technology);
  return {
    available,
    extraCostMayApply: catalogue.rca.extraCostMayApply,
    customerMustSupply: ['logs', 'network traces', 'other diagnostics'] as const,
  };
}

/**
 * rule RCA-1 (and UER-3): an RCA may be requested only before the incident is closed. A request after
 * closure (by status, or by a request time at/after `closedAt`) is a state conflict (409).
 */
export function decideRcaRequest(
  incident: { status: 'open' | 'closed'; closedAt?: string | null; technology?: string },
  requestedAt: string,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): RcaAnswer {
  // Stryker disable next-line ConditionalExpression: without a closing time Date.parse gives NaN, which no time reaches
  const closedBefore = incident.closedAt != null && Date.parse(requestedAt) >= Date.parse(incident.closedAt);
  if (incident.status === 'closed' || closedBefore) {
    throw new RuleViolation(
      'RCA-1',
      // Stryker disable next-line StringLiteral: error wording, not a rule
      'A root cause analysis must be requested before the incident is closed.',
      'requestedAt',
      409,
    );
  }
  const availability = rcaAvailability(incident.technology, catalogue); // rule RCA-2
  if (!availability.available) {
    // Stryker disable next-line StringLiteral: error wording, not a rule
    const detail = `Root cause analysis is not available for ${incident.technology}.`;
    throw new RuleViolation('RCA-2', detail, 'technology');
  }
  return { status: 'requested', ...availability };
}
