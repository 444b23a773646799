import { z } from 'zod';
import { CONTINUOUS_CLOCK, toZonedIso, type BusinessCalendar, type SlaClock } from '../calendar/businessCalendar';
import { countryCodeSchema } from '../catalogue/countries';
import {
  PLAN_ORDER,
  planCodeSchema,
  severitySchema,
  type PlanCode,
  type PlanTargets,
  type Severity,
  type TargetMinutes,
} from '../catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';

const instant = z.iso.datetime({ offset: true });

/** rule INC-1: incidents arrive by phone, web, e-mail or the cloud portal. */
export const channelSchema = z.enum(['phone', 'web', 'email', 'azurePortal']);
export type Channel = z.infer<typeof channelSchema>;

export const cloudSchema = z.enum(['AzurePublic', 'AzureGovernment', 'AzureChina']);
export type Cloud = z.infer<typeof cloudSchema>;

export const productSchema = z.object({ family: z.string().min(1), service: z.string().min(1) }).strict();

/** What the SLA needs to know about an incident (a subset of the IncidentOpened message). */
export const incidentFactsSchema = z
  .object({
    severity: severitySchema,
    product: productSchema,
    channel: channelSchema,
    description: z.string().default(''),
    location: countryCodeSchema,
    openedAt: instant,
    /** Cloud of the affected resource when known (RESP-X2 excludes US Gov clouds from the UER Azure target). */
    cloud: cloudSchema.optional(),
  })
  .strict();
export type IncidentFacts = z.input<typeof incidentFactsSchema>;

/** A Work Order's reactive coverage: the plans it holds and its AEM windows (instants, end exclusive). */
export const coverageSchema = z
  .object({
    plans: z.array(planCodeSchema),
    aemWindows: z.array(z.object({ from: instant, to: instant }).strict()).default([]),
  })
  .strict();
export type Coverage = z.input<typeof coverageSchema>;

export type ClockKind = '24x7' | 'businessHours';

export interface TargetCandidate {
  readonly plan: PlanCode;
  readonly targetMinutes: number;
  readonly rule: string;
  readonly configurableDefault: boolean;
}

export interface FirstResponseTarget {
  /** The winning plan (RESP-PICK). */
  readonly plan: PlanCode;
  readonly targetMinutes: number;
  readonly clock: ClockKind;
  /** ISO 8601 with the support location's offset. */
  readonly dueAt: string;
  /** Every plan that covers the incident. */
  readonly applicablePlans: readonly PlanCode[];
  readonly candidates: readonly TargetCandidate[];
}

export type FirstResponseStateName = 'pending' | 'met' | 'breached';

/** The `firstResponse` object of the incident resource. */
export interface FirstResponseState {
  readonly plan: PlanCode;
  readonly targetMinutes: number;
  readonly clock: ClockKind;
  readonly dueAt: string;
  readonly respondedAt: string | null;
  readonly state: FirstResponseStateName;
}

function normalise(name: string): string {
  return name.trim().toLowerCase();
}

function isAzureComponent(facts: z.output<typeof incidentFactsSchema>, row: PlanTargets): boolean {
  if (normalise(facts.product.family) !== 'azure') return false;
  if (facts.cloud !== undefined && row.excludedClouds.includes(facts.cloud)) return false; // rule RESP-X2
  // rules RESP-X1, RESP-X2, RESP-X3: excluded services do not get the Azure target
  return !row.azureExclusions.some((excluded) => normalise(excluded) === normalise(facts.product.service));
}

const AEM_MARKER = /\bAEM\b/;

/** Plans of the coverage that apply to this incident (RR-1, RESP-X3, AEM-6). */
export function applicablePlans(
  facts: IncidentFacts,
  coverage: Coverage,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): PlanCode[] {
  return applicablePlansOf(incidentFactsSchema.parse(facts), coverageSchema.parse(coverage), catalogue);
}

function applicablePlansOf(
  f: z.output<typeof incidentFactsSchema>,
  c: z.output<typeof coverageSchema>,
  catalogue: CatalogueEdition,
): PlanCode[] {
  const opened = Date.parse(f.openedAt);
  return PLAN_ORDER.filter((plan) => {
    if (!c.plans.includes(plan)) return false;
    switch (plan) {
      case 'BASE':
      case 'UER':
        return true;
      case 'RAPID_RESPONSE':
        // rule RR-1: only via the cloud portal; rule RESP-X3: only covered Azure components
        return f.channel === 'azurePortal' && isAzureComponent(f, catalogue.responseTargets.RAPID_RESPONSE);
      case 'AEM':
        // rule AEM-6: inside an AEM window, via the Azure portal, with "AEM" in the case description
        return (
          f.channel === 'azurePortal' &&
          AEM_MARKER.test(f.description) &&
          c.aemWindows.some((w) => opened >= Date.parse(w.from) && opened < Date.parse(w.to))
        );
    }
  });
}

