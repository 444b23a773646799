import type { TransactionAction } from '@azure/data-tables';
import { BoundedCache } from './boundedCache';
import type { HistoryEvent } from './history';
import { inboxKey, type InboxItem, type InstanceRecord, type InstanceStore } from './instanceStore';

const CACHED_INSTANCES = 20_000;

/** An activity's or timer's completion for the next episode, made durable by its work or timer row. */
export interface Completion {
  instanceId: string;
  executionId: string;
  /** The work or timer row whose deletion consumes it. */
  backedBy: string;
  event: HistoryEvent;
}

/**
 * The host is the task hub's only writer, so what it committed last is what storage holds: instance rows (with
 * their ETags), inboxes and histories are kept write-through in bounded caches, and storage is read only on a miss
 * or after a failure. Completions not yet delivered are held here too, in memory only, never evicted.
 */
export class InstanceCache {
  private readonly histories = new BoundedCache<string, { executionId: string; events: HistoryEvent[] }>(
    CACHED_INSTANCES,
  );
  private readonly records = new BoundedCache<string, InstanceRecord>(CACHED_INSTANCES);
  private readonly inboxes = new BoundedCache<string, Map<string, InboxItem>>(CACHED_INSTANCES);
  private readonly completions = new Map<string, Map<string, InboxItem>>();

  constructor(private readonly store: InstanceStore) {}

  async record(instanceId: string): Promise<InstanceRecord | undefined> {
    const cached = this.records.get(instanceId);
    if (cached) return cached;
    const record = await this.store.getInstance(instanceId);
    if (record) this.records.set(instanceId, record);
    return record;
  }

  /** The record if it is cached (storage is not asked). */
  cachedRecord(instanceId: string): InstanceRecord | undefined {
    return this.records.get(instanceId);
  }

  async history(record: InstanceRecord): Promise<HistoryEvent[]> {
    const cached = this.histories.get(record.instanceId);
    if (cached && cached.executionId === record.executionId) return cached.events;
    const events = await this.store.history(record.instanceId, record.executionId);
    this.histories.set(record.instanceId, { executionId: record.executionId, events });
    return events;
  }

  setHistory(record: InstanceRecord, events: HistoryEvent[]): void {
    this.histories.set(record.instanceId, { executionId: record.executionId, events });
  }

  /** Undelivered events (stored inbox rows and held completions), by row key. */
  async inbox(instanceId: string): Promise<Map<string, InboxItem>> {
    const cached = this.inboxes.get(instanceId);
    if (cached) return cached;
    // Events added while this query runs are put in the same map; keys make a double sighting harmless.
    const pending = new Map<string, InboxItem>();
    this.inboxes.set(instanceId, pending);
    for (const item of await this.store.inbox(instanceId)) pending.set(item.rowKey, item);
    for (const item of this.completions.get(instanceId)?.values() ?? []) pending.set(item.rowKey, item);
    return pending;
  }

  /** A new instance's inbox is known to be empty; events raised once its row exists land in this map too. */
  emptyInbox(instanceId: string): void {
    this.inboxes.set(instanceId, new Map());
  }

  /** Notes a stored inbox row in the cached inbox, if that inbox is cached (otherwise a load will read it). */
  remember(instanceId: string, item: InboxItem): void {
    this.inboxes.peek(instanceId)?.set(item.rowKey, item);
  }

  /** Holds a completion until an episode records it (see InboxItem.backedBy). */
  hold(completion: Completion): void {
    const item: InboxItem = {
      rowKey: inboxKey(),
      executionId: completion.executionId,
      event: completion.event,
      backedBy: completion.backedBy,
    };
    let held = this.completions.get(completion.instanceId);
    if (!held) this.completions.set(completion.instanceId, (held = new Map()));
    held.set(item.rowKey, item);
    this.remember(completion.instanceId, item);
  }

  /** The work and timer rows whose completions are held for the instance (those rows are still stored). */
  heldRowKeys(instanceId: string): string[] {
    return [...(this.completions.get(instanceId)?.values() ?? [])].flatMap((item) => item.backedBy ?? []);
  }

  consumed(instanceId: string, item: InboxItem): void {
    this.inboxes.peek(instanceId)?.delete(item.rowKey);
    const held = this.completions.get(instanceId);
    if (held?.delete(item.rowKey) && held.size === 0) this.completions.delete(instanceId);
  }

  /** Commits a partition's actions, instance row included; the stored record (with its new ETag) is cached. */
  async commit(record: InstanceRecord, actions: TransactionAction[]): Promise<void> {
    let etag: string | undefined;
    try {
      etag = await this.store.commit(actions);
    } catch (error) {
      this.forget(record.instanceId);
      throw error;
    }
    this.records.set(record.instanceId, { ...record, etag });
  }

  /** Drops what is cached of an instance: storage is the truth again. */
  forget(instanceId: string): void {
    this.records.delete(instanceId);
    this.inboxes.delete(instanceId);
    this.histories.delete(instanceId);
  }

  /** Drops the completions held for an instance that no longer exists (purged or overwritten). */
  dropHeld(instanceId: string): void {
    this.completions.delete(instanceId);
  }

  /** Drops everything of a purged or overwritten instance, held completions included. */
  drop(instanceId: string): void {
    this.forget(instanceId);
    this.dropHeld(instanceId);
  }
}
