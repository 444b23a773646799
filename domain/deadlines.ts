import { DateTime } from 'luxon';
import { aemPhaseDates } from './aem/aemBooking';
import type { AemBookingRecord } from './aem/aemRecord';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from './catalogue/serviceCatalogue';
import type { CyberEngagementRecord } from './cyber/cyberRecord';
import { spokenDate, type Explanation } from './explanation';
import { WARNING_SHARE, type Incident } from './incidents/incident';
import { workOrderLifecycleSchedule } from './workOrder/lifecycleSchedule';
import { requestWindowDecision } from './workOrder/requests';
import { effectiveTerm } from './workOrder/term';
import type { WorkOrderView } from './workOrder/workOrderView';

export type DeadlineResource = 'workOrder' | 'incident' | 'aemEvent' | 'cyberEngagement';

/** One dated promise of a Work Order (GET /api/work-orders/{id}/deadlines). */
export interface Deadline {
  /** ISO 8601 instant with the offset of the zone it is kept in. */
  readonly at: string;
  readonly kind: string;
  /** The resource's path, e.g. /api/incidents/INC-1. */
  readonly resource: string;
  readonly resourceType: DeadlineResource;
  readonly lifecycleId: string;
  /** `done` (passed and kept), `due` (upcoming), `breached`, `met`, `cancelled`, or the resource's own state. */
  readonly state: string;
  readonly rule: string;
  readonly explanation: Explanation;
  /** A short human label (for lists and the operator page). */
  readonly label: string;
}

export interface DeadlineSources {
  workOrder: WorkOrderView;
  incidents: readonly Incident[];
  aemEvents: readonly AemBookingRecord[];
  cyberEngagements: readonly CyberEngagementRecord[];
  now: Date;
  lifecycleIdOf: (resource: DeadlineResource, id: string) => string;
  catalogue?: CatalogueEdition;
}

// Stryker disable next-line ArrowFunction: static (built at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); checked by hand against test/unit/deadlinesRules.test.ts (REQ-60, CYB-5)
const endOfDay = (date: string, zone: string) =>
  DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toISO({ suppressMilliseconds: true }) as string;

/**
 * Every dated promise of a Work Order across its lifecycles, in time order: the term's REQ-60 window and reminders,
 * flex-year ends and the term end; each incident's opening, 80 % warning, due time and response or breach; each AEM
 * event's phases; each cybersecurity engagement's days, deliverable date and lapse. Each carries the explanation of
 * the function that computed it.
 */
export function workOrderDeadlines(sources: DeadlineSources): Deadline[] {
  const { workOrder: wo, now, lifecycleIdOf } = sources;
  const catalogue = sources.catalogue ?? DEFAULT_CATALOGUE;
  const zone = wo.host.timeZone;
  const past = (at: string) => Date.parse(at) <= now.getTime();
  const out: Deadline[] = [];
  const woResource = `/api/work-orders/${encodeURIComponent(wo.id)}`;
  const woLifecycle = lifecycleIdOf('workOrder', wo.id);
  const woState = (at: string) => (past(at) ? 'done' : 'due');
  const term = effectiveTerm(wo); // a termination's last day ends the term (rules.md section 9)
  const window = requestWindowDecision(term, term.end, catalogue); // rule REQ-60
  // Stryker disable next-line all: explanation wording, not a rule
  const windowText = `The last day to submit proactive and enhanced requests is ${spokenDate(window.lastDate)}, ${catalogue.requestLeadDays} days before the term ends on ${spokenDate(term.end)} (REQ-60).`;
  const closes = endOfDay(window.lastDate, zone);
  out.push({
    at: closes,
    kind: 'requestWindowCloses',
    resource: woResource,
    resourceType: 'workOrder',
    lifecycleId: woLifecycle,
    state: woState(closes),
    rule: 'REQ-60',
    // Stryker disable next-line all: explanation, not a rule decision
    explanation: { text: windowText, rules: ['REQ-60'], inputs: { termEnd: term.end, lastDate: window.lastDate } },
    // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
    label: 'REQ-60 window closes',
  });
  for (const year of workOrderLifecycleSchedule(wo, catalogue)) {
    // Stryker disable next-line all: the period only supplies the explanation
    const period = wo.flexPeriods.find((p) => p.year === year.year);
    for (const event of year.events) {
      const at = DateTime.fromISO(event.at, { zone }).toISO({ suppressMilliseconds: true }) as string;
      // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
      const explanation: Explanation =
        // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
        event.kind === 'flexPeriodEnded'
          ? // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
            (period?.explanation ?? {
              // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
              text: `Flex year ${year.year} ends on ${spokenDate(event.date)}.`,
              // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
              rules: ['FLEX-3'],
              // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
            })
          : // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
            event.kind === 'termEnded'
            ? // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
              {
                // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
                text: `The term ends on ${spokenDate(event.date)}: services not used by then expire (EXP-1).`,
                // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
                rules: ['EXP-1'],
                // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
              }
            : // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
              {
                // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
                text: `Reminder ${event.daysBeforeClose} days before the request window closes. ${windowText}`,
                // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
                rules: ['REQ-60'],
                // Stryker disable next-line all: explanation (wording, the rules and inputs it quotes), not a rule decision
              };
      out.push({
        at,
        kind: event.kind,
        resource: woResource,
        resourceType: 'workOrder',
        lifecycleId: woLifecycle,
        state: woState(at),
        rule: event.rule,
        explanation,
        // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
        label:
          // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
          event.kind === 'flexPeriodEnded'
            ? // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
              `Flex year ${year.year} ends`
            : // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
              event.kind === 'termEnded'
              ? // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
                'Term ends'
              : // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
                `REQ-60 reminder (${event.daysBeforeClose} days)`,
      });
    }
  }
  for (const incident of sources.incidents) out.push(...incidentDeadlines(incident, now, lifecycleIdOf));
  for (const aem of sources.aemEvents) out.push(...aemDeadlines(aem, now, lifecycleIdOf, catalogue));
  for (const cyber of sources.cyberEngagements) out.push(...cyberDeadlines(cyber, now, lifecycleIdOf));
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.resource.localeCompare(b.resource));
}

