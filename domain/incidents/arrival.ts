import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../catalogue/serviceCatalogue';
import type { TimelineEntry } from '../workOrder/workOrderStore';
import type { Incident, IncidentContext } from './incident';
import {
  applyAtPlace,
  compareEvents,
  contextFromSnapshot,
  foldIncident,
  snapshotContext,
  type FoldStep,
  type FoldedIncident,
  type KeptEvent,
  type OpenContextSnapshot,
  type OpenerContext,
} from './incidentFold';
import type { TicketEvent } from './ticketEvent';

/** Events kept with one incident at most (a row each); beyond, an event is rejected with its reason. */
export const MAX_EVENTS_PER_INCIDENT = 500;
/** Events held at most for an incident whose IncidentOpened has not arrived (given up together, in one transaction). */
export const MAX_HELD_EVENTS = 50;
/** RESP-LATE: an event dated more than this after it was received is rejected (a little clock skew is not). */
export const MAX_MINUTES_AHEAD = 10;
/** Timeline entries one arrival writes at most (the rest are summed up in one). */
export const MAX_TIMELINE_ENTRIES_PER_ARRIVAL = 40;

/** Where the fold stands: how many events are kept, the last in fold order, and the context kept from the opening. */
export interface FoldCursor {
  count: number;
  last: { occurredAt: string; eventId: string } | null;
  context: OpenContextSnapshot | null;
}

/** An incident as stored: its current state (null while its events are held) and where its fold stands. */
export interface IncidentRecord {
  incidentId: string;
  workOrderId: string;
  incident: Incident | null;
  cursor: FoldCursor;
}

/** Why an arriving event is rejected (it is not kept with any incident). */
export interface Refusal {
  reason: string;
  rule?: string;
  path?: string;
}

/**
 * Events RESP-LATE rejects outright: one naming another Work Order than its incident's (`openedIn`), one dated more
 * than 10 minutes after it was received; and one beyond an incident's bounds.
 */
export function refuseArrival(
  event: TicketEvent,
  receivedAt: string,
  place: { record?: IncidentRecord; openedIn?: string },
): Refusal | null {
  const workOrderId = place.openedIn ?? place.record?.workOrderId;
  if (workOrderId !== undefined && workOrderId !== event.workOrderId)
    return {
      rule: 'RESP-LATE',
      path: 'workOrderId',
      reason: `Incident ${event.incidentId} belongs to another Work Order.`,
    };
  if (Date.parse(event.occurredAt) > Date.parse(receivedAt) + MAX_MINUTES_AHEAD * 60_000)
    return {
      rule: 'RESP-LATE',
      path: 'occurredAt',
      reason: `The event is dated more than ${MAX_MINUTES_AHEAD} minutes after it was received (${receivedAt}).`,
    };
  const record = place.record;
  if (record && record.cursor.count >= MAX_EVENTS_PER_INCIDENT)
    return { reason: `Incident ${event.incidentId} already keeps ${MAX_EVENTS_PER_INCIDENT} events, the most it can.` };
  if (record && !record.incident && event.type !== 'IncidentOpened' && record.cursor.count >= MAX_HELD_EVENTS)
    return {
      reason: `${MAX_HELD_EVENTS} events are already held for incident ${event.incidentId}, which is not open yet; no more are held.`,
    };
  return null;
}

/**
 * What `arrive` needs besides the stored record: every kept event when the arrival falls before the last one in
 * fold order (it is inserted at its place and the incident folded again), and the arriving IncidentOpened's own
 * context when it would open the incident.
 */
export function arrivalNeeds(
  record: IncidentRecord | undefined,
  event: TicketEvent,
): { history: boolean; context: boolean } {
  const last = record?.cursor.last;
  // Stryker disable next-line EqualityOperator: an event equal to the last one in (occurredAt, eventId) is that event again: a duplicate, refused before arrive (app/ingestion.ts)
  const history = last != null && compareEvents(event, last) < 0;
  const opener = record?.cursor.context;
  const context =
    event.type === 'IncidentOpened' &&
    // Stryker disable next-line EqualityOperator: an event equal to the last one in (occurredAt, eventId) is that event again: a duplicate, refused before arrive (app/ingestion.ts)
    (!opener || compareEvents(event, { occurredAt: opener.openerOccurredAt, eventId: opener.openerEventId }) < 0);
  return { history, context };
}

export interface Arrival {
  record: IncidentRecord;
  /** What the arriving event did at its place. */
  step: FoldStep;
  /** What changed, for the timeline (every event whose effect the arrival changed, with the arriving one). */
  timeline: TimelineEntry[];
  /** The incident opened, or a closed one is open again: its clock must (re)start. */
  started: boolean;
}

