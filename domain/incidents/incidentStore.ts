import type { Incident } from './incident';
import type { TicketEvent } from './ticketEvent';

export type { TimelineEntry } from '../workOrder/workOrderStore';
import type { TimelineEntry } from '../workOrder/workOrderStore';

export interface StoredIncident {
  incident: Incident;
  etag: string;
}

/** A ticket event that arrived before its incident was opened (RESP-LATE), with the message that carried it. */
export interface HeldTicketEvent {
  event: TicketEvent;
  messageId: string;
  body: unknown;
}

/** The incident's place while it awaits its IncidentOpened: the events held for it, and the ETag of that place. */
export interface AwaitingOpen {
  awaitingOpen: true;
  held: HeldTicketEvent[];
  etag: string;
}

export interface IncidentPage {
  items: Incident[];
  continuationToken: string | null;
}

export class ConcurrencyConflict extends Error {
  override readonly name = 'ConcurrencyConflict';
}

/** Where incidents live (port owned by the domain side; the Table Storage adapter is in infra/tables). */
export interface IncidentStore {
  get(incidentId: string): Promise<StoredIncident | undefined>;
  /** The incident, or the events held for it, when it belongs to `workOrderId` (one read, no lookup). */
  getIn(workOrderId: string, incidentId: string): Promise<StoredIncident | AwaitingOpen | undefined>;
  /** Whether a ticket event was already applied to the Work Order's incidents (idempotency by eventId). */
  isProcessed(workOrderId: string, eventId: string): Promise<boolean>;
  /**
   * Creates (no etag) or replaces (etag, else ConcurrencyConflict) the incident, and in the same atomic write
   * marks `eventIds` processed and appends the timeline entries. `opened`: the incident is new (its etag, if any,
   * is that of the place where events were held for it).
   */
  save(
    incident: Incident,
    options: { etag?: string; opened?: boolean; eventIds?: string[]; timeline: TimelineEntry[] },
  ): Promise<string>;
  /**
   * Holds a ticket event for an incident not yet opened, beside the events already held (create without etag,
   * replace with it; ConcurrencyConflict when the incident was opened or another event held meanwhile), with a
   * timeline entry so it is visible.
   */
  hold(
    workOrderId: string,
    incidentId: string,
    held: HeldTicketEvent[],
    options: { etag?: string; timeline: TimelineEntry },
  ): Promise<void>;
  /**
   * Gives up the place of an incident that never opened, if it is unchanged (ETag; false when it changed or is
   * gone), with a timeline entry.
   */
  release(
    workOrderId: string,
    incidentId: string,
    options: { etag: string; timeline: TimelineEntry },
  ): Promise<boolean>;
  listByWorkOrder(
    workOrderId: string,
    options: { firstResponseState?: string; limit: number; continuationToken?: string },
  ): Promise<IncidentPage>;
}

export interface RejectedMessage {
  messageId: string;
  receivedAt: string;
  reason: string;
  errors: Array<{ path: string; message: string }>;
  body: unknown;
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
