import type { IncidentRecord } from '../../domain/incidents/arrival';
import type { Incident } from '../../domain/incidents/incident';
import type { KeptEvent } from '../../domain/incidents/incidentFold';
import {
  ConcurrencyConflict,
  type AwaitingOpen,
  type EventClaim,
  type EventClaims,
  type IncidentPage,
  type IncidentStore,
  type RejectedMessage,
  type RejectionStore,
  type StoredIncident,
  type TimelineEntry,
} from '../../domain/incidents/incidentStore';
import type { DueItem } from '../../domain/lifecycle/dueIndex';
import type { WorkOrderResource, WorkOrderStore } from '../../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../../domain/workOrder/workOrderView';

/**
 * In-memory implementations of the ports ingestion uses, with the semantics of the Table Storage adapters
 * (infra/tables): every write under an ETag, a conflict when it is stale or the event row exists, claims that are
 * created once and moved only under their ETag. Hooks let a test play a concurrent writer at the moment of a write.
 */
let etags = 0;
const nextEtag = () => `W/"${++etags}"`;
const clone = <T>(value: T): T => structuredClone(value);
const placeKey = (workOrderId: string, incidentId: string) => `${workOrderId}|${incidentId}`;

export class InMemoryIncidentStore implements IncidentStore {
  readonly places = new Map<string, { record: IncidentRecord; etag: string }>();
  readonly kept = new Map<string, Map<string, KeptEvent>>();
  readonly lookup = new Map<string, string>();
  readonly timeline: TimelineEntry[] = [];
  /** Called before each keep (or release) is committed: a test may change the store there, as another writer would. */
  beforeKeep?: (record: IncidentRecord, event: KeptEvent) => Promise<void> | void;
  beforeRelease?: () => Promise<void> | void;

  async get(incidentId: string): Promise<StoredIncident | undefined> {
    const workOrderId = this.lookup.get(incidentId);
    const found = workOrderId ? await this.getIn(workOrderId, incidentId) : undefined;
    return found && 'incident' in found ? found : undefined;
  }

  async getIn(workOrderId: string, incidentId: string): Promise<StoredIncident | AwaitingOpen | undefined> {
    const place = this.places.get(placeKey(workOrderId, incidentId));
    if (!place) return undefined;
    const record = clone(place.record);
    if (!record.incident) return { awaitingOpen: true, record, etag: place.etag };
    return { incident: record.incident, record, etag: place.etag };
  }

  async workOrderOf(incidentId: string): Promise<string | undefined> {
    return this.lookup.get(incidentId);
  }

  async events(workOrderId: string, incidentId: string): Promise<KeptEvent[]> {
    // "in no particular order": newest first, so nothing relies on the order of arrival
    return [...(this.kept.get(placeKey(workOrderId, incidentId))?.values() ?? [])].reverse().map(clone);
  }

  async hasEvent(workOrderId: string, incidentId: string, eventId: string): Promise<boolean> {
    return this.kept.get(placeKey(workOrderId, incidentId))?.has(eventId) ?? false;
  }

  async keep(
    record: IncidentRecord,
    event: KeptEvent,
    options: { etag?: string; opened: boolean; timeline: TimelineEntry[] },
  ): Promise<string> {
    await this.beforeKeep?.(record, event);
    const key = placeKey(record.workOrderId, record.incidentId);
    if (options.opened) this.lookup.set(record.incidentId, record.workOrderId);
    const place = this.places.get(key);
    const stale = options.etag === undefined ? place !== undefined : place?.etag !== options.etag;
    if (stale || this.kept.get(key)?.has(event.event.eventId))
      throw new ConcurrencyConflict(`Incident ${record.incidentId} changed meanwhile.`);
    const etag = nextEtag();
    this.places.set(key, { record: clone(record), etag });
    if (!this.kept.has(key)) this.kept.set(key, new Map());
    this.kept.get(key)!.set(event.event.eventId, clone(event));
    this.timeline.push(...options.timeline);
    return etag;
  }

  async save(incident: Incident, options: { etag: string; timeline: TimelineEntry[] }): Promise<string> {
    const place = this.places.get(placeKey(incident.workOrderId, incident.incidentId));
    if (!place || place.etag !== options.etag)
      throw new ConcurrencyConflict(`Incident ${incident.incidentId} changed meanwhile.`);
    place.record = { ...place.record, incident: clone(incident) };
    place.etag = nextEtag();
    this.timeline.push(...options.timeline);
    return place.etag;
  }

