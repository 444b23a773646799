// In-memory implementations of the ports app/ works with (WorkOrderStore, DueIndex, Lifecycles), so the use cases'
// decisions are proven without Azurite. The store keeps ETags like the table adapter and can be told to lose the
// next write(s) to another writer, whose change then lands first (the use case must retry on fresh data).
import type { Lifecycles, Services } from '../../app/services';
import { DEFAULT_CATALOGUE } from '../../domain/catalogue/serviceCatalogue';
import type { DueIndex, DueItem, SweepRepair } from '../../domain/lifecycle/dueIndex';
import type { HoursUsage } from '../../domain/workOrder/hours';
import {
  WorkOrderConflict,
  type LedgerEntry,
  type Page,
  type ServiceRequestRecord,
  type StoredWorkOrder,
  type TimelineEntry,
  type WorkOrderChange,
  type WorkOrderResource,
  type WorkOrderStore,
} from '../../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../../domain/workOrder/workOrderView';

const page = <T>(items: T[], { limit, continuationToken }: { limit: number; continuationToken?: string }): Page<T> => {
  const from = Number(continuationToken ?? 0);
  const next = from + limit;
  return { items: items.slice(from, next), continuationToken: next < items.length ? String(next) : null };
};

export class MemoryWorkOrderStore implements WorkOrderStore {
  readonly workOrders = new Map<string, StoredWorkOrder>();
  readonly requests = new Map<string, ServiceRequestRecord>();
  readonly resourcesById = new Map<string, WorkOrderResource>();
  readonly timelines = new Map<string, TimelineEntry[]>();
  readonly ledgers = new Map<string, LedgerEntry[]>();
  readonly usages = new Map<string, HoursUsage[]>();
  /** Every committed write, in order (a what-if or a refused request must add none). */
  readonly writes: Array<{ workOrderId: string; change: WorkOrderChange }> = [];
  /** Writes that lost their race (each one a retry the use case had to make). */
  conflicts = 0;
  private version = 0;
  private rivals: Array<(current: WorkOrderView) => WorkOrderView> = [];

  /** The next update loses to another writer, whose `rival` change (default: none) commits first. */
  conflictOnce(rival: (current: WorkOrderView) => WorkOrderView = (w) => w): this {
    this.rivals.push(rival);
    return this;
  }

  private nextEtag(): string {
    return `W/"${++this.version}"`;
  }

  /** Seeds a Work Order as if created (no timeline entry). */
  seed(workOrder: WorkOrderView): string {
    const etag = this.nextEtag();
    this.workOrders.set(workOrder.id, { workOrder, etag });
    return etag;
  }

  /** Seeds a service request or resource as if written with its Work Order. */
  seedChange(workOrderId: string, change: WorkOrderChange): void {
    this.apply(workOrderId, change);
  }

  timelineOf(workOrderId: string): TimelineEntry[] {
    return this.timelines.get(workOrderId) ?? [];
  }

  ledgerOf(workOrderId: string): LedgerEntry[] {
    return this.ledgers.get(workOrderId) ?? [];
  }

  current(workOrderId: string): WorkOrderView {
    const stored = this.workOrders.get(workOrderId);
    if (!stored) throw new Error(`no Work Order ${workOrderId}`);
    return stored.workOrder;
  }

  private apply(workOrderId: string, change: WorkOrderChange): void {
    const timeline = this.timelines.get(workOrderId) ?? [];
    for (const entry of change.timeline ?? [])
      if (!entry.key || !timeline.some((t) => t.key === entry.key)) timeline.push(entry); // idempotent by key
    this.timelines.set(workOrderId, timeline);
    this.ledgers.set(workOrderId, [...this.ledgerOf(workOrderId), ...(change.ledger ?? [])]);
    this.usages.set(workOrderId, [...(this.usages.get(workOrderId) ?? []), ...(change.usage ?? [])]);
    for (const request of change.requests ?? []) this.requests.set(request.id, structuredClone(request));
    for (const resource of change.resources ?? [])
      this.resourcesById.set(`${resource.kind}/${resource.id}`, structuredClone(resource));
  }

  async get(workOrderId: string): Promise<StoredWorkOrder | undefined> {
    const stored = this.workOrders.get(workOrderId);
    return stored && structuredClone(stored);
  }

  async create(workOrder: WorkOrderView, change: WorkOrderChange = {}): Promise<string> {
    if (this.workOrders.has(workOrder.id)) throw new WorkOrderConflict(`Work Order ${workOrder.id} exists`);
    const etag = this.seed(structuredClone(workOrder));
    this.apply(workOrder.id, change);
    this.writes.push({ workOrderId: workOrder.id, change });
    return etag;
  }

