import type { BusinessCalendar } from '../calendar/businessCalendar';
import { toZonedIso } from '../calendar/businessCalendar';
import type { PlanCode, Severity } from '../catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import {
  applyFirstResponse,
  clockFor,
  firstResponseTarget,
  pendingFirstResponse,
  recomputeOnSeverityChange,
  type Coverage,
  type FirstResponseState,
  type IncidentFacts,
} from '../sla/firstResponse';
import {
  decideRcaRequest,
  lowerSeverityForUnresponsiveCustomer,
  postIncidentReviewRequired,
  reactiveSupportManagement,
  seniorIncidentManagerAssigned,
} from '../sla/incidentDuties';
import type { TicketEvent } from './ticketEvent';

/** Share of the target after which a warning goes out before a breach. */
export const WARNING_SHARE = 0.8;

export interface RcaRequest {
  status: 'requested';
  requestedAt: string;
  requestedBy: string;
  available: boolean;
  extraCostMayApply: boolean;
  /** rule RCA-2: the customer supplies diagnostics; tracked until received. */
  diagnostics: Array<{ item: string; received: boolean }>;
}

export interface Incident {
  incidentId: string;
  workOrderId: string;
  severity: Severity;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  /** Plans that cover this incident (api-contract `coverage`). */
  coverage: PlanCode[];
  firstResponse: FirstResponseState;
  /** When the 80 % warning falls due, on the target's own clock. */
  warningAt: string;
  seniorIncidentManagerAssigned: boolean;
  postIncidentReviewRequired: boolean;
  rsmEscalation: 'automatic' | 'onRequest';
  rca: RcaRequest | null;
  facts: IncidentFacts;
  severityHistory: Severity[];
  /** occurredAt of the newest severity decision, so an older, late SeverityChanged cannot undo a newer one. */
  severityDecidedAt: string;
}

/** A ticket event that can never apply to the incident as it stands (api-contract: rejected, never retried). */
export class ImpossibleTicketEvent extends Error {
  override readonly name = 'ImpossibleTicketEvent';
}

export interface IncidentContext {
  coverage: Coverage;
  calendar: BusinessCalendar;
  catalogue?: CatalogueEdition;
}

export interface IncidentChange {
  incident: Incident;
  /** Timeline entries describing what changed, oldest first. */
  changes: Array<{ kind: string; rule?: string; detail: string }>;
}

