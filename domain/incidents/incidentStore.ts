import type { IncidentRecord } from './arrival';
import type { Incident, IncidentClock, IncidentContext } from './incident';
import type { KeptEvent } from './incidentFold';

export type { TimelineEntry } from '../workOrder/workOrderStore';
import type { TimelineEntry } from '../workOrder/workOrderStore';

/** An opened incident as stored, with its ETag (which changes with every event kept for it). */
export interface StoredIncident {
  incident: Incident;
  record: IncidentRecord;
  etag: string;
}

/** The incident's place while it awaits its IncidentOpened: its events are held in their rows. */
export interface AwaitingOpen {
  awaitingOpen: true;
  record: IncidentRecord;
  etag: string;
}

export interface IncidentPage {
  items: Incident[];
  continuationToken: string | null;
}

export class ConcurrencyConflict extends Error {
  override readonly name = 'ConcurrencyConflict';
}

/** Where incidents and their events live (port owned by the domain side; the Table Storage adapter is in infra/tables). */
export interface IncidentStore {
  get(incidentId: string): Promise<StoredIncident | undefined>;
  /** The incident, or its place holding events, when it is in `workOrderId` (one read, no lookup). */
  getIn(workOrderId: string, incidentId: string): Promise<StoredIncident | AwaitingOpen | undefined>;
  /** The Work Order an opened incident belongs to (its lookup), whichever Work Order a message names. */
  workOrderOf(incidentId: string): Promise<string | undefined>;
  /** The events kept with an incident (or held for it), in no particular order. */
  events(workOrderId: string, incidentId: string): Promise<KeptEvent[]>;
  /** Whether this event is kept with that incident. */
  hasEvent(workOrderId: string, incidentId: string, eventId: string): Promise<boolean>;
  /**
   * Keeps one more event: writes the incident (create without etag, replace with it) and the event's own row, with
   * the timeline entries, in one atomic write; ConcurrencyConflict when the incident changed meanwhile or the event is
   * kept already. `opened`: the incident has just opened, so its lookup is written first.
   */
  keep(
    record: IncidentRecord,
    event: KeptEvent,
    options: { etag?: string; opened: boolean; timeline: TimelineEntry[] },
  ): Promise<string>;
  /** Replaces the incident's state alone (an RCA request, a breach the due timer recorded) under its ETag. */
  save(incident: Incident, options: { etag: string; timeline: TimelineEntry[] }): Promise<string>;
  /**
   * Gives up the place of an incident that never opened, with the events held there, if it is unchanged (ETag;
   * false when it changed or is gone), with a timeline entry.
   */
  release(
    workOrderId: string,
    incidentId: string,
    options: { etag: string; eventIds: string[]; timeline: TimelineEntry },
  ): Promise<boolean>;
  listByWorkOrder(
    workOrderId: string,
    options: { firstResponseState?: string; limit: number; continuationToken?: string },
  ): Promise<IncidentPage>;
}

/** Who holds an eventId product-wide: the incident a message with that eventId was first accepted for. */
export interface EventClaim {
  workOrderId: string;
  incidentId: string;
  claimedAt: string;
  etag: string;
}

/**
 * One eventId, one effect, product-wide (api-contract "Ticketing messages"): a claim per eventId, outside any Work
 * Order's partition, taken before the event is kept anywhere.
 */
export interface EventClaims {
  /** Takes the claim for that incident; the claim already there when it is taken (ConcurrencyConflict: it vanished). */
  claim(
    eventId: string,
    target: { workOrderId: string; incidentId: string },
    at: string,
  ): Promise<{ claimed: true } | { claimed: false; holder: EventClaim }>;
  /** Moves a claim whose holder never kept its event (ETag; false when it changed meanwhile). */
  takeOver(
    eventId: string,
    target: { workOrderId: string; incidentId: string },
    at: string,
    etag: string,
  ): Promise<boolean>;
  holderOf(eventId: string): Promise<EventClaim | undefined>;
}

export interface RejectedMessage {
  messageId: string;
  receivedAt: string;
  reason: string;
  errors: Array<{ path: string; message: string }>;
  body: unknown;
  /** Set when the body was too large to keep whole: `body` is then the start of its JSON text. */
  bodyTruncated?: { length: number; sha256: string };
}

/** Ticket messages that can never succeed, kept with their reason (api-contract: never dropped, never retried). */
export interface RejectionStore {
  record(rejection: RejectedMessage): Promise<void>;
  /** Takes back a rejection recorded for a message that did apply after all. */
  remove(rejection: Pick<RejectedMessage, 'messageId' | 'receivedAt'>): Promise<void>;
  listNewestFirst(options: {
    limit: number;
    continuationToken?: string;
  }): Promise<{ items: RejectedMessage[]; continuationToken: string | null }>;
}

/** What ingestion needs to know about a Work Order: its coverage and the calendar of the incident's location. */
export interface IncidentContextSource {
  contextFor(workOrderId: string, location: string | undefined, at: string): Promise<IncidentContext | undefined>;
}

/** Keeps each incident's durable clock in step with the incident (starts, signals or restarts it). */
export interface IncidentLifecycle {
  /** `started`: the incident was just opened or reopened, so its clock is most likely not running. */
  sync(clock: IncidentClock, options?: { started?: boolean }): Promise<void>;
}