  async release(
    workOrderId: string,
    incidentId: string,
    options: { etag: string; eventIds: string[]; timeline: TimelineEntry },
  ): Promise<boolean> {
    await this.beforeRelease?.();
    const key = placeKey(workOrderId, incidentId);
    if (this.places.get(key)?.etag !== options.etag) return false;
    this.places.delete(key);
    for (const eventId of options.eventIds) this.kept.get(key)?.delete(eventId);
    this.timeline.push(options.timeline);
    return true;
  }

  async listByWorkOrder(
    workOrderId: string,
    options: { firstResponseState?: string; limit: number },
  ): Promise<IncidentPage> {
    const items = [...this.places.values()]
      .map((p) => p.record)
      .filter((r) => r.workOrderId === workOrderId && r.incident !== null)
      .map((r) => r.incident!)
      .filter((i) => !options.firstResponseState || i.firstResponse.state === options.firstResponseState);
    return { items: items.slice(0, options.limit).map(clone), continuationToken: null };
  }
}

export class InMemoryEventClaims implements EventClaims {
  readonly claims = new Map<string, EventClaim>();
  /** Called before a takeover is committed (a test may move the claim there, as another message would). */
  beforeTakeOver?: (eventId: string) => void;

  async claim(
    eventId: string,
    target: { workOrderId: string; incidentId: string },
    at: string,
  ): Promise<{ claimed: true } | { claimed: false; holder: EventClaim }> {
    const holder = this.claims.get(eventId);
    if (holder) return { claimed: false, holder: { ...holder } };
    this.claims.set(eventId, { ...target, claimedAt: at, etag: nextEtag() });
    return { claimed: true };
  }

  async takeOver(
    eventId: string,
    target: { workOrderId: string; incidentId: string },
    at: string,
    etag: string,
  ): Promise<boolean> {
    this.beforeTakeOver?.(eventId);
    if (this.claims.get(eventId)?.etag !== etag) return false;
    this.claims.set(eventId, { ...target, claimedAt: at, etag: nextEtag() });
    return true;
  }

  async holderOf(eventId: string): Promise<EventClaim | undefined> {
    const holder = this.claims.get(eventId);
    return holder ? { ...holder } : undefined;
  }
}

/** Keyed by message and receipt time, as the table is: recording the same rejection again replaces it. */
export class InMemoryRejections implements RejectionStore {
  readonly rows = new Map<string, RejectedMessage>();

  async record(rejection: RejectedMessage): Promise<void> {
    this.rows.set(`${rejection.receivedAt}|${rejection.messageId}`, clone(rejection));
  }

  async remove(rejection: Pick<RejectedMessage, 'messageId' | 'receivedAt'>): Promise<void> {
    this.rows.delete(`${rejection.receivedAt}|${rejection.messageId}`);
  }

  async listNewestFirst(options: { limit: number }) {
    const items = [...this.rows.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    return { items: items.slice(0, options.limit), continuationToken: null };
  }
}

export class InMemoryDueIndex {
  readonly entries: DueItem[] = [];

  async put(entries: DueItem[]): Promise<void> {
    for (const entry of entries) {
      const same = this.entries.findIndex(
        (e) => e.dueAt === entry.dueAt && e.kind === entry.kind && e.resourceId === entry.resourceId,
      );
      if (same >= 0) this.entries[same] = entry;
      else this.entries.push(entry);
    }
  }
}

/** The part of a Work Order store that an incident's context reads: the Work Order and its bookings. */
export class InMemoryWorkOrders implements Pick<WorkOrderStore, 'get' | 'resources'> {
  readonly workOrders = new Map<string, WorkOrderView>();
  readonly bookings: WorkOrderResource[] = [];

  async get(workOrderId: string) {
    const workOrder = this.workOrders.get(workOrderId);
    return workOrder ? { workOrder: clone(workOrder), etag: 'wo' } : undefined;
  }

  async resources<T>(workOrderId: string, kind: WorkOrderResource['kind']): Promise<Array<WorkOrderResource<T>>> {
    return this.bookings
      .filter((b) => b.workOrderId === workOrderId && b.kind === kind)
      .map((b) => clone(b) as WorkOrderResource<T>);
  }
}