function incidentDeadlines(incident: Incident, now: Date, lifecycleIdOf: DeadlineSources['lifecycleIdOf']): Deadline[] {
  const fr = incident.firstResponse;
  const resource = `/api/incidents/${encodeURIComponent(incident.incidentId)}`;
  const lifecycleId = lifecycleIdOf('incident', incident.incidentId);
  const explanation: Explanation = fr.explanation ?? {
    // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: explanation wording, not a rule
    text: `First response due ${fr.dueAt} under ${fr.plan} (${fr.targetMinutes} min, ${fr.clock}).`,
    rules: ['RESP-PICK'],
  };
  const rule = explanation.rules[0] ?? 'RESP-PICK';
  const base = { resource, resourceType: 'incident' as const, lifecycleId };
  // Stryker disable next-line StringLiteral: label wording, not a rule
  const who = `${incident.incidentId} (Sev ${incident.severity}, ${fr.plan})`;
  const out: Deadline[] = [
    {
      ...base,
      at: incident.openedAt,
      kind: 'incidentOpened',
      state: incident.status,
      rule: 'INC-1',
      explanation: {
        // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: explanation wording, not a rule
        text: `Incident ${incident.incidentId} opened (severity ${incident.severity}).`,
        rules: ['INC-1'],
      },
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
      label: `${who} opened`,
    },
    {
      ...base,
      at: incident.warningAt,
      kind: 'firstResponseWarning',
      state: fr.state !== 'pending' ? fr.state : Date.parse(incident.warningAt) <= now.getTime() ? 'warned' : 'due',
      rule,
      explanation: {
        ...explanation,
        // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator,ArithmeticOperator: explanation wording, not a rule
        text: `A warning goes out at ${WARNING_SHARE * 100} % of the ${fr.targetMinutes}-minute target, on the target's own clock. ${explanation.text}`,
      },
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
      label: `${who} 80 % warning`,
    },
    {
      ...base,
      at: fr.dueAt,
      kind: fr.state === 'breached' ? 'firstResponseBreached' : 'firstResponseDue',
      state: fr.state === 'pending' ? (Date.parse(fr.dueAt) <= now.getTime() ? 'breached' : 'due') : fr.state,
      rule,
      explanation,
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
      label: `${who} first response ${fr.state === 'breached' ? 'breached' : 'due'}`,
    },
  ];
  if (fr.respondedAt)
    out.push({
      ...base,
      at: fr.respondedAt,
      kind: 'firstResponded',
      state: fr.state,
      rule: 'RESP-LATE',
      explanation: {
        // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: explanation wording, not a rule
        text: `First response at ${fr.respondedAt}, due ${fr.dueAt}: ${fr.state} (RESP-LATE: the time it occurred decides).`,
        rules: ['RESP-LATE', 'INC-3'],
      },
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
      label: `${who} responded (${fr.state})`,
    });
  return out;
}

