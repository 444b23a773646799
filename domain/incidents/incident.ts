import type { BusinessCalendar } from '../calendar/businessCalendar';
import type { PlanCode, Severity } from '../catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import type { Coverage, FirstResponseState, IncidentFacts } from '../sla/firstResponse';
import { decideRcaRequest } from '../sla/incidentDuties';

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
  /** Severities applied, in occurredAt order (UER-1, UER-2 look back over them). */
  severityHistory: Severity[];
  /** The eventId of the IncidentOpened that opened it (its context is the one the incident keeps). */
  openedBy: string;
}

export interface IncidentContext {
  coverage: Coverage;
  /** rule REDE-1: the Work Order holds Reactive EDE (its designated engineer joins Severity 1 and A incidents). */
  designatedEngineer?: boolean;
  calendar: BusinessCalendar;
  catalogue?: CatalogueEdition;
}

/** What an event, the due timer or a request changed, as a timeline entry states it. */
export interface ChangeEntry {
  kind: string;
  rule?: string;
  detail: string;
}

export interface IncidentChange {
  incident: Incident;
  /** Timeline entries describing what changed, oldest first. */
  changes: ChangeEntry[];
}

/**
 * The due timer fired: record a breach if nothing answered in time and the due time still stands. Only a pending
 * target can be breached this way (RESP-LATE: a met target, or one re-timed meanwhile, is left alone).
 */
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
        // Stryker disable next-line all: timeline detail wording, not a rule
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
