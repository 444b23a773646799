import type { z } from 'zod';
import type { CatalogueEdition } from '../catalogue/serviceCatalogue';
import { isRuleViolation } from '../ruleViolation';
import { arrivalNeeds, arrive, refuseArrival, type Refusal } from './arrival';
import { clockOf, type IncidentClock, type IncidentContext } from './incident';
import type { KeptEvent } from './incidentFold';
import { ConcurrencyConflict, type EventClaims, type IncidentStore, type RejectionStore } from './incidentStore';
import { ticketEventSchema, type TicketEvent } from './ticketEvent';
import type { DueIndex } from '../lifecycle/dueIndex';
import { ID_MESSAGE, idSchema } from '../input';

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
/** Attempts at keeping an event when the incident changes meanwhile, before the message is left to redelivery. */
const ATTEMPTS = 5;

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

  let claimed = false;
  for (let attempt = 1; ; attempt++) {
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
      if ((await claim(event, receivedAt, deps)) === 'duplicate') return duplicate(event, deps);
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
      if (!(error instanceof ConcurrencyConflict)) throw error;
      if (await deps.incidents.hasEvent(event.workOrderId, event.incidentId, event.eventId))
        return duplicate(event, deps);
      if (attempt >= ATTEMPTS) throw error;
      continue;
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
  }
}

/**
 * One eventId, one effect, product-wide: the claim is taken before the event is kept anywhere. A claim for the same
 * incident is this message again (a redelivery: the incident's own event row tells whether it was kept); a claim for
 * another incident whose event is kept there makes this a duplicate; one whose holder kept nothing is waited for a
 * while (it may be in flight) and then taken over.
 */
async function claim(event: TicketEvent, at: string, deps: IngestionDeps): Promise<'mine' | 'duplicate'> {
  const target = { workOrderId: event.workOrderId, incidentId: event.incidentId };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const result = await deps.claims.claim(event.eventId, target, at);
    if (result.claimed) return 'mine';
    const holder = result.holder;
    if (holder.workOrderId === target.workOrderId && holder.incidentId === target.incidentId) return 'mine';
    if (await deps.incidents.hasEvent(holder.workOrderId, holder.incidentId, event.eventId)) return 'duplicate';
    if (Date.parse(at) - Date.parse(holder.claimedAt) < CLAIM_TAKEOVER_MINUTES * 60_000)
      throw new ConcurrencyConflict(
        `Event ${event.eventId} is claimed for incident ${holder.incidentId} by a message still being processed.`,
      );
    if (await deps.claims.takeOver(event.eventId, target, at, holder.etag)) return 'mine';
  }
  throw new ConcurrencyConflict(`The claim on event ${event.eventId} kept changing.`);
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
  for (let attempt = 1; attempt <= 5; attempt++) {
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
    if (
      await deps.incidents.release(due.workOrderId, due.resourceId, {
        etag: found.etag,
        eventIds: held.map((h) => h.event.eventId),
        timeline: { at: due.dueAt, kind: 'heldTicketEventsRejected', rule: 'RESP-LATE', detail },
      })
    ) {
      return held.length;
    }
  }
  throw new ConcurrencyConflict(
    `The events held for incident ${due.resourceId} kept changing; the next sweep tries again.`,
  );
}

function issues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
