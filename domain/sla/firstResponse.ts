import { z } from 'zod';
import { longText, text } from '../input';
import {
  CONTINUOUS_CLOCK,
  toZonedIso,
  type BusinessCalendar,
  type CalendarWalk,
  type SlaClock,
} from '../calendar/businessCalendar';
import {
  localParts,
  spokenDay,
  spokenInstant,
  spokenList,
  spokenMinutes,
  zonedIso,
  type Explanation,
  type RecomputationEntry,
} from '../explanation';
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

// Stryker disable all: static (schemas built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144; a hand-made `offset: true` → `{}` fails 18 tests)
const instant = z.iso.datetime({ offset: true });

/** rule INC-1: incidents arrive by phone, web, e-mail or the cloud portal. */
export const channelSchema = z.enum(['phone', 'web', 'email', 'azurePortal']);
export type Channel = z.infer<typeof channelSchema>;

export const cloudSchema = z.enum(['AzurePublic', 'AzureGovernment', 'AzureChina']);
export type Cloud = z.infer<typeof cloudSchema>;

export const productSchema = z.object({ family: text().min(1), service: text().min(1) }).strict();

/** What the SLA needs to know about an incident (a subset of the IncidentOpened message). */
export const incidentFactsSchema = z
  .object({
    severity: severitySchema,
    product: productSchema,
    channel: channelSchema,
    description: longText().default(''),
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
// Stryker restore all
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
  /** Why the target is what it is (api-contract "Explanations"). */
  readonly explanation: Explanation;
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
  /** Why `dueAt` is what it is, with the history of its recomputations (absent on incidents stored before). */
  readonly explanation?: Explanation;
}

function normalise(name: string): string {
  return name.trim().toLowerCase();
}

function isAzureComponent(facts: z.output<typeof incidentFactsSchema>, row: PlanTargets): boolean {
  if (normalise(facts.product.family) !== 'azure') return false;
  if (row.excludedClouds.some((cloud) => cloud === facts.cloud)) return false; // rule RESP-X2
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
  /** Only when asked for (`explain: true`): the hot path stays free of it. */
  readonly explanation?: Explanation;
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
  options: { explain?: boolean } = {},
): FirstResponseDue {
  const plans = applicablePlansOf(facts, coverage, catalogue);
  const candidates = plans
    .map((plan) => candidateFor(plan, facts, catalogue))
    .filter((c): c is TargetCandidate => c !== null);
  // every Work Order holds the Base package (BUY-1): it is the fallback when coverage names nothing else
  if (candidates.length === 0) {
    const base = candidateFor('BASE', facts, catalogue);
    // Stryker disable next-line ConditionalExpression: the Base row has a target for every severity and product
    if (base) candidates.push(base);
  }
  // rule RESP-PICK: the fastest applicable target wins; candidates come in PLAN_ORDER, so a strict `<` leaves a tie
  // to the plan listed first
  const winner = candidates.reduce((best, c) => (c.targetMinutes < best.targetMinutes ? c : best));
  const opened = Date.parse(facts.openedAt);
  // rule INC-5: 24x7 for 1 and A, business hours for B and C
  const kind = clockKindFor(facts.severity);
  const walk: CalendarWalk | undefined = options.explain ? { counted: [], skipped: [] } : undefined;
  const dueFor = (minutes: number, w?: CalendarWalk) =>
    kind === '24x7' ? opened + minutes * 60_000 : calendar.addMs(opened, minutes * 60_000, w);
  const dueAtMs = dueFor(winner.targetMinutes, walk);
  const due = {
    plan: winner.plan,
    targetMinutes: winner.targetMinutes,
    clock: kind,
    dueAtMs,
    applicablePlans: plans,
    candidates,
  };
  if (!walk) return due;
  const zone = calendar.timeZone;
  // every covering plan once, under its own name (a plan whose cell is "as Base" shows the Base target)
  const listed = plans
    .map((plan) => ({ plan, candidate: candidateFor(plan, facts, catalogue) }))
    .filter((c): c is { plan: PlanCode; candidate: TargetCandidate } => c.candidate !== null);
  if (listed.length === 0) listed.push({ plan: winner.plan, candidate: winner });
  const explained = listed.map(({ plan, candidate }) => ({
    plan,
    targetMinutes: candidate.targetMinutes,
    clock: kind,
    dueAt: zonedIso(dueFor(candidate.targetMinutes), zone),
    rule: candidate.plan === plan ? candidate.rule : `${catalogue.responseTargets[plan].rule} (as Base)`,
    chosen: plan === winner.plan,
  }));
  return { ...due, explanation: explainTarget(facts, calendar, winner, kind, opened, dueAtMs, walk, explained) };
}

// Stryker disable all: explanation wording, not a rule (the plan names and the sentences of the text)
const PLAN_NAMES: Readonly<Record<PlanCode, string>> = {
  BASE: 'Base',
  UER: 'Unified Enhanced Response',
  RAPID_RESPONSE: 'Rapid Response',
  AEM: 'Azure Event Management',
};
// Stryker restore all

/** The explanation of a target, from the walk the calendar made while computing it. */
function explainTarget(
  facts: z.output<typeof incidentFactsSchema>,
  calendar: BusinessCalendar,
  winner: TargetCandidate,
  kind: ClockKind,
  opened: number,
  dueAtMs: number,
  walk: CalendarWalk,
  candidates: NonNullable<Explanation['candidates']>,
): Explanation {
  const zone = calendar.timeZone;
  const iso = (ms: number) => zonedIso(ms, zone);
  // Stryker disable all: explanation wording, not a rule
  const others = candidates.filter((c) => !c.chosen).map((c) => `${PLAN_NAMES[c.plan as PlanCode]} ${c.targetMinutes}`);
  const pick =
    others.length > 0 ? ` It is the fastest of the covering plans (RESP-PICK; also ${spokenList(others)} min).` : '';
  const head = `Severity ${facts.severity} via the ${PLAN_NAMES[winner.plan]} plan`;
  // Stryker restore all
  if (kind === '24x7') {
    return {
      // Stryker disable next-line all: explanation wording, not a rule
      text: `${head}: ${spokenMinutes(winner.targetMinutes)} around the clock (${winner.rule}; INC-5: severity 1 and A run 24x7).${pick} Opened ${spokenInstant(opened, zone)}: due ${spokenInstant(dueAtMs, zone)} (${zone}).`,
      rules: [winner.rule, 'INC-5', 'RESP-PICK'],
      candidates,
      calendar: { location: facts.location, timeZone: zone, hours: '24x7' },
      skipped: [],
    };
  }
  // what the walk counted and skipped, day by day, in time order
  // Stryker disable all: explanation wording, not a rule (the day-by-day sentence of the text)
  const day = (ms: number) => localParts(ms, zone).date;
  const weekday = (ms: number) => localParts(ms, zone).weekday;
  const dayName = (ms: number) => spokenDay(ms, zone);
  const openedDay = day(opened);
  const steps: Array<{ at: number; text: string }> = [];
  const countedByDay = new Map<string, { at: number; ms: number }>();
  for (const c of walk.counted) {
    const entry = countedByDay.get(day(c.from)) ?? { at: c.from, ms: 0 };
    entry.ms += c.to - c.from;
    countedByDay.set(day(c.from), entry);
  }
  for (const [date, { at, ms }] of countedByDay)
    steps.push({
      at,
      text: `${spokenMinutes(ms / 60_000)} ${date === openedDay ? 'that day' : `on ${weekday(at)}`}`,
    });
  for (const s of walk.skipped) {
    if (s.why === 'outsideHours') continue;
    const days: string[] = [];
    // one name per local day the stretch covers (noon steps stay inside a day whatever DST does)
    for (let t = s.from; t < s.to; t = calendar.startOfNextDay(t))
      days.push(s.why === 'weekend' ? weekday(t) : dayName(t));
    steps.push({ at: s.from, text: `${spokenList(days)} skipped${s.name ? ` (${s.name})` : ''}` });
  }
  steps.sort((a, b) => a.at - b.at);
  // Stryker restore all
  const hours = `${calendar.opensAt}-${calendar.closesAt}`;
  return {
    // Stryker disable next-line all: explanation wording, not a rule
    text: `${head}: ${spokenMinutes(winner.targetMinutes, 'business')} (${winner.rule}) on the ${calendar.country} calendar (HOURS-1), ${calendar.opensAt}–${calendar.closesAt} ${zone}; severity B and C count business hours only (INC-5).${pick} Opened ${spokenInstant(opened, zone)}: ${steps.map((s) => s.text).join(', ')}: due ${dayName(dueAtMs)} ${localParts(dueAtMs, zone).time}.`,
    rules: [winner.rule, 'HOURS-1', 'INC-5', 'RESP-PICK'],
    candidates,
    calendar: { location: facts.location, timeZone: zone, hours },
    skipped: walk.skipped.map((s) => ({
      from: iso(s.from),
      to: iso(s.to),
      why: s.why,
      ...(s.name ? { name: s.name } : {}),
    })),
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
  const due = firstResponseDue(incidentFactsSchema.parse(facts), coverageSchema.parse(coverage), calendar, catalogue, {
    explain: true,
  });
  return {
    plan: due.plan,
    targetMinutes: due.targetMinutes,
    clock: due.clock,
    dueAt: toZonedIso(new Date(due.dueAtMs), calendar.timeZone),
    applicablePlans: due.applicablePlans,
    candidates: due.candidates,
    explanation: due.explanation!,
  };
}

/** The event that (re)computed a target, for the explanation's history. */
export interface TargetCause {
  readonly at: string;
  readonly cause: string;
  readonly eventId?: string;
  readonly rule: string;
}

/** A fresh, pending first-response state for a target; `history` continues the earlier recomputations. */
export function pendingFirstResponse(
  target: FirstResponseTarget,
  cause?: TargetCause,
  history: readonly RecomputationEntry[] = [],
): FirstResponseState {
  const entry = cause ? [{ ...cause, dueAt: target.dueAt }] : [];
  return {
    plan: target.plan,
    targetMinutes: target.targetMinutes,
    clock: target.clock,
    dueAt: target.dueAt,
    respondedAt: null,
    state: 'pending',
    explanation: { ...target.explanation, history: [...history, ...entry] },
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