/**
 * rule RESP-LATE: one more event kept with an incident. One that falls after every kept event applies to the stored
 * state; one that falls earlier is inserted at its place and the incident is folded again from its events, so the
 * result is the same whatever order they arrive in. The breach the due timer recorded stands while the target it
 * breached does; the RCA request is carried over.
 */
export function arrive(input: {
  record?: IncidentRecord;
  arriving: KeptEvent;
  /** Every event kept before this one (when `arrivalNeeds(...).history`). */
  kept?: readonly KeptEvent[];
  /** The arriving IncidentOpened's context (when `arrivalNeeds(...).context`). */
  openerContext?: IncidentContext;
  catalogue?: CatalogueEdition;
}): Arrival {
  const { record, arriving } = input;
  const catalogue = input.catalogue ?? DEFAULT_CATALOGUE;
  const event = arriving.event;
  const previous = record?.incident ?? null;
  const cursor: FoldCursor = record?.cursor ?? { count: 0, last: null, context: null };
  const stored = cursor.context ? contextFromSnapshot(cursor.context, catalogue) : undefined;
  const contextFor: OpenerContext = (openerEventId) => {
    // Stryker disable next-line OptionalChaining: stored is set only when cursor.context is
    if (stored && cursor.context?.openerEventId === openerEventId) return stored;
    // Stryker disable next-line ConditionalExpression: the fold asks only for the stored opener's context or the arriving one's (a later opening is ignored without it)
    if (input.openerContext && openerEventId === event.eventId) return input.openerContext;
    throw new Error(`No context for the opening event ${openerEventId}.`);
  };

  let incident: FoldedIncident | null;
  let step: FoldStep;
  let changed: FoldStep[];
  const inOrder = !arrivalNeeds(record, event).history;
  if (inOrder) {
    const next = applyAtPlace(previous ? folded(previous) : null, arriving, contextFor);
    incident = next.incident;
    step = next.step;
    changed = [step];
  } else {
    if (!input.kept) throw new Error('An event that falls before the last kept one needs the kept events.');
    const before = new Map(foldIncident(input.kept, contextFor).steps.map((s) => [s.eventId, s]));
    const after = foldIncident([...input.kept, arriving], contextFor);
    incident = after.incident;
    step = after.steps.find((s) => s.eventId === event.eventId)!;
    // the arriving event had no step before, so it counts as changed
    changed = after.steps.filter((s) => differs(before.get(s.eventId), s));
  }

  const view = incident ? viewOf(incident, previous) : null;
  const context =
    incident === null
      ? null
      : cursor.context?.openerEventId === incident.openedBy
        ? cursor.context
        : snapshotContext(event, contextFor(event.eventId));
  // Stryker disable next-line EqualityOperator: an event equal to the last one in (occurredAt, eventId) is that event again: a duplicate, refused before arrive (app/ingestion.ts); both branches hold the same values
  const last = cursor.last && compareEvents(cursor.last, event) > 0 ? cursor.last : pick(event);
  return {
    record: {
      incidentId: event.incidentId,
      workOrderId: event.workOrderId,
      incident: view,
      cursor: { count: cursor.count + 1, last, context },
    },
    step,
    timeline: timelineOf(event, arriving.receivedAt, changed, !inOrder, previous, view),
    started: view?.status === 'open' && previous?.status !== 'open',
  };
}

/** What each kept event did, in fold order (api-contract `events` on the incident). */
export function stepsOf(
  record: IncidentRecord,
  kept: readonly KeptEvent[],
  catalogue: CatalogueEdition = DEFAULT_CATALOGUE,
): readonly FoldStep[] {
  const snapshot = record.cursor.context;
  const context = snapshot ? contextFromSnapshot(snapshot, catalogue) : undefined;
  return foldIncident(kept, (openerEventId) => {
    // Stryker disable next-line OptionalChaining: context is set only when the snapshot is
    if (!context || snapshot?.openerEventId !== openerEventId)
      throw new Error(`No context for the opening event ${openerEventId}.`);
    return context;
  }).steps;
}

/** The state the fold continues from: what events made, without the RCA request or a breach the timer recorded. */
function folded(incident: Incident): FoldedIncident {
  const { rca: _rca, ...rest } = incident;
  const fr = rest.firstResponse;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the fold reads respondedAt, never the state, and viewOf puts a standing breach back ('met' kept: tested in incidentArrivalEdges.test.ts)
  return fr.state === 'breached' && fr.respondedAt === null
    ? { ...rest, firstResponse: { ...fr, state: 'pending' } }
    : rest;
}