function aemDeadlines(
  aem: AemBookingRecord,
  now: Date,
  lifecycleIdOf: DeadlineSources['lifecycleIdOf'],
  catalogue: CatalogueEdition,
): Deadline[] {
  const explanation = aem.phases.explanation ?? aemPhaseDates(aem, aem.timeZone, catalogue).explanation!;
  const base = {
    resource: `/api/aem-events/${encodeURIComponent(aem.id)}`,
    resourceType: 'aemEvent' as const,
    lifecycleId: lifecycleIdOf('aemEvent', aem.id),
    explanation,
  };
  const state = (at: string) =>
    aem.phase === 'cancelled' ? 'cancelled' : Date.parse(at) <= now.getTime() ? 'done' : 'due';
  return [
    {
      at: aem.phases.assessment.from,
      kind: 'aemAssessment',
      rule: 'AEM-5',
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
      label: `AEM ${aem.solutionName} assessment`,
    },
    {
      at: aem.phases.live.from,
      kind: 'aemLive',
      rule: 'AEM-6',
      // Stryker disable next-line StringLiteral: label wording, not a rule
      label: `AEM ${aem.solutionName} live`,
    },
    {
      at: aem.phases.live.to,
      kind: 'aemPostEvent',
      rule: 'AEM-7',
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
      label: `AEM ${aem.solutionName} post-event summary`,
    },
  ].map((d) => ({ ...base, ...d, state: state(d.at) }));
}

function cyberDeadlines(
  cyber: CyberEngagementRecord,
  now: Date,
  lifecycleIdOf: DeadlineSources['lifecycleIdOf'],
): Deadline[] {
  const base = {
    resource: `/api/cyber-engagements/${encodeURIComponent(cyber.id)}`,
    resourceType: 'cyberEngagement' as const,
    lifecycleId: lifecycleIdOf('cyberEngagement', cyber.id),
  };
  const ended = cyber.status === 'lapsed' || (cyber.status as string) === 'cancelled';
  const state = (at: string, delivered = false) =>
    delivered
      ? 'done'
      : ended && Date.parse(at) > now.getTime()
        ? 'cancelled'
        : Date.parse(at) <= now.getTime()
          ? 'done'
          : 'due';
  const schedule: Explanation = cyber.explanation?.schedule ?? {
    // Stryker disable next-line StringLiteral: explanation wording, not a rule
    text: 'Engagement day (CYB-4).',
    rules: ['CYB-4'],
  };
  const deliverables: Explanation = cyber.explanation?.deliverables ?? {
    // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: explanation wording, not a rule
    text: `Deliverables due by ${cyber.deliverablesDueBy} (CYB-5).`,
    rules: ['CYB-5'],
  };
  const days: Deadline[] = cyber.schedule.map((day, i) => ({
    ...base,
    at: day.from,
    kind: 'cyberDay',
    state: state(day.to, cyber.deliveredDates.includes(day.date)),
    rule: 'CYB-4',
    explanation: schedule,
    // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator,ArithmeticOperator: label wording, not a rule
    label: `${cyber.offering} day ${i + 1}`,
  }));
  const dueBy = endOfDay(cyber.deliverablesDueBy, cyber.timeZone);
  const lapses = endOfDay(cyber.obligationLapsesOn, cyber.timeZone);
  return [
    ...days,
    {
      ...base,
      at: dueBy,
      kind: 'cyberDeliverablesDue',
      state: state(dueBy),
      rule: 'CYB-5',
      explanation: deliverables,
      // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
      label: `${cyber.offering} deliverables due`,
    },
    ...(lapses !== dueBy
      ? [
          {
            ...base,
            at: lapses,
            kind: 'cyberObligationLapses',
            state: state(lapses),
            rule: 'CYB-5',
            explanation: deliverables,
            // Stryker disable next-line StringLiteral,ConditionalExpression,EqualityOperator,LogicalOperator: label wording, not a rule
            label: `${cyber.offering} obligation lapses`,
          },
        ]
      : []),
  ];
}
