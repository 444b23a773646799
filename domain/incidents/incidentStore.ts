import type { Incident } from './incident';

export type { TimelineEntry } from '../workOrder/workOrderStore';
import type { TimelineEntry } from '../workOrder/workOrderStore';

export interface StoredIncident {
  incident: Incident;
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
  /** The incident when it is known to belong to `workOrderId` (one read, no lookup). */
  getIn(workOrderId: string, incidentId: string): Promise<StoredIncident | undefined>;
  /** Whether a ticket event was already applied to the Work Order's incidents (idempotency by eventId). */
  isProcessed(workOrderId: string, eventId: string): Promise<boolean>;
  /**
   * Creates (no etag) or replaces (etag, else ConcurrencyConflict) the incident, and in the same atomic write
   * marks `eventId` processed and appends the timeline entries.
   */
  save(incident: Incident, options: { etag?: string; eventId?: string; timeline: TimelineEntry[] }): Promise<string>;
  listByWorkOrder(workOrderId: string, options: { firstResponseState?: string; limit: number; continuationToken?: string }): Promise<IncidentPage>;
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
  listNewestFirst(options: { limit: number; continuationToken?: string }): Promise<{ items: RejectedMessage[]; continuationToken: string | null }>;
}
