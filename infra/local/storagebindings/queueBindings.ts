import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { BindingInfo, RegisteredFunction, RpcTypedData } from '../functionsCore';
import type { HostServices } from '../services';
import { parseTimeSpanMs } from '../timeSpan';
import { resolveBindingExpression } from './bindingData';
import type { StorageAccounts } from './storageAccounts';

/** host.json `extensions.queues`, with the Storage extension's defaults. */
export interface QueueSettings {
  batchSize: number;
  newBatchThreshold: number;
  maxDequeueCount: number;
  /** Seconds a failed message stays invisible before it is tried again. */
  visibilityTimeoutSeconds: number;
  maxPollingIntervalMs: number;
  messageEncoding: 'base64' | 'none';
}

export function queueSettings(extensions: Record<string, unknown> | undefined): QueueSettings {
  const e = extensions ?? {};
  const batchSize = Math.min(32, Math.max(1, Number(e['batchSize'] ?? 16)));
  const timeSpan = (v: unknown) => (typeof v === 'number' ? v : parseTimeSpanMs(v));
  return {
    batchSize,
    newBatchThreshold: Number(e['newBatchThreshold'] ?? Math.floor(batchSize / 2)),
    maxDequeueCount: Math.max(1, Number(e['maxDequeueCount'] ?? 5)),
    visibilityTimeoutSeconds: Math.round((timeSpan(e['visibilityTimeout']) ?? 0) / 1000),
    maxPollingIntervalMs: Math.max(100, timeSpan(e['maxPollingInterval']) ?? 60_000),
    messageEncoding: String(e['messageEncoding'] ?? 'base64').toLowerCase() === 'none' ? 'none' : 'base64',
  };
}

/** What an output binding's value becomes as message text: bytes and strings as they are, anything else as JSON. */
function encode(value: unknown, encoding: QueueSettings['messageEncoding']): string {
  const bytes = Buffer.isBuffer(value)
    ? value
    : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
  return encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8');
}

/** Decodes a message as the trigger does; undefined when a base64 queue holds text that is not base64. */
function decode(text: string, encoding: QueueSettings['messageEncoding']): Buffer | undefined {
  if (encoding === 'none') return Buffer.from(text, 'utf8');
  const compact = text.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, 'base64');
}

const PROCESSING_VISIBILITY_S = 600; // the extension holds a message 10 minutes and renews at half
const MIN_POLL_MS = 100;

/**
 * Azure Storage queues on Azurite for `queue` outputs and `queueTrigger` functions, with the Storage extension's
 * semantics: batches of up to batchSize, a new batch when in-flight work drops to newBatchThreshold, polling that
 * backs off to maxPollingInterval while a queue is empty (and wakes at once when this host writes to it), the
 * message deleted after success, released with visibilityTimeout after a failure, and moved to `<queue>-poison`
 * once its dequeueCount reaches maxDequeueCount (or when its text cannot be decoded).
 */
export class StorageQueues {
  private readonly listeners: QueueListener[] = [];

  constructor(
    private readonly services: HostServices,
    private readonly accounts: StorageAccounts,
    functions: RegisteredFunction[],
    private readonly settings: QueueSettings,
    isInError: (fn: RegisteredFunction) => string | undefined,
  ) {
    for (const fn of functions) {
      if (fn.trigger.type.toLowerCase() !== 'queuetrigger') continue;
      const problem = isInError(fn);
      if (problem) continue; // reported at start-up; a function in error does not listen
      const queueName = resolveBindingExpression(String(fn.trigger['queueName'] ?? ''), {}, new Date());
      this.listeners.push(new QueueListener(services, accounts, fn, queueName, settings));
    }
  }

  start(): void {
    for (const listener of this.listeners) listener.start();
  }

  stop(): void {
    for (const listener of this.listeners) listener.stop();
  }

  /** `queue` output binding: one message per value (an array is one message per item); the queue is created when missing. */
  async write(binding: BindingInfo, value: unknown, bindingData: Record<string, unknown>): Promise<void> {
    const queueName = resolveBindingExpression(
      String(binding['queueName'] ?? ''),
      bindingData,
      this.services.clock.now(),
    );
    const client = this.accounts.queueService(binding['connection']).getQueueClient(queueName);
    for (const item of Array.isArray(value) ? value : [value]) {
      const text = encode(item, this.settings.messageEncoding);
      try {
        await client.sendMessage(text);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        await client.createIfNotExists();
        await client.sendMessage(text);
      }
    }
    for (const listener of this.listeners) if (listener.watches(client)) listener.wake();
  }
}

class QueueListener {
  private readonly queue: QueueClient;
  private readonly poison: QueueClient | undefined;
  private inFlight = 0;
  private delayMs = MIN_POLL_MS;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;

  constructor(
    private readonly services: HostServices,
    accounts: StorageAccounts,
    private readonly fn: RegisteredFunction,
    queueName: string,
    private readonly settings: QueueSettings,
  ) {
    const service = accounts.queueService(fn.trigger['connection']);
    this.queue = service.getQueueClient(queueName);
    // As in the extension: no poison queue for a poison queue.
    this.poison = queueName.endsWith('-poison') ? undefined : service.getQueueClient(`${queueName}-poison`);
  }

