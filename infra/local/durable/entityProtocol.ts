import { EventType, event, type HistoryEvent } from './history';
import type { EntityRecord, InboxItem, OutboxItem } from './instanceStore';
import { outboxKey } from './instanceStore';

/**
 * Durable Entities as the extension carries them (durable-protocol B §7, README "Entities"): an entity is an
 * instance whose ID is its scheduler ID `@<name lower-cased>@<key>`; requests reach it as EventRaised events named
 * `op` carrying a request message, releases of a critical section as events named `release`; a call's answer goes
 * back to the orchestration as an EventRaised named after the request ID, carrying a response message.
 */

/** The request message (the extension's RequestMessage JSON names). `op` is null for a lock request. */
export interface EntityRequest {
  id: string;
  op: string | null;
  signal: boolean;
  /** The operation input as JSON text, or null. */
  input: string | null;
  /** The sending orchestration (or entity), null from a client. */
  parent: string | null;
  parentExecution: string | null;
  /** Lock requests: the sorted scheduler IDs to lock, and this entity's position among them. */
  lockset?: string[];
  pos?: number;
}

export interface EntityResponse {
  /** The operation's result as JSON text (absent when the operation returned nothing). */
  result?: string;
  exceptionType?: string;
}

/** What the entity function returns (durable-functions entities/EntityState.js). */
export interface EntityBatchResult {
  results: Array<{ isError: boolean; result?: string }>;
  signals: Array<{ target: { name: string; key: string }; name: string; input?: string }>;
  entityExists: boolean;
  entityState?: string;
}

export const LOCK_ACQUIRED = 'Lock Acquisition Completed';

export const isEntityId = (instanceId: string) => instanceId.startsWith('@');