function warningAtFor(
  firstResponse: FirstResponseState,
  openedAt: string,
  calendar: BusinessCalendar,
  severity: Severity,
): string {
  const clock = clockFor(severity, calendar);
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

/** An IncidentOpened event becomes an incident with its first-response target (RESP-PICK, INC-5). */
export function openIncident(event: TicketEvent, context: IncidentContext): IncidentChange {
  if (event.type !== 'IncidentOpened')
    throw new ImpossibleTicketEvent(`Incident ${event.incidentId} is unknown; only IncidentOpened can start it.`);
  const facts: IncidentFacts = {
    severity: event.severity!,
    product: event.product!,
    channel: event.channel!,
    description: event.description ?? '',
    location: event.location!,
    openedAt: event.occurredAt,
    ...(event.cloud ? { cloud: event.cloud } : {}),
  };
  const target = firstResponseTarget(facts, context.coverage, context.calendar, context.catalogue ?? DEFAULT_CATALOGUE);
  const firstResponse = pendingFirstResponse(target);
  const severity = event.severity!;
  const incident: Incident = {
    incidentId: event.incidentId,
    workOrderId: event.workOrderId,
    severity,
    status: 'open',
    openedAt: event.occurredAt,
    closedAt: null,
    coverage: [...target.applicablePlans],
    firstResponse,
    warningAt: warningAtFor(firstResponse, event.occurredAt, context.calendar, severity),
    ...duties(target.applicablePlans, [severity], severity),
    rca: null,
    facts,
    severityHistory: [severity],
    severityDecidedAt: event.occurredAt,
  };
  const changes = [
    {
      kind: 'incidentOpened',
      rule: 'RESP-PICK',
      detail: `Incident ${incident.incidentId} (severity ${severity}): first response due ${firstResponse.dueAt} under ${firstResponse.plan} (${firstResponse.targetMinutes} min, ${firstResponse.clock}).`,
    },
  ];
  if (incident.seniorIncidentManagerAssigned)
    changes.push({ kind: 'seniorIncidentManagerAssigned', rule: 'UER-1', detail: 'Senior Incident Manager assigned.' });
  if (incident.rsmEscalation === 'automatic')
    changes.push({
      kind: 'rsmEscalationStarted',
      rule: 'RSM-1',
      detail: 'Extended escalation started with status updates and an action plan.',
    });
  return { incident, changes };
}

function withSeverity(
  incident: Incident,
  severity: Severity,
  occurredAt: string,
  context: IncidentContext | undefined,
  now: Date,
  rule: string,
): IncidentChange {
  if (!context) throw new Error('A severity change needs the incident context (coverage and calendar).');
  if (Date.parse(occurredAt) < Date.parse(incident.severityDecidedAt)) {
    return {
      incident,
      changes: [
        {
          kind: 'staleSeverityChangeIgnored',
          rule: 'RESP-LATE',
          detail: `A severity change that occurred at ${occurredAt} is older than the current severity's.`,
        },
      ],
    };
  }
  const firstResponse = recomputeOnSeverityChange(
    incident.firstResponse,
    incident.facts,
    severity,
    context.coverage,
    context.calendar,
    now,
    context.catalogue,
  ); // rule RESP-SEVCHG
  const severityHistory = [...incident.severityHistory, severity];
  const next: Incident = {
    ...incident,
    severity,
    severityHistory,
    severityDecidedAt: occurredAt,
    firstResponse,
    warningAt: warningAtFor(firstResponse, incident.openedAt, context.calendar, severity),
    ...duties(incident.coverage, severityHistory, severity),
  };
  const changes: IncidentChange['changes'] = [
    {
      kind: 'severityChanged',
      rule,
      detail: `Severity ${incident.severity} → ${severity}; first response due ${firstResponse.dueAt} (${firstResponse.state}).`,
    },
  ];
  if (next.seniorIncidentManagerAssigned && !incident.seniorIncidentManagerAssigned)
    changes.push({
      kind: 'seniorIncidentManagerAssigned',
      rule: 'UER-1',
      detail: 'Senior Incident Manager assigned after a raise to severity 1 or A.',
    });
  if (next.rsmEscalation === 'automatic' && incident.rsmEscalation !== 'automatic')
    changes.push({ kind: 'rsmEscalationStarted', rule: 'RSM-1', detail: 'Extended escalation started.' });
  return { incident: next, changes };
}

/**
 * Applies a later ticket event; throws ImpossibleTicketEvent for one that can never apply. `context` is needed only
 * when the target is recomputed (SeverityChanged, CustomerUnresponsive).
 */
export function applyTicketEvent(
  incident: Incident,
  event: TicketEvent,
  context: IncidentContext | undefined,
  now: Date,
): IncidentChange {
  if (event.workOrderId !== incident.workOrderId)
    throw new ImpossibleTicketEvent(`Incident ${incident.incidentId} belongs to another Work Order.`);
  if (Date.parse(event.occurredAt) < Date.parse(incident.openedAt))
    throw new ImpossibleTicketEvent(`The event occurred before the incident was opened (${incident.openedAt}).`);
  switch (event.type) {
    case 'IncidentOpened':
      throw new ImpossibleTicketEvent(`Incident ${incident.incidentId} is already open since ${incident.openedAt}.`);
    case 'SeverityChanged':
      if (incident.status === 'closed')
        throw new ImpossibleTicketEvent('The severity of a closed incident cannot change.');
      if (event.severity === incident.severity) return { incident, changes: [] };
      return withSeverity(incident, event.severity!, event.occurredAt, context, now, 'RESP-SEVCHG');
    case 'CustomerUnresponsive': {
      if (incident.status === 'closed')
        throw new ImpossibleTicketEvent('A closed incident has no customer response pending.');
      const lowered = lowerSeverityForUnresponsiveCustomer(incident.severity); // rule INC-4
      if (lowered === null)
        return {
          incident,
          changes: [{ kind: 'customerUnresponsive', rule: 'INC-4', detail: 'Severity C cannot be lowered further.' }],
        };
      return withSeverity(incident, lowered, event.occurredAt, context, now, 'INC-4');
    }
    case 'FirstResponse': {
      if (incident.closedAt && Date.parse(event.occurredAt) > Date.parse(incident.closedAt)) {
        throw new ImpossibleTicketEvent('A first response cannot occur after the incident was closed.');
      }
      const firstResponse = applyFirstResponse(incident.firstResponse, {
        occurredAt: event.occurredAt,
        automated: event.automated === true,
      }); // rules INC-3, RESP-LATE
      if (firstResponse === incident.firstResponse) {
        return {
          incident,
          changes: [
            {
              kind: 'automatedResponseIgnored',
              rule: 'INC-3',
              detail: 'An automated acknowledgement does not stop the clock.',
            },
          ],
        };
      }
      const corrected = incident.firstResponse.state === 'breached' && firstResponse.state === 'met';
      return {
        incident: { ...incident, firstResponse },
        changes: [
          {
            kind: corrected ? 'breachCorrected' : `firstResponse${firstResponse.state === 'met' ? 'Met' : 'Late'}`,
            rule: corrected ? 'RESP-LATE' : 'INC-3',
            detail: `First response at ${firstResponse.respondedAt} (due ${firstResponse.dueAt}): ${firstResponse.state}.`,
          },
        ],
      };
    }
    case 'Closed':
      if (incident.status === 'closed')
        throw new ImpossibleTicketEvent(`Incident ${incident.incidentId} is already closed.`);
      return {
        incident: { ...incident, status: 'closed', closedAt: event.occurredAt },
        changes: [
          { kind: 'incidentClosed', detail: `Closed at ${event.occurredAt}.` },
          ...(incident.postIncidentReviewRequired
            ? [
                {
                  kind: 'postIncidentReviewRequired',
                  rule: 'UER-2',
                  detail: 'A post-incident review with the customer, CSAM and account team is required.',
                },
              ]
            : []),
        ],
      };
    case 'Reopened':
      if (incident.status === 'open') throw new ImpossibleTicketEvent(`Incident ${incident.incidentId} is not closed.`);
      return {
        incident: { ...incident, status: 'open', closedAt: null },
        changes: [{ kind: 'incidentReopened', detail: `Reopened at ${event.occurredAt}.` }],
      };
  }
}

/** The due timer fired: record a breach if nothing answered in time and the due time still stands. */
export function recordDueTimer(incident: Incident, dueAt: string, now: Date): IncidentChange {
  const fr = incident.firstResponse;
  if (fr.state !== 'pending' || fr.dueAt !== dueAt || now.getTime() < Date.parse(fr.dueAt))
    return { incident, changes: [] };
  return {
    incident: { ...incident, firstResponse: { ...fr, state: 'breached' } },
    changes: [
      {
        kind: 'firstResponseBreached',
        rule: `RESP-${fr.plan === 'RAPID_RESPONSE' ? 'RR' : fr.plan}`,
        detail: `No first response by ${fr.dueAt} (${fr.plan}, ${fr.targetMinutes} min).`,
      },
    ],
  };
}

/** rule RCA-1: an RCA request is accepted only before closure; RCA-2 says whether it may cost extra. */
export function requestRca(
  incident: Incident,
  requestedBy: string,
  requestedAt: string,
  technology: string | undefined,
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): Incident {
  const answer = decideRcaRequest(
    { status: incident.status, closedAt: incident.closedAt, technology },
    requestedAt,
    catalogue,
  );
  return {
    ...incident,
    rca: {
      status: 'requested',
      requestedAt,
      requestedBy,
      available: answer.available,
      extraCostMayApply: answer.extraCostMayApply,
      diagnostics: answer.customerMustSupply.map((item) => ({ item, received: false })),
    },
  };
}

/** The clock the incident's orchestration keeps: what to wait for next. */
export interface IncidentClock {
  incidentId: string;
  status: Incident['status'];
  state: FirstResponseState['state'];
  dueAt: string;
  warningAt: string;
}

export function clockOf(incident: Incident): IncidentClock {
  return {
    incidentId: incident.incidentId,
    status: incident.status,
    state: incident.firstResponse.state,
    dueAt: incident.firstResponse.dueAt,
    warningAt: incident.warningAt,
  };
}

/** The api-contract view of an incident. */
export function incidentView(incident: Incident) {
  return {
    incidentId: incident.incidentId,
    workOrderId: incident.workOrderId,
    severity: incident.severity,
    status: incident.status,
    openedAt: incident.openedAt,
    closedAt: incident.closedAt,
    coverage: incident.coverage,
    firstResponse: incident.firstResponse,
    seniorIncidentManagerAssigned: incident.seniorIncidentManagerAssigned,
    postIncidentReviewRequired: incident.postIncidentReviewRequired,
    rsmEscalation: incident.rsmEscalation,
    rca: incident.rca,
    product: incident.facts.product,
    channel: incident.facts.channel,
    location: incident.facts.location,
  };
}
