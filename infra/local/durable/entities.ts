import { randomUUID } from 'node:crypto';
import type { RegisteredFunction } from '../functionsCore';
import { fromTypedData, toJsonTypedData } from '../invoke';
import type { HostServices } from '../services';
import { BoundedCache } from './boundedCache';
import {
  entityBatchCommit,
  entityTrigger,
  lockCommit,
  nextEntityStep,
  releaseCommit,
  parseSchedulerId,
  type EntityBatchResult,
  type EntityMessage,
} from './entityProtocol';
import { consumedKey } from './episode';
import type { InstanceCache } from './instanceCache';
import { rowAction, type EntityRecord, type InboxItem, type InstanceStore, type OutboxItem } from './instanceStore';
import type { Outbox } from './outbox';

/** Operations handed to the entity function in one invocation (the extension batches the same way). */
const MAX_BATCH = 20;
const CACHED_ENTITIES = 20_000;

/**
 * Runs Durable Entities: one step at a time per entity (the facade serialises it with the instance lock), each step
 * committing the entity's new state, the consumed requests and the outgoing messages (answers, signals, lock
 * hand-overs) in one entity-group transaction; the messages are then delivered through the outbox.
 */
export class EntityScheduler {
  private readonly entities = new Map<string, RegisteredFunction>();
  private readonly records = new BoundedCache<string, EntityRecord>(CACHED_ENTITIES);

  constructor(
    private readonly services: Pick<HostServices, 'clock' | 'invoker' | 'logger'>,
    private readonly parts: { store: InstanceStore; cache: InstanceCache; outbox: Outbox },
    functions: RegisteredFunction[],
  ) {
    // Entity names are case-insensitive: the scheduler ID carries the name lower-cased.
    for (const fn of functions) this.entities.set(fn.name.toLowerCase(), fn);
  }

  has(name: string): boolean {
    return this.entities.has(name.toLowerCase());
  }

  async record(entityId: string): Promise<EntityRecord> {
    const cached = this.records.get(entityId);
    if (cached) return cached;
    const stored = await this.parts.store.getEntity(entityId);
    const record = stored ?? {
      entityId,
      exists: false,
      state: null,
      lockedBy: null,
      released: [],
      lastModifiedTime: null,
    };
    this.records.set(entityId, record);
    return record;
  }

  forget(entityId: string): void {
    this.records.delete(entityId);
  }

  /** Runs the entity's next step, if any; returns whether to look for another. */
  async runStep(entityId: string): Promise<boolean> {
    const pending = await this.parts.cache.inbox(entityId);
    const inbox = [...pending.values()].sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1));
    if (inbox.length === 0) return false;
    const entity = await this.record(entityId);
    const step = nextEntityStep(entity, inbox, MAX_BATCH);
    if (!step) return false;
    const now = this.services.clock.now().toISOString();
    const scope = randomUUID().replace(/-/g, '');
    let next: { entity: EntityRecord; messages: OutboxItem[] };
    let consumed: InboxItem[];
    if ('control' in step) {
      next = this.control(entity, step.control, now, scope);
      consumed = [step.control.item];
    } else {
      const { result, failure } = await this.invoke(entity, step.operations);
      next = entityBatchCommit({ entity, operations: step.operations, result, failure, now, scope });
      consumed = step.operations.map((op) => op.item);
    }
    await this.commit(next, consumed);
    for (const item of consumed) this.parts.cache.consumed(entityId, item);
    this.parts.outbox.send(entityId, next.messages);
    return true;
  }

  private control(
    entity: EntityRecord,
    message: EntityMessage,
    now: string,
    scope: string,
  ): { entity: EntityRecord; messages: OutboxItem[] } {
    switch (message.kind) {
      case 'lock':
        return lockCommit(entity, message.request, now, scope);
      case 'release':
        return { entity: releaseCommit(entity, message), messages: [] };
      default:
        this.services.logger.warn(
          `Entity '${entity.entityId}' dropped a message it cannot read: ${message.kind === 'unreadable' ? message.reason : message.kind}.`,
        );
        return { entity, messages: [] };
    }
  }

  private async invoke(
    entity: EntityRecord,
    operations: Array<{ request: { op: string | null } }>,
  ): Promise<{ result?: EntityBatchResult; failure?: string }> {
    const { name } = parseSchedulerId(entity.entityId);
    const fn = this.entities.get(name);
    if (!fn) {
      const failure = `The function '${name}' doesn't exist, is disabled, or is not an entity function.`;
      this.services.logger.warn(`Entity '${entity.entityId}' dropped ${operations.length} operation(s): ${failure}`);
      return { failure };
    }
    const outcome = await this.services.invoker.invoke(fn, {
      inputData: [
        {
          name: fn.triggerKey,
          data: toJsonTypedData(entityTrigger(entity, operations as Parameters<typeof entityTrigger>[1])),
        },
      ],
    });
    if (outcome.ok) return { result: fromTypedData(outcome.response.returnValue) as EntityBatchResult };
    const failure = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    this.services.logger.warn(`Entity '${entity.entityId}' failed a batch of ${operations.length}: ${failure}`);
    return { failure };
  }

  /** Outgoing messages first, then the consumed requests, the entity row (with its ETag) last. */
  private async commit(next: { entity: EntityRecord; messages: OutboxItem[] }, consumed: InboxItem[]): Promise<void> {
    const { entity, messages } = next;
    const id = entity.entityId;
    let etag: string | undefined;
    try {
      etag = await this.parts.store.commit([
        ...messages.map((item) => rowAction.outbox(id, item)),
        ...consumed.map((item) => rowAction.delete(id, consumedKey(item))),
        rowAction.entity(entity),
      ]);
    } catch (error) {
      this.forget(id);
      throw error;
    }
    this.records.set(id, { ...entity, etag });
  }
}