/** The folded state with what is not an event carried over: the RCA request, and the timer's breach of a target that still stands. */
function viewOf(incident: FoldedIncident, previous: Incident | null): Incident {
  const before = previous?.firstResponse;
  const fr = incident.firstResponse;
  const breachStands =
    before?.state === 'breached' &&
    before.respondedAt === null &&
    fr.state === 'pending' &&
    fr.dueAt === before.dueAt &&
    fr.plan === before.plan;
  return {
    ...incident,
    firstResponse: breachStands ? { ...fr, state: 'breached' } : fr,
    rca: previous?.rca ?? null,
  };
}

function differs(before: FoldStep | undefined, after: FoldStep): boolean {
  if (!before) return true;
  return (
    // Stryker disable next-line ConditionalExpression: an ignored step and an applied one never share both reason and changes (each effect has its own reasons)
    before.effect !== after.effect ||
    before.reason !== after.reason ||
    JSON.stringify(before.changes) !== JSON.stringify(after.changes)
  );
}

function pick(event: TicketEvent): { occurredAt: string; eventId: string } {
  return { occurredAt: event.occurredAt, eventId: event.eventId };
}

function timelineOf(
  arriving: TicketEvent,
  receivedAt: string,
  changed: readonly FoldStep[],
  refolded: boolean,
  previous: Incident | null,
  view: Incident | null,
): TimelineEntry[] {
  const id = arriving.incidentId;
  const entries: TimelineEntry[] = [];
  const others = changed.filter((s) => s.eventId !== arriving.eventId).length;
  if (refolded && others > 0)
    entries.push({
      at: arriving.occurredAt,
      kind: 'incidentRecomputed',
      rule: 'RESP-LATE',
      // Stryker disable next-line all: timeline detail wording, not a rule
      detail: `${id}: ${arriving.type} ${arriving.eventId} arrived after events that occurred later; ${others} of them re-evaluated in occurredAt order.`,
    });
  const before = previous?.firstResponse;
  const after = view?.firstResponse;
  if (
    before?.state === 'breached' &&
    after &&
    (after.state === 'met' || (after.state === 'pending' && Date.parse(after.dueAt) > Date.parse(receivedAt)))
  )
    entries.push({
      at: receivedAt,
      kind: 'breachCorrected',
      rule: 'RESP-LATE',
      // Stryker disable next-line all: timeline detail wording, not a rule
      detail: `${id}: the breach of the first response due ${before.dueAt} is corrected: ${after.state === 'met' ? `responded at ${after.respondedAt}, in time` : `now due ${after.dueAt}`}.`,
    });
  for (const s of changed) {
    // Stryker disable next-line ConditionalExpression: with no incident yet every kept step is held before and after, so only the arriving one is listed
    if (view === null && s.eventId === arriving.eventId) {
      entries.push({
        at: s.occurredAt,
        kind: 'ticketEventHeld',
        rule: 'RESP-LATE',
        // Stryker disable next-line all: timeline detail wording, not a rule
        detail: `${id}: ${s.type} held until the incident is opened (RESP-LATE).`,
      });
    } else if (s.effect === 'ignored') {
      entries.push({
        at: s.occurredAt,
        kind: 'ticketEventIgnored',
        rule: 'RESP-LATE',
        // Stryker disable next-line all: timeline detail wording, not a rule
        detail: `${id}: ${s.type} ${s.eventId} ignored: ${s.reason}`,
      });
    } else if (s.changes.length === 0) {
      entries.push({
        at: s.occurredAt,
        kind: 'ticketEventChangedNothing',
        ...(s.rule ? { rule: s.rule } : {}),
        // Stryker disable next-line all: timeline detail wording, not a rule
        detail: `${id}: ${s.type} ${s.eventId} applied, changing nothing: ${s.reason}`,
      });
    } else {
      for (const c of s.changes)
        entries.push({
          at: s.occurredAt,
          kind: c.kind,
          ...(c.rule ? { rule: c.rule } : {}),
          // Stryker disable next-line all: timeline detail wording, not a rule
          detail: `${id}: ${c.detail}`,
        });
    }
  }
  if (entries.length <= MAX_TIMELINE_ENTRIES_PER_ARRIVAL) return entries;
  const kept = entries.slice(0, MAX_TIMELINE_ENTRIES_PER_ARRIVAL - 1);
  return [
    ...kept,
    {
      at: arriving.occurredAt,
      kind: 'incidentRecomputed',
      rule: 'RESP-LATE',
      // Stryker disable next-line all: timeline detail wording, not a rule
      detail: `${id}: and ${entries.length - kept.length} more change(s) from re-evaluating its events.`,
    },
  ];
}
