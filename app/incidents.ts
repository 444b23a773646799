import * as incident from '../domain/incidents/incident';
import type { Incident, IncidentClock } from '../domain/incidents/incident';
import {
  ConcurrencyConflict,
  type IncidentLifecycle,
  type StoredIncident,
  type TimelineEntry,
} from '../domain/incidents/incidentStore';
import * as ingestion from './ingestion';
import { WorkOrderIncidentContext } from '../domain/incidents/workOrderContext';
import { arrive } from '../domain/incidents/arrival';
import { ticketEventSchema, type TicketEvent } from '../domain/incidents/ticketEvent';
import { StaleVersion } from './errors';
import { retryOnConflict } from './retryOnConflict';
import type { Notification, Services } from './services';

/**
 * Only before closure (RCA-1); availability and cost per RCA-2. `load` reads the incident as the caller may change
 * it. With `ifMatch` the caller's version must still be current (else StaleVersion); without it, a ticket event that
 * changed the incident meanwhile is read again and the request decided on fresh data.
 */
export async function requestRca(
  services: Services,
  load: () => Promise<StoredIncident>,
  input: { requestedBy: string; technology?: string },
  ifMatch: string | null,
) {
  const attempt = async () => {
    const { incident: current, etag } = await load();
    if (ifMatch && ifMatch !== '*' && ifMatch !== etag) throw new StaleVersion();
    const now = services.clock.now().toISOString();
    const updated = incident.requestRca(current, input.requestedBy, now, input.technology, services.catalogue); // rules RCA-1, RCA-2
    try {
      const next = await services.incidents.save(updated, {
        etag,
        timeline: [
          {
            at: now,
            kind: 'rcaRequested',
            rule: 'RCA-1',
            detail: `${current.incidentId}: RCA requested by ${input.requestedBy}.`,
          },
        ],
      });
      return { rca: updated.rca, etag: next };
    } catch (error) {
      if (ifMatch && ifMatch !== '*' && error instanceof ConcurrencyConflict) throw new StaleVersion();
      throw error;
    }
  };
  return ifMatch && ifMatch !== '*' ? attempt() : retryOnConflict(attempt);
}

/**
 * A ticketing system's event (RESP-*, ACK-*, SEV-* …): validated, applied to its incident once (by eventId), held
 * when early, or rejected with its reason; the incident's durable clock follows.
 */
export async function ingestTicketEvent(
  services: Services,
  lifecycle: IncidentLifecycle,
  message: unknown,
  messageId: string,
) {
  return ingestion.ingestTicketEvent(
    message,
    { messageId },
    {
      incidents: services.incidents,
      claims: services.eventClaims,
      rejections: services.rejections,
      workOrders: new WorkOrderIncidentContext(services.workOrders, services.catalogue),
      lifecycle,
      dueIndex: services.dueIndex,
      catalogue: services.catalogue,
      now: () => services.clock.now(),
    },
  );
}

/** What the first-response timers hand their activities. */
export interface DueInput {
  incidentId: string;
  dueAt: string;
}

/** The due timer fired: record the breach (unless answered or re-timed meanwhile) and announce it. Idempotent. */
export async function recordFirstResponseDue(
  services: Services,
  input: DueInput,
): Promise<{ notification: Notification | null; output: IncidentClock | null }> {
  const updated = await changeIncident(services, input.incidentId, (current) => {
    const change = incident.recordDueTimer(current, input.dueAt, services.clock.now());
    return {
      incident: change.incident,
      timeline: change.changes.map((c) => ({
        at: input.dueAt,
        kind: c.kind,
        rule: c.rule,
        detail: `${current.incidentId}: ${c.detail}`,
      })),
    };
  });
  if (!updated) return { notification: null, output: null };
  const fr = updated.firstResponse;
  const breached = fr.state === 'breached' && fr.dueAt === input.dueAt && fr.respondedAt === null;
  return {
    notification: breached ? firstResponseNotice('firstResponseBreached', updated, input.dueAt) : null,
    output: incident.clockOf(updated), // the orchestration times the incident from its clock after the breach
  };
}