function candidateFor(
  plan: PlanCode,
  facts: z.output<typeof incidentFactsSchema>,
  catalogue: CatalogueEdition,
): TargetCandidate | null {
  const row = catalogue.responseTargets[plan];
  const cell = row.targets[facts.severity];
  if (cell === 'asBase') return candidateFor('BASE', facts, catalogue); // "as Base"
  const target: TargetMinutes | null = isAzureComponent(facts, row) ? cell.azure : cell.other;
  if (target === null) return null;
  return {
    plan,
    targetMinutes: target.minutes,
    rule: row.rule,
    configurableDefault: target.configurableDefault === true,
  };
}

/** rule INC-5: Severity 1 and A run 24x7; B and C run in business hours. */
export function clockKindFor(severity: Severity): ClockKind {
  return severity === '1' || severity === 'A' ? '24x7' : 'businessHours';
}

export function clockFor(severity: Severity, calendar: BusinessCalendar): SlaClock {
  return clockKindFor(severity) === '24x7' ? CONTINUOUS_CLOCK : calendar; // rule INC-5
}

/** A computed target with the due time as epoch milliseconds (no formatting). */
export interface FirstResponseDue {
  readonly plan: PlanCode;
  readonly targetMinutes: number;
  readonly clock: ClockKind;
  readonly dueAtMs: number;
  readonly applicablePlans: readonly PlanCode[];
  readonly candidates: readonly TargetCandidate[];
}

/**
 * The hot path behind firstResponseTarget, for already-validated input (orchestrations, sweeps, bench):
 * applicable plans, the fastest target (RESP-PICK; ties go to the plan listed first in PLAN_ORDER),
 * its clock (INC-5) and the due instant counted from `openedAt` on the location's calendar.
 */
export function firstResponseDue(
  facts: z.output<typeof incidentFactsSchema>,
  coverage: z.output<typeof coverageSchema>,
  calendar: BusinessCalendar,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): FirstResponseDue {
  const plans = applicablePlansOf(facts, coverage, catalogue);
  const candidates = plans
    .map((plan) => candidateFor(plan, facts, catalogue))
    .filter((c): c is TargetCandidate => c !== null);
  // every Work Order holds the Base package (BUY-1): it is the fallback when coverage names nothing else
  if (candidates.length === 0) {
    const base = candidateFor('BASE', facts, catalogue);
    if (base) candidates.push(base);
  }
  // rule RESP-PICK: the fastest applicable target wins
  const winner = candidates.reduce((best, c) =>
    c.targetMinutes < best.targetMinutes ||
    (c.targetMinutes === best.targetMinutes && PLAN_ORDER.indexOf(c.plan) < PLAN_ORDER.indexOf(best.plan))
      ? c
      : best,
  );
  const opened = Date.parse(facts.openedAt);
  // rule INC-5: 24x7 for 1 and A, business hours for B and C
  const kind = clockKindFor(facts.severity);
  const dueAtMs =
    kind === '24x7' ? opened + winner.targetMinutes * 60_000 : calendar.addMs(opened, winner.targetMinutes * 60_000);
  return {
    plan: winner.plan,
    targetMinutes: winner.targetMinutes,
    clock: kind,
    dueAtMs,
    applicablePlans: plans,
    candidates,
  };
}

/**
 * The first-response target of an incident: the applicable plans, the fastest target among them
 * (RESP-PICK), its clock (INC-5) and due instant (ISO with the location's offset), counted from
 * `openedAt` on the support location's calendar. Validates its input with zod.
 */
export function firstResponseTarget(
  facts: IncidentFacts,
  coverage: Coverage,
  calendar: BusinessCalendar,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): FirstResponseTarget {
  const due = firstResponseDue(incidentFactsSchema.parse(facts), coverageSchema.parse(coverage), calendar, catalogue);
  return {
    plan: due.plan,
    targetMinutes: due.targetMinutes,
    clock: due.clock,
    dueAt: toZonedIso(new Date(due.dueAtMs), calendar.timeZone),
    applicablePlans: due.applicablePlans,
    candidates: due.candidates,
  };
}

/** A fresh, pending first-response state for a target. */
export function pendingFirstResponse(target: FirstResponseTarget): FirstResponseState {
  return {
    plan: target.plan,
    targetMinutes: target.targetMinutes,
    clock: target.clock,
    dueAt: target.dueAt,
    respondedAt: null,
    state: 'pending',
  };
}

export interface FirstResponseEvent {
  readonly occurredAt: string;
  /** Automated acknowledgements never stop the clock (INC-3). */
  readonly automated: boolean;
}

// rule INC-3: only a non-automated contact (phone or e-mail) is a first call response
export function isFirstResponse(event: Pick<FirstResponseEvent, 'automated'>): boolean {
  return !event.automated;
}

/**
 * rule RESP-LATE: `occurredAt` decides. A response at or before `dueAt` meets the target, whenever it
 * arrives; later breaches it.
 */
export function decideResponseTimeliness(dueAt: string, occurredAt: string): 'met' | 'breached' {
  return Date.parse(occurredAt) <= Date.parse(dueAt) ? 'met' : 'breached'; // rule RESP-LATE
}
