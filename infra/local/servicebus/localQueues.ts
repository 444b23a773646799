import { createHash, randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { InputBindings } from '../bindings';
import type { RegisteredFunction, RpcTypedData } from '../functionsCore';
import type { HostServices } from '../services';

export interface OutgoingMessage {
  messageId?: string;
  body: unknown;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  applicationProperties?: Record<string, unknown>;
}

export interface StoredMessage {
  queue: string;
  /** The table partition: the queue and the bucket of its messageId (see `partitionOf`). */
  partition: string;
  sequenceNumber: number;
  messageId: string;
  body: string;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  applicationProperties?: Record<string, unknown>;
  enqueuedTimeUtc: string;
  deliveryCount: number;
  state: 'active' | 'deadlettered';
  deadLetterReason?: string;
  deadLetterErrorDescription?: string;
  etag?: string;
}

export interface QueueSettings {
  maxDeliveryCount: number;
  maxConcurrentCalls: number;
  duplicateDetectionWindowMs: number;
}

const TABLE = 'LocalHostServiceBus';
const seqKey = (n: number) => n.toString().padStart(16, '0');
const BUCKETS = 16;

/**
 * A message and its duplicate-detection row share a partition chosen by a hash of the messageId, so they commit
 * in one batch while no partition grows with the whole queue (Azurite finds a row by scanning its partition).
 */
function partitionOf(queue: string, messageId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < messageId.length; i++) hash = Math.imul(hash ^ messageId.charCodeAt(i), 0x01000193);
  return `${queue}|${((hash >>> 0) % BUCKETS).toString().padStart(2, '0')}`;
}

/**
 * The duplicate-detection row key. A messageId may be 128 characters of any script; encoded it can pass Azurite's
 * 512-character key limit, so a long one is keyed by its SHA-256 instead (short ones keep their readable key).
 */
function dedupeKeyOf(messageId: string): string {
  const readable = `d:${encodeURIComponent(messageId)}`;
  return readable.length <= 256 ? readable : `h:${createHash('sha256').update(messageId).digest('hex')}`;
}

/** Every partition of a queue, as an OData range on PartitionKey ('}' sorts right after '|'). */
const queueRange = (queue: string) =>
  `PartitionKey ge '${queue.replace(/'/g, "''")}|' and PartitionKey lt '${queue.replace(/'/g, "''")}}'`;
const bySequence = (a: StoredMessage, b: StoredMessage) => a.sequenceNumber - b.sequenceNumber;

/**
 * Service Bus queues for a host without the emulator: peek-lock delivery to the queue's trigger,
 * deliveryCount bumped per delivery (persisted before the handler runs, as a lock expiry would),
 * abandon-and-redeliver when the handler throws, dead-letter after maxDeliveryCount with reason
 * MaxDeliveryCountExceeded, and duplicate detection by messageId. Messages live in Azurite, so
 * queued and dead-lettered messages survive a restart.
 */