export function schedulerId(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

export function parseSchedulerId(id: string): { name: string; key: string } {
  const at = id.indexOf('@', 1);
  return { name: id.slice(1, at), key: id.slice(at + 1) };
}

export function requestEvent(request: EntityRequest, now: string): HistoryEvent {
  return event(EventType.EventRaised, now, { Name: 'op', Input: JSON.stringify(request) });
}

export function releaseEvent(parent: string, lockRequestId: string, now: string): HistoryEvent {
  return event(EventType.EventRaised, now, { Name: 'release', Input: JSON.stringify({ parent, id: lockRequestId }) });
}

export function responseEvent(requestId: string, response: EntityResponse, now: string): HistoryEvent {
  return event(EventType.EventRaised, now, { Name: requestId, Input: JSON.stringify(response) });
}

/** A message to deliver to another instance's inbox, stored in the sender's commit (outbox). */
export function deliverItem(
  scope: string,
  n: number,
  target: { instanceId: string; executionId: string | null },
  message: HistoryEvent,
): OutboxItem {
  return {
    rowKey: outboxKey.message(scope, n),
    kind: 'deliver',
    payload: { target: target.instanceId, executionId: target.executionId, event: message },
  };
}

/** An inbox item of an entity, read: an operation or lock request, or a release. */
export type EntityMessage =
  | { kind: 'operation'; item: InboxItem; request: EntityRequest }
  | { kind: 'lock'; item: InboxItem; request: EntityRequest }
  | { kind: 'release'; item: InboxItem; parent: string; lockRequestId: string }
  | { kind: 'unreadable'; item: InboxItem; reason: string };

export function readEntityMessage(item: InboxItem): EntityMessage {
  const { Name, Input } = item.event as HistoryEvent & { Name?: string; Input?: string };
  try {
    const body = JSON.parse(String(Input)) as Record<string, unknown>;
    if (Name === 'release')
      return { kind: 'release', item, parent: String(body['parent']), lockRequestId: String(body['id']) };
    if (Name === 'op') {
      const request = body as unknown as EntityRequest;
      return Array.isArray(request.lockset) && request.op === null
        ? { kind: 'lock', item, request }
        : { kind: 'operation', item, request };
    }
    return { kind: 'unreadable', item, reason: `an entity takes no event named '${String(Name)}'` };
  } catch (error) {
    return { kind: 'unreadable', item, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The next step of an entity: the messages it takes now, in arrival order. While a critical section holds it, only
 * its owner's requests and release are taken; the others wait in the inbox (the extension queues them the same way).
 * A lock request or a release is a step of its own; consecutive operations form one batch for the entity function.
 */
export function nextEntityStep(
  entity: EntityRecord,
  inbox: InboxItem[],
  maxBatch: number,
): { control: EntityMessage } | { operations: Array<Extract<EntityMessage, { kind: 'operation' }>> } | undefined {
  const operations: Array<Extract<EntityMessage, { kind: 'operation' }>> = [];
  for (const item of inbox) {
    const message = readEntityMessage(item);
    const owner = entity.lockedBy;
    if (message.kind === 'operation') {
      if (owner && message.request.parent !== owner) continue;
      operations.push(message);
      if (operations.length >= maxBatch) break;
      continue;
    }
    if (message.kind === 'lock' && owner && owner !== message.request.parent) continue;
    if (operations.length > 0) break;
    return { control: message };
  }
  return operations.length > 0 ? { operations } : undefined;
}

/** The entity batch trigger input (durable-functions entities/DurableEntityBindingInfo.js). */
export function entityTrigger(
  entity: EntityRecord,
  operations: Array<{ request: EntityRequest }>,
): Record<string, unknown> {
  return {
    self: parseSchedulerId(entity.entityId),
    exists: entity.exists,
    state: entity.state ?? undefined,
    batch: operations.map(({ request }) => ({
      name: request.op ?? '',
      input: request.input ?? undefined,
      id: request.id,
      isSignal: request.signal,
    })),
  };
}

/**
 * The pure entity step after the entity function ran (or failed as a whole: `result` undefined, `failure` set):
 * the new entity record, the answers to calls and the signals the entity sent, as outbox messages.
 */
export function entityBatchCommit(input: {
  entity: EntityRecord;
  operations: Array<{ request: EntityRequest }>;
  result: EntityBatchResult | undefined;
  failure?: string;
  now: string;
  scope: string;
}): { entity: EntityRecord; messages: OutboxItem[] } {
  const { entity, operations, result, now, scope } = input;
  const messages: OutboxItem[] = [];
  const send = (target: { instanceId: string; executionId: string | null }, message: HistoryEvent) =>
    messages.push(deliverItem(scope, messages.length, target, message));
  operations.forEach(({ request }, i) => {
    if (request.signal || !request.parent) return;
    const outcome = result?.results[i];
    const response: EntityResponse = !result
      ? { result: JSON.stringify(input.failure ?? 'The entity function failed.'), exceptionType: 'Error' }
      : outcome?.isError
        ? { result: outcome.result ?? JSON.stringify('The operation failed.'), exceptionType: 'Error' }
        : outcome?.result === undefined
          ? {}
          : { result: outcome.result };
    send(
      { instanceId: request.parent, executionId: request.parentExecution },
      responseEvent(request.id, response, now),
    );
  });
  for (const [n, signal] of (result?.signals ?? []).entries()) {
    const request: EntityRequest = {
      id: `${scope}:${n}`,
      op: signal.name,
      signal: true,
      input: signal.input ? signal.input : null,
      parent: entity.entityId,
      parentExecution: null,
    };
    send(
      { instanceId: schedulerId(signal.target.name, signal.target.key), executionId: null },
      requestEvent(request, now),
    );
  }
  const next: EntityRecord = result
    ? {
        ...entity,
        exists: result.entityExists,
        state: result.entityExists ? (result.entityState ?? null) : null,
        lastModifiedTime: now,
      }
    : entity;
  return { entity: next, messages };
}

/**
 * A lock request taken by this entity (B §4 LockEntities): it is now held by the requester, and the request moves
 * on to the next entity of the lock set, or, from the last one, the requester is told that it holds them all.
 */
export function lockCommit(
  entity: EntityRecord,
  request: EntityRequest,
  now: string,
  scope: string,
): { entity: EntityRecord; messages: OutboxItem[] } {
  // The requester ended while acquiring and released this entity before the request got here: drop it.
  if (entity.released.includes(request.id)) return { entity, messages: [] };
  const lockset = request.lockset ?? [];
  const pos = request.pos ?? 0;
  const next = lockset[pos + 1];
  const message = next
    ? deliverItem(scope, 0, { instanceId: next, executionId: null }, requestEvent({ ...request, pos: pos + 1 }, now))
    : deliverItem(
        scope,
        0,
        { instanceId: String(request.parent), executionId: request.parentExecution },
        responseEvent(request.id, { result: JSON.stringify(LOCK_ACQUIRED) }, now),
      );
  return { entity: { ...entity, lockedBy: request.parent }, messages: [message] };
}

/**
 * A release: the owner's frees the entity; one for a lock request that has not reached this entity yet (its
 * requester ended while acquiring) is remembered, so that request is dropped when it arrives. Others change nothing.
 */
export function releaseCommit(entity: EntityRecord, release: { parent: string; lockRequestId: string }): EntityRecord {
  if (entity.lockedBy === release.parent) return { ...entity, lockedBy: null };
  if (entity.lockedBy === null && !entity.released.includes(release.lockRequestId))
    return { ...entity, released: [...entity.released, release.lockRequestId].slice(-20) };
  return entity;
}
