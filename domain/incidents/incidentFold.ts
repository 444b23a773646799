import { BusinessCalendar, toZonedIso, type BusinessCalendarDefinition } from '../calendar/businessCalendar';
import type { PlanCode, Severity } from '../catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import {
  clockFor,
  decideResponseTimeliness,
  firstResponseTarget,
  isFirstResponse,
  pendingFirstResponse,
  type FirstResponseState,
  type IncidentFacts,
  type TargetCause,
} from '../sla/firstResponse';
import type { RecomputationEntry } from '../explanation';
import {
  lowerSeverityForUnresponsiveCustomer,
  postIncidentReviewRequired,
  reactiveSupportManagement,
  redeJoinsAutomatically,
  seniorIncidentManagerAssigned,
} from '../sla/incidentDuties';
import { WARNING_SHARE, type ChangeEntry, type Incident, type IncidentContext } from './incident';
import type { TicketEvent, TicketEventType } from './ticketEvent';

/**
 * rule RESP-LATE: an incident is the fold of its events. Its state is what applying every accepted event in
 * `occurredAt` order (ties: `eventId`) gives; this module is the one place that decides it. Ingestion keeps the
 * events and calls `arrive` for each new one; reads list what each event did (`foldIncident(...).steps`).
 */

/** An event kept with its incident: as validated, when it was received, and the message that carried it. */
export interface KeptEvent {
  readonly event: TicketEvent;
  readonly receivedAt: string;
  readonly messageId: string;
}

/** What one event did at its place in occurredAt order (api-contract `events` on the incident). */
export interface FoldStep {
  readonly eventId: string;
  readonly type: TicketEventType;
  readonly occurredAt: string;
  readonly receivedAt: string;
  readonly effect: 'applied' | 'ignored';
  /** Why it was ignored, or why applying it changed nothing. */
  readonly reason?: string;
  readonly rule?: string;
  /** What it changed, as timeline entries; empty when it changed nothing. */
  readonly changes: readonly ChangeEntry[];
  /** The first-response target after it (null before the incident opened): which event moved the due time. */
  readonly firstResponse: FirstResponseState | null;
}

/** The incident as its events make it: no RCA request and no breach recorded by the due timer (those are not events). */
export type FoldedIncident = Omit<Incident, 'rca'>;

export interface Fold {
  /** null while no IncidentOpened applies (the events are held). */
  readonly incident: FoldedIncident | null;
  readonly steps: readonly FoldStep[];
}

/** The context an incident keeps from its opening (RESP-LATE: the calendar in force when it opened), storable. */
export interface OpenContextSnapshot {
  readonly openerEventId: string;
  readonly openerOccurredAt: string;
  readonly coverage: { plans: PlanCode[]; aemWindows: Array<{ from: string; to: string }> };
  readonly calendar: BusinessCalendarDefinition;
  /** rule REDE-1 */
  readonly designatedEngineer?: boolean;
}

// Stryker disable all: the wording of reasons and timeline details, not a rule (what applies is decided below)
/** The wording of the fold's reasons and timeline details. */
const wording = {
  notOpen: () => 'The incident was not open when this event occurred.',
  alreadyOpened: (i: FoldedIncident) => `The incident was already opened at ${i.openedAt} (event ${i.openedBy}).`,
  closed: (i: FoldedIncident, type: TicketEventType) =>
    `The incident was closed at ${i.closedAt ?? i.openedAt}; a ${type} cannot apply.`,
  notClosed: () => 'The incident was not closed, so it cannot be reopened.',
  sameSeverity: (severity: Severity) => `Severity ${severity} was already in force.`,
  lowest: () => 'Severity C cannot be lowered further.',
  automated: () => 'An automated acknowledgement does not stop the clock.',
  answered: (at: string) => `The first response was already given at ${at}.`,
  responded: (at: string, dueAt: string, state: string) => `First response at ${at} (due ${dueAt}): ${state}.`,
  closedAt: (at: string) => `Closed at ${at}.`,
  reopenedAt: (at: string) => `Reopened at ${at}.`,
  review: () => 'A post-incident review with the customer, CSAM and account team is required.',
  engineerJoins: (severity: Severity) =>
    `The Reactive EDE designated engineer joins this severity ${severity} incident (the response target is unchanged).`,
  opened: (incidentId: string, severity: Severity, fr: FirstResponseState) =>
    `Incident ${incidentId} (severity ${severity}): first response due ${fr.dueAt} under ${fr.plan} (${fr.targetMinutes} min, ${fr.clock}).`,
  managerAssigned: () => 'Senior Incident Manager assigned.',
  managerAssignedOnRaise: () => 'Senior Incident Manager assigned after a raise to severity 1 or A.',
  escalationStarted: () => 'Extended escalation started with status updates and an action plan.',
  escalationStartedOnRaise: () => 'Extended escalation started.',
  severityChanged: (from: Severity, to: Severity, fr: FirstResponseState) =>
    `Severity ${from} → ${to}; first response due ${fr.dueAt} (${fr.state}).`,
};
// Stryker restore all

