import type { z } from 'zod';
import type { CatalogueEdition } from '../domain/catalogue/serviceCatalogue';
import { isRuleViolation } from '../domain/ruleViolation';
import { arrivalNeeds, arrive, refuseArrival, type Refusal } from '../domain/incidents/arrival';
import { clockOf, type IncidentClock, type IncidentContext } from '../domain/incidents/incident';
import type { KeptEvent } from '../domain/incidents/incidentFold';
import {
  ConcurrencyConflict,
  type EventClaims,
  type IncidentContextSource,
  type IncidentLifecycle,
  type IncidentStore,
  type RejectionStore,
} from '../domain/incidents/incidentStore';
import { ticketEventSchema, type TicketEvent } from '../domain/incidents/ticketEvent';
import type { DueIndex } from '../domain/lifecycle/dueIndex';
import { ID_MESSAGE, idSchema } from '../domain/input';
import { retryOnConflict } from './retryOnConflict';

export interface IngestionDeps {
  incidents: IncidentStore;
  /** Product-wide claims on eventIds (one eventId, one effect). */
  claims: EventClaims;
  rejections: RejectionStore;
  workOrders: IncidentContextSource;
  lifecycle: IncidentLifecycle;
  /** Where the expiry of held events is scheduled, so the daily sweep finds it. */
  dueIndex: Pick<DueIndex, 'put'>;
  catalogue?: CatalogueEdition;
  now(): Date;
}

/** RESP-LATE (product default): events held for an incident that is not opened within this many days are rejected. */
export const HELD_EVENTS_EXPIRE_AFTER_DAYS = 7;
/** The due-index kind of that expiry. */
export const HELD_TICKET_EVENTS = 'heldTicketEvents';
/** A claim on an eventId whose holder has kept nothing after this long is stale: another message may take it. */
export const CLAIM_TAKEOVER_MINUTES = 5;

export type IngestionOutcome =
  | { outcome: 'applied' | 'ignored'; clock: IncidentClock; changes: string[]; reason?: string }
  | { outcome: 'held' }
  | { outcome: 'duplicate' }
  | { outcome: 'rejected'; reason: string };

/**
 * Applies one ticketing message (RESP-LATE). The event is kept with its incident and the incident folded again as
 * the events make it (domain/incidents/arrival.ts decides); one that cannot apply at its place is kept as ignored;
 * invalid, unknown-Work-Order, another-Work-Order, future-dated and over-limit messages are rejected (stored with
 * reason and errors; never retried). An eventId accepted once, for whatever incident, changes nothing again. Anything
 * else that fails (storage, an incident that keeps changing) throws, so the platform redelivers and finally
 * dead-letters.
 */
export async function ingestTicketEvent(
  body: unknown,
  message: { messageId: string },
  deps: IngestionDeps,
): Promise<IngestionOutcome> {
  const receivedAt = deps.now().toISOString();
  // An id that can never be a key is the message's own fault: rejected with its reason, never retried.
  if (!idSchema.safeParse(message.messageId).success)
    return reject('invalid message id', [{ path: 'messageId', message: ID_MESSAGE }]);
  const parsed = ticketEventSchema.safeParse(body);
  if (!parsed.success) return reject('invalid message', issues(parsed.error));
  const event = parsed.data;
  const kept: KeptEvent = { event, receivedAt, messageId: message.messageId };

  async function reject(
    reason: string,
    errors: Array<{ path: string; message: string }> = [],
  ): Promise<IngestionOutcome> {
    await deps.rejections.record({ messageId: message.messageId, receivedAt, reason, errors, body });
    return { outcome: 'rejected', reason };
  }
  const refuse = async (refusal: Refusal): Promise<IngestionOutcome> => {
    // A message re-sent with an eventId that took effect elsewhere changes nothing, not even the rejections.
    if (await keptElsewhere(event, deps)) return duplicate(event, deps);
    return reject(
      refusal.rule ? `rule ${refusal.rule}: ${refusal.reason}` : refusal.reason,
      refusal.path ? [{ path: refusal.path, message: refusal.reason }] : [],
    );
  };

  // A lost ETag race on the incident or the claim runs the whole step again on fresh data (the one policy).
  let claimed = false;
  const step = await retryOnConflict(async (): Promise<IngestionOutcome | 'claimHeld'> => {
    const found = await deps.incidents.getIn(event.workOrderId, event.incidentId);
    const record = found?.record;
    const openedIn = record?.incident ? undefined : await deps.incidents.workOrderOf(event.incidentId);
    const refusal = refuseArrival(event, receivedAt, { record, openedIn });
    if (refusal) return refuse(refusal);

    const needs = arrivalNeeds(record, event);
    let openerContext: IncidentContext | undefined;
    if (needs.context || !record) {
      // Coverage and calendar are read for an opening only; a first held event needs its Work Order to exist.
      let context: IncidentContext | undefined;
      try {
        context = await deps.workOrders.contextFor(
          event.workOrderId,
          needs.context ? event.location : undefined,
          event.occurredAt,
        );
      } catch (error) {
        if (!isRuleViolation(error)) throw error;
        return refuse({ rule: error.rule, path: error.path, reason: error.message });
      }
      if (!context) return refuse({ path: 'workOrderId', reason: `unknown Work Order ${event.workOrderId}` });
      if (needs.context) openerContext = context;
    }

    if (!claimed) {
      const claim = await claimEvent(event, receivedAt, deps);
      if (claim === 'duplicate') return duplicate(event, deps);
      if (claim === 'held') return 'claimHeld';
      claimed = true;
    }
    const arrival = arrive({
      record,
      arriving: kept,
      kept: needs.history ? await deps.incidents.events(event.workOrderId, event.incidentId) : undefined,
      openerContext,
      catalogue: deps.catalogue,
    });
    const incident = arrival.record.incident;
    if (!incident && !record?.cursor.count) await scheduleHeldExpiry(event, deps);
    try {
      await deps.incidents.keep(arrival.record, kept, {
        etag: found?.etag,
        opened: incident !== null && !record?.incident,
        timeline: arrival.timeline,
      });
    } catch (error) {
      if (
        error instanceof ConcurrencyConflict &&
        (await deps.incidents.hasEvent(event.workOrderId, event.incidentId, event.eventId))
      )
        return duplicate(event, deps);
      throw error; // a lost race: retried on fresh data
    }
    if (!incident) return { outcome: 'held' };
    const clock = clockOf(incident);
    await deps.lifecycle.sync(clock, { started: arrival.started });
    return {
      outcome: arrival.step.effect,
      clock,
      changes: arrival.timeline.map((t) => t.kind),
      ...(arrival.step.reason ? { reason: arrival.step.reason } : {}),
    };
  });
  // Waiting for a claim's holder is not a lost race: the message goes back to the platform, which redelivers it
  // later (by then the holder has kept its event, or its claim is stale and taken over).
  if (step === 'claimHeld')
    throw new ConcurrencyConflict(
      `Event ${event.eventId} is claimed for another incident by a message still being processed.`,
    );
  return step;
}