  watches(client: QueueClient): boolean {
    return client.url === this.queue.url;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  wake(): void {
    this.delayMs = MIN_POLL_MS;
    if (!this.polling) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.polling || this.inFlight > this.settings.newBatchThreshold) return;
    this.polling = true;
    let received: DequeuedMessageItem[] = [];
    try {
      const response = await this.queue.receiveMessages({
        numberOfMessages: this.settings.batchSize,
        visibilityTimeout: PROCESSING_VISIBILITY_S,
      });
      received = response.receivedMessageItems;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404)
        this.services.logger.warn(`Polling queue '${this.queue.name}' failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
    if (this.stopped) return;
    for (const message of received) {
      this.inFlight += 1;
      this.services.work.spawn(
        `queue ${this.queue.name} message ${message.messageId}`,
        () => this.process(message),
        (error) =>
          this.services.logger.error(
            `Message ${message.messageId} on '${this.queue.name}' failed in the host; it becomes visible again when its ${PROCESSING_VISIBILITY_S / 60}-minute hold ends.`,
            error,
          ),
      );
    }
    if (received.length > 0) {
      this.delayMs = MIN_POLL_MS;
      this.schedule(0);
    } else {
      this.schedule(this.delayMs);
      this.delayMs = Math.min(this.delayMs * 2, this.settings.maxPollingIntervalMs);
    }
  }

  private async process(message: DequeuedMessageItem): Promise<void> {
    try {
      await this.handle(message);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight <= this.settings.newBatchThreshold && !this.timer && !this.polling) this.schedule(0);
    }
  }

  private async handle(message: DequeuedMessageItem): Promise<void> {
    const { maxDequeueCount } = this.settings;
    if (message.dequeueCount > maxDequeueCount)
      return this.movePoison(message, 'its dequeue count exceeds maxDequeueCount');
    const content = decode(message.messageText, this.settings.messageEncoding);
    if (!content)
      return this.movePoison(message, 'its text is not valid base64 (host.json extensions.queues.messageEncoding)');

    let popReceipt = message.popReceipt;
    const renew = setInterval(
      () => {
        this.queue
          .updateMessage(message.messageId, popReceipt, undefined, PROCESSING_VISIBILITY_S)
          .then((r) => (popReceipt = r.popReceipt ?? popReceipt))
          .catch(() => undefined);
      },
      (PROCESSING_VISIBILITY_S / 2) * 1000,
    );
    renew.unref();
    let outcome;
    try {
      const binary = String(this.fn.trigger['dataType'] ?? '').toLowerCase() === 'binary';
      const text = content.toString('utf8');
      outcome = await this.services.invoker.invoke(this.fn, {
        inputData: [{ name: this.fn.triggerKey, data: binary ? { bytes: new Uint8Array(content) } : { string: text } }],
        triggerMetadata: triggerMetadata(message, text),
      });
      if (outcome.ok) await this.services.dispatchOutputs(this.fn, outcome.response);
    } finally {
      clearInterval(renew);
    }
    if (outcome.ok) {
      await this.queue.deleteMessage(message.messageId, popReceipt);
      return;
    }
    const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    this.services.logger.warn(
      `Function '${this.fn.name}' failed on queue message ${message.messageId} (dequeue count ${message.dequeueCount} of ${maxDequeueCount}): ${reason}`,
    );
    if (message.dequeueCount >= maxDequeueCount && this.poison)
      return this.movePoison({ ...message, popReceipt }, `it reached maxDequeueCount of ${maxDequeueCount}`);
    if (!this.poison) return; // no poison queue: left invisible, so a failing message does not spin
    await this.queue.updateMessage(message.messageId, popReceipt, undefined, this.settings.visibilityTimeoutSeconds);
  }

  /** Copies the message as it is to `<queue>-poison` (created when missing), then deletes it. */
  private async movePoison(message: DequeuedMessageItem, why: string): Promise<void> {
    if (!this.poison) return;
    this.services.logger.warn(
      `Message ${message.messageId} on '${this.queue.name}' moved to queue '${this.poison.name}': ${why}.`,
    );
    await this.poison.createIfNotExists();
    await this.poison.sendMessage(message.messageText);
    await this.queue.deleteMessage(message.messageId, message.popReceipt);
  }
}

function triggerMetadata(message: DequeuedMessageItem, text: string): Record<string, RpcTypedData> {
  return {
    QueueTrigger: { string: text },
    DequeueCount: { json: String(message.dequeueCount) },
    Id: { string: message.messageId },
    PopReceipt: { string: message.popReceipt },
    InsertionTime: { json: JSON.stringify(message.insertedOn.toISOString()) },
    ExpirationTime: { json: JSON.stringify(message.expiresOn.toISOString()) },
    NextVisibleTime: { json: JSON.stringify(message.nextVisibleOn.toISOString()) },
  };
}