/** Fold order (RESP-LATE): occurredAt, ties broken by eventId. */
export function compareEvents(
  a: Pick<TicketEvent, 'occurredAt' | 'eventId'>,
  b: Pick<TicketEvent, 'occurredAt' | 'eventId'>,
): number {
  const byTime = Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
  if (byTime !== 0) return byTime;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** The context of the IncidentOpened with this eventId: coverage and calendar as they stood when it opened. */
export type OpenerContext = (openerEventId: string) => IncidentContext;

/** The fold itself: every kept event applied in order, from nothing. */
export function foldIncident(events: readonly KeptEvent[], contextFor: OpenerContext): Fold {
  const sorted = [...events].sort((a, b) => compareEvents(a.event, b.event));
  let incident: FoldedIncident | null = null;
  const steps: FoldStep[] = [];
  for (const kept of sorted) {
    const next = applyAtPlace(incident, kept, contextFor);
    incident = next.incident;
    steps.push(next.step);
  }
  return { incident, steps };
}

/** One event applied to the state that the events before it in fold order gave. */
export function applyAtPlace(
  incident: FoldedIncident | null,
  kept: KeptEvent,
  contextFor: OpenerContext,
): { incident: FoldedIncident | null; step: FoldStep } {
  const { event } = kept;
  const done = (
    next: FoldedIncident | null,
    outcome: { effect: 'applied' | 'ignored'; reason?: string; rule?: string; changes?: ChangeEntry[] },
  ) => ({
    incident: next,
    step: {
      eventId: event.eventId,
      type: event.type,
      occurredAt: event.occurredAt,
      receivedAt: kept.receivedAt,
      effect: outcome.effect,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.rule ? { rule: outcome.rule } : {}),
      changes: outcome.changes ?? [],
      firstResponse: next?.firstResponse ?? null,
    },
  });
  const ignored = (reason: string) => done(incident, { effect: 'ignored', reason, rule: 'RESP-LATE' });
  const unchanged = (reason: string, rule: string) => done(incident, { effect: 'applied', reason, rule });

  if (incident === null) {
    if (event.type !== 'IncidentOpened') return ignored(wording.notOpen());
    const opened = open(event, contextFor(event.eventId));
    return done(opened.incident, { effect: 'applied', changes: opened.changes });
  }
  // Guards RESP-LATE names: a second opening, any change while closed (so anything after the final Closed).
  if (event.type === 'IncidentOpened') return ignored(wording.alreadyOpened(incident));
  if (incident.status === 'closed' && event.type !== 'Reopened') return ignored(wording.closed(incident, event.type));

  switch (event.type) {
    case 'SeverityChanged': {
      const severity = event.severity!;
      if (severity === incident.severity) return unchanged(wording.sameSeverity(severity), 'RESP-SEVCHG');
      const next = withSeverity(incident, severity, 'RESP-SEVCHG', contextFor, event);
      return done(next.incident, { effect: 'applied', changes: next.changes });
    }
    case 'CustomerUnresponsive': {
      const lowered = lowerSeverityForUnresponsiveCustomer(incident.severity); // rule INC-4
      if (lowered === null) return unchanged(wording.lowest(), 'INC-4');
      const next = withSeverity(incident, lowered, 'INC-4', contextFor, event);
      return done(next.incident, { effect: 'applied', changes: next.changes });
    }
    case 'FirstResponse': {
      if (!isFirstResponse({ automated: event.automated === true })) return unchanged(wording.automated(), 'INC-3');
      const fr = incident.firstResponse;
      if (fr.respondedAt !== null) return unchanged(wording.answered(fr.respondedAt), 'INC-3');
      // RESP-LATE: judged against the due time in force when it occurred, whenever it arrives.
      const state = decideResponseTimeliness(fr.dueAt, event.occurredAt);
      const firstResponse: FirstResponseState = { ...fr, respondedAt: event.occurredAt, state };
      return done(
        { ...incident, firstResponse },
        {
          effect: 'applied',
          changes: [
            {
              kind: state === 'met' ? 'firstResponseMet' : 'firstResponseLate',
              rule: 'INC-3',
              detail: wording.responded(event.occurredAt, fr.dueAt, state),
            },
          ],
        },
      );
    }
    case 'Closed':
      return done(
        { ...incident, status: 'closed', closedAt: event.occurredAt },
        {
          effect: 'applied',
          changes: [
            { kind: 'incidentClosed', detail: wording.closedAt(event.occurredAt) },
            ...(incident.postIncidentReviewRequired
              ? [
                  {
                    kind: 'postIncidentReviewRequired',
                    rule: 'UER-2',
                    detail: wording.review(),
                  },
                ]
              : []),
          ],
        },
      );
    case 'Reopened':
      if (incident.status === 'open') return ignored(wording.notClosed());
      return done(
        { ...incident, status: 'open', closedAt: null },
        { effect: 'applied', changes: [{ kind: 'incidentReopened', detail: wording.reopenedAt(event.occurredAt) }] },
      );
  }
}

