import type { z } from 'zod';
import { isRuleViolation } from '../ruleViolation';
import {
  ImpossibleTicketEvent,
  applyTicketEvent,
  clockOf,
  openIncident,
  type IncidentChange,
  type IncidentClock,
  type IncidentContext,
} from './incident';
import {
  ConcurrencyConflict,
  type AwaitingOpen,
  type IncidentStore,
  type RejectionStore,
  type StoredIncident,
  type TimelineEntry,
} from './incidentStore';
import { ticketEventSchema, type TicketEvent } from './ticketEvent';
import type { DueIndex } from '../lifecycle/dueIndex';

/** What ingestion needs to know about a Work Order: its coverage and the calendar of the incident's location. */
export interface IncidentContextSource {
  contextFor(workOrderId: string, location: string | undefined, at: string): Promise<IncidentContext | undefined>;
}

/** Keeps each incident's durable clock in step with the incident (starts, signals or restarts it). */
export interface IncidentLifecycle {
  /** `started`: the incident was just opened or reopened, so its clock is most likely not running. */
  sync(clock: IncidentClock, options?: { started?: boolean }): Promise<void>;
}

export interface IngestionDeps {
  incidents: IncidentStore;
  rejections: RejectionStore;
  workOrders: IncidentContextSource;
  lifecycle: IncidentLifecycle;
  /** Where the expiry of held events is scheduled, so the daily sweep finds it. */
  dueIndex: Pick<DueIndex, 'put'>;
  now(): Date;
}

/** RESP-LATE (product default): events held for an incident that is not opened within this many days are rejected. */
export const HELD_EVENTS_EXPIRE_AFTER_DAYS = 7;
/** The due-index kind of that expiry. */
export const HELD_TICKET_EVENTS = 'heldTicketEvents';

export type IngestionOutcome =
  | { outcome: 'applied'; clock: IncidentClock; changes: string[] }
  | { outcome: 'duplicate' }
  | { outcome: 'held' }
  | { outcome: 'rejected'; reason: string };

/**
 * Applies one ticketing message. Invalid, unknown-Work-Order and impossible-state messages are rejected (stored
 * with reason and errors; never retried). A duplicate eventId changes nothing, but the incident's clock is synced
 * again in case an earlier delivery stopped between storing and signalling. Anything else that fails (storage,
 * a concurrent change) throws, so the platform redelivers and finally dead-letters.
 */
export async function ingestTicketEvent(
  body: unknown,
  message: { messageId: string },
  deps: IngestionDeps,
): Promise<IngestionOutcome> {
  const receivedAt = deps.now().toISOString();
  const reject = async (
    reason: string,
    errors: Array<{ path: string; message: string }> = [],
  ): Promise<IngestionOutcome> => {
    await deps.rejections.record({ messageId: message.messageId, receivedAt, reason, errors, body });
    return { outcome: 'rejected', reason };
  };

  const parsed = ticketEventSchema.safeParse(body);
  if (!parsed.success) return reject('invalid message', issues(parsed.error));
  const event = parsed.data;

  const found = await deps.incidents.getIn(event.workOrderId, event.incidentId);
  const awaiting = found && 'awaitingOpen' in found ? found : undefined;
  const stored = awaiting
    ? undefined
    : ((found as StoredIncident | undefined) ?? (await deps.incidents.get(event.incidentId)));
  if (stored && stored.incident.workOrderId !== event.workOrderId) {
    return reject(`impossible state: incident ${event.incidentId} belongs to another Work Order`, [
      { path: 'workOrderId', message: 'does not match the incident' },
    ]);
  }
  // Idempotency without a read on the common path: the save creates the event's processed marker, so a duplicate
  // fails that transaction; the marker is read only when the save conflicts or the event would be rejected. The
  // clock is synced again in case an earlier delivery stopped between storing and signalling.
  const isDuplicate = () => deps.incidents.isProcessed(event.workOrderId, event.eventId);
  const duplicate = async (): Promise<IngestionOutcome> => {
    if (stored) await deps.lifecycle.sync(clockOf(stored.incident));
    return { outcome: 'duplicate' };
  };

  if (!stored && event.type !== 'IncidentOpened') return hold(event, message.messageId, body, awaiting, deps, reject);

  let change: IncidentChange;
  let context: IncidentContext | undefined;
  try {
    // Coverage and calendar matter only when a target is (re)computed; a stored incident proves its Work Order exists.
    const needsContext = !stored || event.type === 'SeverityChanged' || event.type === 'CustomerUnresponsive';
    context = needsContext
      ? await deps.workOrders.contextFor(
          event.workOrderId,
          event.location ?? stored?.incident.facts.location,
          event.occurredAt,
        )
      : undefined;
    if (needsContext && !context)
      return reject(`unknown Work Order ${event.workOrderId}`, [
        { path: 'workOrderId', message: 'no such Work Order' },
      ]);
    change = stored ? applyTicketEvent(stored.incident, event, context, deps.now()) : openIncident(event, context!);
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    if (stored && (await isDuplicate())) return duplicate();
    return reject(refusal.reason, refusal.errors);
  }
  const eventIds = [event.eventId];
  const timeline = timelineOf(event, change);
  if (awaiting) {
    // RESP-LATE: the events that arrived before the incident was opened now take effect, in the order they occurred.
    for (const held of [...awaiting.held].sort(
      (a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt),
    )) {
      try {
        const next = applyTicketEvent(change.incident, held.event, context, deps.now());
        change = { incident: next.incident, changes: [...change.changes, ...next.changes] };
        eventIds.push(held.event.eventId);
        timeline.push(...timelineOf(held.event, next));
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        await deps.rejections.record({ messageId: held.messageId, receivedAt, ...refusal, body: held.body });
      }
    }
  }
  try {
    await deps.incidents.save(change.incident, {
      etag: stored?.etag ?? awaiting?.etag,
      opened: !stored,
      eventIds,
      timeline,
    });
  } catch (error) {
    if (error instanceof ConcurrencyConflict && (await isDuplicate())) return duplicate();
    throw error;
  }
  const clock = clockOf(change.incident);
  await deps.lifecycle.sync(clock, { started: !stored || event.type === 'Reopened' });
  return { outcome: 'applied', clock, changes: change.changes.map((c) => c.kind) };
}