/** 80 % of the target has passed without a first response: warn (once per due time; replays send the same ID). */
export async function sendFirstResponseWarning(services: Services, input: DueInput): Promise<Notification | null> {
  const pending = (i: Incident) => i.firstResponse.state === 'pending' && i.firstResponse.dueAt === input.dueAt;
  const updated = await changeIncident(services, input.incidentId, (current) => ({
    incident: current,
    timeline: pending(current)
      ? [
          {
            at: current.warningAt,
            kind: 'firstResponseWarning',
            detail: `${current.incidentId}: first response due ${input.dueAt}, not yet given.`,
          },
        ]
      : [],
  }));
  return updated && pending(updated) ? firstResponseNotice('firstResponseWarning', updated, updated.warningAt) : null;
}

/**
 * RESP-LATE: a breach already announced was taken back by a late event (a response in time, or a due time that moved
 * later): the correction is announced too, once per breached due time. The timeline entry came with the event.
 */
export async function sendBreachCorrection(services: Services, input: DueInput): Promise<Notification | null> {
  const stored = await services.incidents.get(input.incidentId);
  if (!stored) return null;
  const fr = stored.incident.firstResponse;
  if (fr.state === 'breached') return null;
  return {
    ...firstResponseNotice('firstResponseBreachCorrected', stored.incident, services.clock.now().toISOString()),
    notificationId: `firstResponseBreachCorrected:${input.incidentId}:${input.dueAt}`,
    breachedDueAt: input.dueAt,
    state: fr.state,
    respondedAt: fr.respondedAt,
  };
}

/** Read-decide-commit of an incident under its ETag (no timeline entries: nothing to write). */
async function changeIncident(
  services: Services,
  incidentId: string,
  decide: (incident: Incident) => { incident: Incident; timeline: TimelineEntry[] },
): Promise<Incident | undefined> {
  return retryOnConflict(async () => {
    const stored = await services.incidents.get(incidentId);
    if (!stored) return undefined;
    const next = decide(stored.incident);
    if (next.timeline.length === 0) return next.incident;
    await services.incidents.save(next.incident, { etag: stored.etag, timeline: next.timeline });
    return next.incident;
  });
}

function firstResponseNotice(kind: string, current: Incident, at: string): Notification {
  return {
    notificationId: `${kind}:${current.incidentId}:${current.firstResponse.dueAt}`,
    kind,
    at,
    workOrderId: current.workOrderId,
    incidentId: current.incidentId,
    severity: current.severity,
    plan: current.firstResponse.plan,
    targetMinutes: current.firstResponse.targetMinutes,
    dueAt: current.firstResponse.dueAt,
  };
}

/**
 * When an incident opened so would be due: opened exactly as an IncidentOpened event would open it (the same context
 * and arrival as ingestion: RESP-PICK, INC-5, HOURS-1), and kept nowhere. Undefined when there is no such Work Order.
 */
export async function whatIfFirstResponse(
  services: Services,
  input: Pick<
    TicketEvent,
    'workOrderId' | 'occurredAt' | 'severity' | 'product' | 'channel' | 'location' | 'description' | 'cloud'
  >,
): Promise<Incident | undefined> {
  const context = await new WorkOrderIncidentContext(services.workOrders, services.catalogue).contextFor(
    input.workOrderId,
    input.location,
    input.occurredAt,
  );
  if (!context) return undefined;
  const event = ticketEventSchema.parse({
    eventId: 'what-if',
    type: 'IncidentOpened',
    incidentId: 'what-if',
    ...input,
  });
  const incident = arrive({
    arriving: { event, receivedAt: services.clock.now().toISOString(), messageId: 'what-if' },
    openerContext: context,
    catalogue: services.catalogue,
  }).record.incident;
  if (!incident) throw new Error('An IncidentOpened arrival always opens the incident.');
  return incident;
}