function warningAtFor(
  firstResponse: FirstResponseState,
  severity: Severity,
  openedAt: string,
  calendar: BusinessCalendar,
): string {
  const clock = clockFor(severity, calendar); // rule INC-5
  const minutes = Math.floor(firstResponse.targetMinutes * WARNING_SHARE);
  return toZonedIso(clock.addMinutes(new Date(openedAt), minutes), calendar.timeZone);
}

function duties(plans: readonly PlanCode[], history: readonly Severity[], severity: Severity) {
  return {
    seniorIncidentManagerAssigned: seniorIncidentManagerAssigned(plans, history), // rule UER-1
    postIncidentReviewRequired: postIncidentReviewRequired(plans, history), // rule UER-2
    rsmEscalation: reactiveSupportManagement(severity).escalation, // rule RSM-1
  };
}

/** rule REDE-1: the designated engineer joins; the response target is unchanged. */
function designatedEngineerJoins(severity: Severity): ChangeEntry {
  return {
    kind: 'designatedEngineerJoins',
    rule: 'REDE-1',
    detail: wording.engineerJoins(severity),
  };
}

/** An IncidentOpened event becomes an incident with its first-response target (RESP-PICK, INC-5). */
function open(event: TicketEvent, context: IncidentContext): { incident: FoldedIncident; changes: ChangeEntry[] } {
  const facts: IncidentFacts = {
    severity: event.severity!,
    product: event.product!,
    channel: event.channel!,
    description: event.description ?? '',
    location: event.location!,
    openedAt: event.occurredAt,
    ...(event.cloud ? { cloud: event.cloud } : {}),
  };
  const { firstResponse, applicablePlans } = pendingTarget(facts, event.severity!, context, {
    at: event.occurredAt,
    cause: 'IncidentOpened',
    eventId: event.eventId,
    rule: 'RESP-PICK',
  });
  const severity = event.severity!;
  const incident: FoldedIncident = {
    incidentId: event.incidentId,
    workOrderId: event.workOrderId,
    severity,
    status: 'open',
    openedAt: event.occurredAt,
    closedAt: null,
    coverage: [...applicablePlans],
    firstResponse,
    warningAt: warningAtFor(firstResponse, event.severity!, event.occurredAt, context.calendar),
    ...duties(applicablePlans, [severity], severity),
    facts,
    severityHistory: [severity],
    openedBy: event.eventId,
  };
  const changes: ChangeEntry[] = [
    {
      kind: 'incidentOpened',
      rule: 'RESP-PICK',
      detail: wording.opened(incident.incidentId, severity, firstResponse),
    },
  ];
  if (incident.seniorIncidentManagerAssigned)
    changes.push({ kind: 'seniorIncidentManagerAssigned', rule: 'UER-1', detail: wording.managerAssigned() });
  if (context.designatedEngineer && redeJoinsAutomatically(severity)) changes.push(designatedEngineerJoins(severity));
  if (incident.rsmEscalation === 'automatic')
    changes.push({
      kind: 'rsmEscalationStarted',
      rule: 'RSM-1',
      detail: wording.escalationStarted(),
    });
  return { incident, changes };
}

/**
 * rule RESP-SEVCHG: a new severity recomputes a target not yet answered from the open time, on the context the
 * incident keeps; a response already given stays judged where it fell (met stays met, a late one stays late).
 */