/**
 * One eventId, one effect, product-wide: the claim is taken before the event is kept anywhere. A claim for the same
 * incident is this message again (a redelivery: the incident's own event row tells whether it was kept); a claim for
 * another incident whose event is kept there makes this a duplicate; one whose holder kept nothing is waited for a
 * while (it may be in flight: 'held') and then taken over; losing the take-over race is a conflict (retried).
 */
async function claimEvent(event: TicketEvent, at: string, deps: IngestionDeps): Promise<'mine' | 'duplicate' | 'held'> {
  const target = { workOrderId: event.workOrderId, incidentId: event.incidentId };
  const result = await deps.claims.claim(event.eventId, target, at);
  if (result.claimed) return 'mine';
  const holder = result.holder;
  if (holder.workOrderId === target.workOrderId && holder.incidentId === target.incidentId) return 'mine';
  if (await deps.incidents.hasEvent(holder.workOrderId, holder.incidentId, event.eventId)) return 'duplicate';
  if (Date.parse(at) - Date.parse(holder.claimedAt) < CLAIM_TAKEOVER_MINUTES * 60_000) return 'held';
  if (await deps.claims.takeOver(event.eventId, target, at, holder.etag)) return 'mine';
  throw new ConcurrencyConflict(`The claim on event ${event.eventId} was taken over by another message meanwhile.`);
}

/** Whether this eventId already took effect: kept with the incident its claim names. */
async function keptElsewhere(event: TicketEvent, deps: IngestionDeps): Promise<boolean> {
  const holder = await deps.claims.holderOf(event.eventId);
  return holder !== undefined && deps.incidents.hasEvent(holder.workOrderId, holder.incidentId, event.eventId);
}

/** A duplicate changes nothing; the clock of the incident it names is synced again, in case an earlier delivery stopped between storing and signalling. */
async function duplicate(event: TicketEvent, deps: IngestionDeps): Promise<IngestionOutcome> {
  const found = await deps.incidents.getIn(event.workOrderId, event.incidentId);
  if (found?.record.incident) await deps.lifecycle.sync(clockOf(found.record.incident));
  return { outcome: 'duplicate' };
}

/** RESP-LATE: the first event held for an incident schedules the expiry of what is held (idempotent). */
async function scheduleHeldExpiry(event: TicketEvent, deps: IngestionDeps): Promise<void> {
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
  return retryOnConflict(async () => {
    const found = await deps.incidents.getIn(due.workOrderId, due.resourceId);
    if (!found || !('awaitingOpen' in found)) {
      // Opened meanwhile: what was held has applied, so the rejections written for it are taken back.
      for (const messageId of recorded) await deps.rejections.remove({ messageId, receivedAt: due.dueAt });
      return 0;
    }
    const held = await deps.incidents.events(due.workOrderId, due.resourceId);
    // Recorded before the place is given up, so a crash in between loses nothing (the next sweep repeats it).
    for (const h of held) {
      await deps.rejections.record({
        messageId: h.messageId,
        receivedAt: due.dueAt,
        reason,
        errors: [],
        body: h.event,
      });
      recorded.add(h.messageId);
    }
    const detail = `${due.resourceId}: ${held.length} held ticket event(s) rejected; the incident was never opened (RESP-LATE).`;
    const released = await deps.incidents.release(due.workOrderId, due.resourceId, {
      etag: found.etag,
      eventIds: held.map((h) => h.event.eventId),
      timeline: { at: due.dueAt, kind: 'heldTicketEventsRejected', rule: 'RESP-LATE', detail },
    });
    if (!released)
      throw new ConcurrencyConflict(
        `The events held for incident ${due.resourceId} changed meanwhile; read again (the next sweep tries again after the last attempt).`,
      );
    return held.length;
  });
}

function issues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