export class LocalQueues {
  private table!: TableClient;
  private readonly sequence = new Map<string, number>();
  private readonly available = new Map<string, StoredMessage[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly triggers = new Map<string, RegisteredFunction>();
  private stopped = false;

  constructor(
    private readonly services: HostServices,
    private readonly bindings: InputBindings,
    functions: RegisteredFunction[],
    private readonly settings: QueueSettings,
  ) {
    for (const fn of functions) {
      if (fn.trigger.type.toLowerCase() !== 'servicebustrigger') continue;
      const queue =
        (fn.trigger['queueName'] as string | undefined) ??
        `${String(fn.trigger['topicName'])}/${String(fn.trigger['subscriptionName'])}`;
      this.triggers.set(queue.toLowerCase(), fn);
    }
  }

  /** Loads stored messages (locks held by a crashed host are gone, so every active message is available). */
  async start(): Promise<void> {
    this.table = await this.services.storage.table(TABLE);
    const stored: StoredMessage[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `RowKey ge 'm:' and RowKey lt 'm;'` },
    })) {
      stored.push(fromEntity(entity));
    }
    for (const message of stored.sort(bySequence)) {
      this.sequence.set(message.queue, Math.max(this.sequence.get(message.queue) ?? 0, message.sequenceNumber));
      if (message.state === 'active') this.queueOf(message.queue).push(message);
    }
    for (const queue of this.available.keys()) this.pump(queue);
  }

  stop(): void {
    this.stopped = true;
  }

  queueNames(): string[] {
    return [...this.triggers.keys()];
  }

  /** Sends one message, as a ticketing system or an output binding would. Returns false for a duplicate. */
  async send(queueName: string, message: OutgoingMessage): Promise<{ messageId: string; duplicate: boolean }> {
    const queue = queueName.toLowerCase();
    const messageId = message.messageId ?? randomUUID();
    const now = this.services.clock.nowMs();
    const sequenceNumber = (this.sequence.get(queue) ?? 0) + 1;
    this.sequence.set(queue, sequenceNumber);
    const partition = partitionOf(queue, messageId);
    const stored: StoredMessage = {
      queue,
      partition,
      sequenceNumber,
      messageId,
      body:
        typeof message.body === 'string'
          ? message.body
          : Buffer.isBuffer(message.body)
            ? message.body.toString('utf8')
            : JSON.stringify(message.body),
      contentType: message.contentType ?? (typeof message.body === 'string' ? 'text/plain' : 'application/json'),
      correlationId: message.correlationId,
      subject: message.subject,
      applicationProperties: message.applicationProperties,
      enqueuedTimeUtc: new Date(now).toISOString(),
      deliveryCount: 0,
      state: 'active',
    };
    // The duplicate-detection row and the message commit together; an existing row means a possible duplicate.
    const dedupeKey = dedupeKeyOf(messageId);
    let result;
    try {
      result = await this.table.submitTransaction([
        ['create', { partitionKey: partition, rowKey: dedupeKey, seenAt: now }],
        ['create', toEntity(stored)],
      ]);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      if (await this.isDuplicate(partition, dedupeKey, now)) return { messageId, duplicate: true };
      result = await this.table.submitTransaction([['create', toEntity(stored)]]);
    }
    const created = result.subResponses.find((r) => r.rowKey === toEntity(stored).rowKey) ?? result.subResponses.at(-1);
    stored.etag = created?.etag;
    this.queueOf(queue).push(stored);
    this.pump(queue);
    return { messageId, duplicate: false };
  }

  async deadLetters(queueName: string): Promise<StoredMessage[]> {
    return this.list(queueName, 'deadlettered');
  }

  async activeMessages(queueName: string): Promise<StoredMessage[]> {
    return this.list(queueName, 'active');
  }

  private async list(queueName: string, state: StoredMessage['state']): Promise<StoredMessage[]> {
    const queue = queueName.toLowerCase();
    const out: StoredMessage[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `${queueRange(queue)} and RowKey ge 'm:' and RowKey lt 'm;'` },
    })) {
      const message = fromEntity(entity);
      if (message.state === state) out.push(message);
    }
    return out.sort(bySequence);
  }

  private queueOf(queue: string): StoredMessage[] {
    let list = this.available.get(queue);
    if (!list) this.available.set(queue, (list = []));
    return list;
  }

  /** The messageId was seen before: a duplicate inside the window; outside it the window restarts now. */
  private async isDuplicate(partition: string, rowKey: string, now: number): Promise<boolean> {
    const seen = await this.table.getEntity<{ seenAt: number }>(partition, rowKey);
    if (now - Number(seen.seenAt) < this.settings.duplicateDetectionWindowMs) return true;
    await this.table.updateEntity({ partitionKey: partition, rowKey, seenAt: now }, 'Replace', { etag: seen.etag });
    return false;
  }

  /** Starts deliveries up to maxConcurrentCalls; each delivery is counted as host work. */
  private pump(queue: string): void {
    const fn = this.triggers.get(queue);
    if (!fn || this.stopped) return;
    const list = this.queueOf(queue);
    while (list.length > 0 && (this.inFlight.get(queue) ?? 0) < this.settings.maxConcurrentCalls) {
      const message = list.shift() as StoredMessage;
      this.inFlight.set(queue, (this.inFlight.get(queue) ?? 0) + 1);
      this.services.work.spawn(
        `deliver ${queue} #${message.sequenceNumber}`,
        () =>
          this.deliver(fn, message).finally(() => {
            this.inFlight.set(queue, (this.inFlight.get(queue) ?? 1) - 1);
            this.pump(queue);
          }),
        (error) => {
          // The host's own storage failed (not the function): the message is still stored; offer it again shortly.
          this.services.logger.error(
            `Delivery of message ${message.messageId} on '${queue}' failed in the host; it is offered again in 1 s.`,
            error,
          );
          setTimeout(() => {
            if (this.stopped) return;
            this.queueOf(queue).push(message);
            this.pump(queue);
          }, 1000).unref();
        },
      );
    }
  }

  private async deliver(fn: RegisteredFunction, message: StoredMessage): Promise<void> {
    message.deliveryCount += 1;
    try {
      const locked = await this.table.updateEntity(toEntity(message), 'Replace', { etag: message.etag });
      message.etag = locked.etag;
    } catch (error) {
      message.deliveryCount -= 1; // not locked, so not delivered
      throw error;
    }
    const lockedUntil = new Date(this.services.clock.nowMs() + 5 * 60_000);
    const outcome = await this.services.invoker.invoke(fn, {
      inputData: [{ name: fn.triggerKey, data: { string: message.body } }],
      triggerMetadata: triggerMetadata(message, lockedUntil),
    });
    if (outcome.ok) {
      await this.services.dispatchOutputs(fn, outcome.response);
      await this.table.deleteEntity(message.partition, `m:${seqKey(message.sequenceNumber)}`, { etag: message.etag });
      return;
    }
    const description = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    this.services.logger.warn(
      `Function '${fn.name}' failed on message ${message.messageId} (delivery ${message.deliveryCount} of ${this.settings.maxDeliveryCount}): ${description}`,
    );
    if (message.deliveryCount >= this.settings.maxDeliveryCount) {
      message.state = 'deadlettered';
      message.deadLetterReason = 'MaxDeliveryCountExceeded';
      message.deadLetterErrorDescription = description;
      const result = await this.table.updateEntity(toEntity(message), 'Replace', { etag: message.etag });
      message.etag = result.etag;
      return;
    }
    this.queueOf(message.queue).push(message); // abandon: available again at once
  }
}