function withSeverity(
  incident: FoldedIncident,
  severity: Severity,
  rule: string,
  contextFor: OpenerContext,
  event: TicketEvent,
): { incident: FoldedIncident; changes: ChangeEntry[] } {
  let { firstResponse, warningAt } = incident;
  if (firstResponse.respondedAt === null) {
    const context = contextFor(incident.openedBy);
    // the explanation's history: which event moved the due time, after the ones before it
    const cause = { at: event.occurredAt, cause: event.type, eventId: event.eventId, rule };
    firstResponse = pendingTarget(
      incident.facts,
      severity,
      context,
      cause,
      firstResponse.explanation?.history,
    ).firstResponse;
    warningAt = warningAtFor(firstResponse, severity, incident.openedAt, context.calendar);
  }
  const severityHistory = [...incident.severityHistory, severity];
  const next: FoldedIncident = {
    ...incident,
    severity,
    severityHistory,
    firstResponse,
    warningAt,
    ...duties(incident.coverage, severityHistory, severity),
  };
  const changes: ChangeEntry[] = [
    {
      kind: 'severityChanged',
      rule,
      detail: wording.severityChanged(incident.severity, severity, firstResponse),
    },
  ];
  if (next.seniorIncidentManagerAssigned && !incident.seniorIncidentManagerAssigned)
    changes.push({
      kind: 'seniorIncidentManagerAssigned',
      rule: 'UER-1',
      detail: wording.managerAssignedOnRaise(),
    });
  if (next.rsmEscalation === 'automatic' && incident.rsmEscalation !== 'automatic')
    changes.push({ kind: 'rsmEscalationStarted', rule: 'RSM-1', detail: wording.escalationStartedOnRaise() });
  // rule REDE-1: once per incident, at its first severity 1 or A
  if (
    contextFor(incident.openedBy).designatedEngineer &&
    redeJoinsAutomatically(severity) &&
    !incident.severityHistory.some(redeJoinsAutomatically)
  )
    changes.push(designatedEngineerJoins(severity));
  return { incident: next, changes };
}

/** A pending target under a severity, counted from the open time (RESP-PICK, INC-5). */
function pendingTarget(
  facts: IncidentFacts,
  severity: Severity,
  context: IncidentContext,
  cause?: TargetCause,
  history?: readonly RecomputationEntry[],
): { firstResponse: FirstResponseState; applicablePlans: readonly PlanCode[] } {
  const target = firstResponseTarget(
    { ...facts, severity },
    context.coverage,
    context.calendar,
    context.catalogue ?? DEFAULT_CATALOGUE,
  );
  return { firstResponse: pendingFirstResponse(target, cause, history), applicablePlans: target.applicablePlans };
}

/** The context an opening leaves the incident with, in a form that can be stored. */
export function snapshotContext(opener: TicketEvent, context: IncidentContext): OpenContextSnapshot {
  const opened = Date.parse(opener.occurredAt);
  return {
    openerEventId: opener.eventId,
    openerOccurredAt: opener.occurredAt,
    coverage: {
      plans: [...context.coverage.plans],
      // Only a window around the opening matters (AEM-6), so only those are kept.
      // Stryker disable next-line ArrayDeclaration: a default element has no from/to and lies around no opening
      aemWindows: (context.coverage.aemWindows ?? []).filter(
        (w) => opened >= Date.parse(w.from) && opened < Date.parse(w.to),
      ),
    },
    calendar: context.calendar.definition,
    ...(context.designatedEngineer ? { designatedEngineer: true } : {}),
  };
}

export function contextFromSnapshot(
  snapshot: OpenContextSnapshot,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): IncidentContext {
  return {
    coverage: snapshot.coverage,
    calendar: calendarOf(snapshot.calendar),
    catalogue,
    ...(snapshot.designatedEngineer ? { designatedEngineer: true } : {}),
  };
}

/** Calendars rebuilt from snapshots, memoised (a calendar caches its days; building one costs more than using it). */
const calendars = new Map<string, BusinessCalendar>();
const MAX_CALENDARS = 256;

function calendarOf(definition: BusinessCalendarDefinition): BusinessCalendar {
  const key = JSON.stringify(definition);
  let calendar = calendars.get(key);
  // Stryker disable next-line ConditionalExpression: a calendar built again from the same definition is an equal calendar
  if (!calendar) {
    calendar = new BusinessCalendar(definition);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: when the memo evicts only costs time
    if (calendars.size >= MAX_CALENDARS) calendars.delete(calendars.keys().next().value!);
    calendars.set(key, calendar);
  }
  return calendar;
}