  async update(workOrder: WorkOrderView, etag: string, change: WorkOrderChange = {}): Promise<string> {
    const rival = this.rivals.shift();
    if (rival) {
      // Another writer commits between this writer's read and its write.
      this.conflicts++;
      const stored = this.current(workOrder.id);
      this.workOrders.set(workOrder.id, { workOrder: rival(stored), etag: this.nextEtag() });
    }
    const stored = this.workOrders.get(workOrder.id);
    if (!stored || stored.etag !== etag) {
      if (!rival) this.conflicts++;
      throw new WorkOrderConflict(`Work Order ${workOrder.id} changed`);
    }
    const next = this.nextEtag();
    this.workOrders.set(workOrder.id, { workOrder: structuredClone(workOrder), etag: next });
    this.apply(workOrder.id, change);
    this.writes.push({ workOrderId: workOrder.id, change });
    return next;
  }

  async listByCustomer(customerId: string | null, options: { limit: number; continuationToken?: string }) {
    const all = [...this.workOrders.values()]
      .map((s) => s.workOrder)
      .filter((w) => customerId === null || w.customerId === customerId);
    return page(all, options);
  }

  async timeline(workOrderId: string, options: { limit: number; continuationToken?: string }) {
    return page(this.timelineOf(workOrderId), options);
  }

  async findServiceRequest(requestId: string) {
    const found = this.requests.get(requestId);
    return found && structuredClone(found);
  }

  async serviceRequests(workOrderId: string) {
    return [...this.requests.values()].filter((r) => r.workOrderId === workOrderId).map((r) => structuredClone(r));
  }

  async findResource<T>(kind: WorkOrderResource['kind'], id: string) {
    const found = this.resourcesById.get(`${kind}/${id}`);
    return found && (structuredClone(found) as WorkOrderResource<T>);
  }

  async resources<T>(workOrderId: string, kind: WorkOrderResource['kind']) {
    return [...this.resourcesById.values()]
      .filter((r) => r.kind === kind && r.workOrderId === workOrderId)
      .map((r) => structuredClone(r) as WorkOrderResource<T>);
  }

  async hoursUsage(workOrderId: string, filter: { caseId?: string } = {}) {
    return (this.usages.get(workOrderId) ?? []).filter((u) => !filter.caseId || u.caseId === filter.caseId);
  }
}

const dueKey = (item: Pick<DueItem, 'dueAt' | 'kind' | 'resourceId'>) =>
  `${item.dueAt}|${item.kind}|${item.resourceId}`;

export class MemoryDueIndex implements DueIndex {
  readonly items = new Map<string, DueItem>();
  readonly repairs: SweepRepair[] = [];
  cursor: string | null = null;

  async put(items: DueItem[]) {
    for (const item of items) if (!this.items.has(dueKey(item))) this.items.set(dueKey(item), structuredClone(item));
  }
  async listOpen(from: string, to: string) {
    return [...this.items.values()].filter((i) => i.doneAt === null && i.dueAt >= from && i.dueAt < to);
  }
  async markDone(item: Pick<DueItem, 'dueAt' | 'kind' | 'resourceId'>, doneAt: string) {
    const found = this.items.get(dueKey(item));
    if (found && !found.doneAt) found.doneAt = doneAt;
  }
  async readCursor() {
    return this.cursor;
  }
  async writeCursor(at: string) {
    this.cursor = at;
  }
  async recordRepair(repair: SweepRepair) {
    this.repairs.push(repair);
  }
  async listRepairs() {
    return [...this.repairs];
  }
  open(): DueItem[] {
    return [...this.items.values()].filter((i) => i.doneAt === null);
  }
}

/** Records what the use cases ask of the durable lifecycles; `statuses` answers status(). */
export class RecordingLifecycles implements Lifecycles {
  readonly started: Array<{ orchestration: string; instanceId: string; input: unknown }> = [];
  readonly signals: Array<{ instanceId: string; event: string; data: unknown }> = [];
  readonly statuses = new Map<string, string>();
  failSignals = false;

  async start(orchestration: string, instanceId: string, input: unknown) {
    this.started.push({ orchestration, instanceId, input });
    this.statuses.set(instanceId, 'Running');
  }
  async signal(instanceId: string, event: string, data: unknown) {
    if (this.failSignals) throw new Error(`hub unreachable: ${instanceId}`);
    this.signals.push({ instanceId, event, data });
  }
  async status(instanceId: string) {
    return this.statuses.get(instanceId);
  }
}

/** A port no test of this kind uses: any call fails loudly. */
const unusedPort = <T>(name: string): T =>
  new Proxy(
    {},
    { get: (_, method) => () => Promise.reject(new Error(`${name}.${String(method)} not used here`)) },
  ) as T;

/** Services on in-memory ports with a settable clock. */
export function memoryServices(now: string, overrides: Partial<Services> = {}) {
  const workOrders = new MemoryWorkOrderStore();
  const dueIndex = new MemoryDueIndex();
  const clock = { at: new Date(now), now: () => new Date(clock.at) };
  const services: Services = {
    workOrders,
    dueIndex,
    incidents: unusedPort('incidents'),
    eventClaims: unusedPort('eventClaims'),
    rejections: unusedPort('rejections'),
    catalogue: DEFAULT_CATALOGUE,
    clock,
    principalHeaderTrusted: true,
    ...overrides,
  };
  return { services, workOrders, dueIndex, clock, lifecycles: new RecordingLifecycles() };
}