/**
 * RESP-LATE: an event for an incident whose IncidentOpened has not arrived yet (messages arrive out of order) is held
 * beside the incident's key and applied when it opens; a Work Order that does not exist is rejected as usual.
 */
async function hold(
  event: TicketEvent,
  messageId: string,
  body: unknown,
  awaiting: AwaitingOpen | undefined,
  deps: IngestionDeps,
  reject: (reason: string, errors?: Array<{ path: string; message: string }>) => Promise<IngestionOutcome>,
): Promise<IngestionOutcome> {
  if (awaiting?.held.some((h) => h.event.eventId === event.eventId)) return { outcome: 'duplicate' };
  if (!awaiting) {
    if (!(await deps.workOrders.contextFor(event.workOrderId, undefined, event.occurredAt))) {
      return reject(`unknown Work Order ${event.workOrderId}`, [
        { path: 'workOrderId', message: 'no such Work Order' },
      ]);
    }
    // Scheduled before the first event is held (idempotent), so no held event is ever without its expiry.
    const dueAt = new Date(deps.now().getTime() + HELD_EVENTS_EXPIRE_AFTER_DAYS * 86_400_000).toISOString();
    await deps.dueIndex.put([
      {
        dueAt,
        kind: HELD_TICKET_EVENTS,
        resourceId: event.incidentId,
        workOrderId: event.workOrderId,
        instanceId: '',
        orchestration: '',
        restartInput: null,
        doneAt: null,
      },
    ]);
  }
  const detail = `${event.incidentId}: ${event.type} held until the incident is opened (RESP-LATE).`;
  await deps.incidents.hold(
    event.workOrderId,
    event.incidentId,
    [...(awaiting?.held ?? []), { event, messageId, body }],
    {
      etag: awaiting?.etag,
      timeline: { at: event.occurredAt, kind: 'ticketEventHeld', rule: 'RESP-LATE', detail },
    },
  );
  return { outcome: 'held' };
}

/**
 * RESP-LATE: the events still held for an incident whose IncidentOpened never came are rejected (stored with their
 * messages, as every message that cannot succeed is) and the incident's place is given up. Idempotent: the
 * rejections are keyed by message and due time, and an incident opened meanwhile is left alone. Returns how many.
 */
export async function rejectHeldEvents(
  due: { workOrderId: string; resourceId: string; dueAt: string },
  deps: Pick<IngestionDeps, 'incidents' | 'rejections'>,
): Promise<number> {
  const reason = `rule RESP-LATE: incident ${due.resourceId} was not opened within ${HELD_EVENTS_EXPIRE_AFTER_DAYS} days, so this event cannot apply.`;
  const recorded = new Set<string>();
  for (let attempt = 1; attempt <= 5; attempt++) {
    const found = await deps.incidents.getIn(due.workOrderId, due.resourceId);
    if (!found || !('awaitingOpen' in found)) {
      // Opened meanwhile: what was held has applied, so the rejections written for it are taken back.
      for (const messageId of recorded) await deps.rejections.remove({ messageId, receivedAt: due.dueAt });
      return 0;
    }
    // Recorded before the place is given up, so a crash in between loses nothing (the next sweep repeats it).
    for (const held of found.held) {
      await deps.rejections.record({
        messageId: held.messageId,
        receivedAt: due.dueAt,
        reason,
        errors: [],
        body: held.body,
      });
      recorded.add(held.messageId);
    }
    const detail = `${due.resourceId}: ${found.held.length} held ticket event(s) rejected; the incident was never opened (RESP-LATE).`;
    if (
      await deps.incidents.release(due.workOrderId, due.resourceId, {
        etag: found.etag,
        timeline: { at: due.dueAt, kind: 'heldTicketEventsRejected', rule: 'RESP-LATE', detail },
      })
    ) {
      return found.held.length;
    }
  }
  throw new ConcurrencyConflict(
    `The events held for incident ${due.resourceId} kept changing; the next sweep tries again.`,
  );
}

/** Why an event can never apply (an impossible state or a rule), as a rejection states it; undefined for other errors. */
function refusalOf(error: unknown): { reason: string; errors: Array<{ path: string; message: string }> } | undefined {
  if (error instanceof ImpossibleTicketEvent) return { reason: `impossible state: ${error.message}`, errors: [] };
  if (isRuleViolation(error))
    return { reason: `rule ${error.rule}: ${error.message}`, errors: [{ path: error.path, message: error.message }] };
  return undefined;
}

function timelineOf(event: TicketEvent, change: IncidentChange): TimelineEntry[] {
  return change.changes.map((c) => ({
    at: event.occurredAt,
    kind: c.kind,
    ...(c.rule ? { rule: c.rule } : {}),
    detail: `${event.incidentId}: ${c.detail}`,
  }));
}

function issues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}