function triggerMetadata(message: StoredMessage, lockedUntil: Date): Record<string, RpcTypedData> {
  const meta: Record<string, RpcTypedData> = {
    DeliveryCount: { json: String(message.deliveryCount) },
    LockToken: { string: randomUUID() },
    ExpiresAtUtc: {
      json: JSON.stringify(new Date(Date.parse(message.enqueuedTimeUtc) + 14 * 86_400_000).toISOString()),
    },
    EnqueuedTimeUtc: { json: JSON.stringify(message.enqueuedTimeUtc) },
    MessageId: { string: message.messageId },
    SequenceNumber: { json: String(message.sequenceNumber) },
    ApplicationProperties: { json: JSON.stringify(message.applicationProperties ?? {}) },
    UserProperties: { json: JSON.stringify(message.applicationProperties ?? {}) },
    LockedUntilUtc: { json: JSON.stringify(lockedUntil.toISOString()) },
  };
  if (message.contentType) meta['ContentType'] = { string: message.contentType };
  if (message.correlationId) meta['CorrelationId'] = { string: message.correlationId };
  if (message.subject) {
    meta['Subject'] = { string: message.subject };
    meta['Label'] = { string: message.subject };
  }
  return meta;
}

/** A Table string property holds 32K UTF-16 characters; a Service Bus message may be 256 KiB, so the body is split. */
const BODY_CHUNK = 30_000;

function bodyProperties(body: string): Record<string, string> {
  const properties: Record<string, string> = { body: body.slice(0, BODY_CHUNK) };
  for (let i = 1; i * BODY_CHUNK < body.length; i++)
    properties[`body${i}`] = body.slice(i * BODY_CHUNK, (i + 1) * BODY_CHUNK);
  return properties;
}

function bodyOf(e: Record<string, unknown>): string {
  let body = String(e['body'] ?? '');
  for (let i = 1; typeof e[`body${i}`] === 'string'; i++) body += e[`body${i}`] as string;
  return body;
}

function toEntity(m: StoredMessage) {
  return {
    partitionKey: m.partition,
    rowKey: `m:${seqKey(m.sequenceNumber)}`,
    messageId: m.messageId,
    ...bodyProperties(m.body),
    contentType: m.contentType ?? '',
    correlationId: m.correlationId ?? '',
    subject: m.subject ?? '',
    applicationProperties: JSON.stringify(m.applicationProperties ?? {}),
    enqueuedTimeUtc: m.enqueuedTimeUtc,
    deliveryCount: m.deliveryCount,
    state: m.state,
    deadLetterReason: m.deadLetterReason ?? '',
    deadLetterErrorDescription: m.deadLetterErrorDescription ?? '',
  };
}

function fromEntity(e: Record<string, unknown>): StoredMessage {
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return {
    queue: String(e['partitionKey']).split('|')[0] as string,
    partition: String(e['partitionKey']),
    sequenceNumber: Number(String(e['rowKey']).slice(2)),
    messageId: String(e['messageId']),
    body: bodyOf(e),
    contentType: text(e['contentType']),
    correlationId: text(e['correlationId']),
    subject: text(e['subject']),
    applicationProperties: JSON.parse(String(e['applicationProperties'] ?? '{}')) as Record<string, unknown>,
    enqueuedTimeUtc: String(e['enqueuedTimeUtc']),
    deliveryCount: Number(e['deliveryCount'] ?? 0),
    state: e['state'] === 'deadlettered' ? 'deadlettered' : 'active',
    deadLetterReason: text(e['deadLetterReason']),
    deadLetterErrorDescription: text(e['deadLetterErrorDescription']),
    etag: text(e['etag']),
  };
}
