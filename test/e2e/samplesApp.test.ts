import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';

// An app laid out as the durable-functions samples-ts app after `tsc` (package.json main: dist/functions/*.js),
// started as a user would: `npm start -- --app <its folder>`. Its storage bindings use the connection
// StorageConnString = UseDevelopmentStorage=true (local.settings.json); host.json sets extensions.queues
// maxDequeueCount 3, visibilityTimeout 2 s, maxPollingInterval 2 s.
const app = 'test/fixtures/samplesApp';

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
}

interface Status {
  runtimeStatus: string;
  output: unknown;
}

interface Attempt {
  id: string;
  dequeueCount: number;
  at: number;
}

let azurite: RunningAzurite;
let host: HostProcess;
let blobs: BlobServiceClient;
let queues: QueueServiceClient;
let siteDir: string;

const base64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${host.output().slice(-3000)}`);
}

async function start(orchestrator: string, input?: unknown): Promise<CheckStatus> {
  const response = await host.post(`/api/orchestrators/${orchestrator}`, input);
  expect(response.status).toBe(202);
  return (await response.json()) as CheckStatus;
}

async function finished(check: CheckStatus): Promise<Status> {
  return eventually(async () => {
    await host.settle();
    const status = (await (await fetch(check.statusQueryGetUri)).json()) as Status;
    return ['Pending', 'Running'].includes(status.runtimeStatus) ? undefined : status;
  }, `orchestration ${check.id}`);
}

/** Every message now visible in a queue, decoded as the trigger would (base64). */
async function drain(queueName: string): Promise<string[]> {
  const client = queues.getQueueClient(queueName);
  if (!(await client.exists())) return [];
  const { receivedMessageItems } = await client.receiveMessages({ numberOfMessages: 32 });
  return receivedMessageItems.map((m) => m.messageText);
}

describe('local host: the durable-functions samples patterns, storage bindings on Azurite', () => {
  beforeAll(async () => {
    azurite = await startTestAzurite(['table', 'blob', 'queue']);
    blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
    host = await startHostProcess({ app, storageConnectionString: azurite.connectionString });
    // Queue retries take seconds of visibility timeout; they run while the other tests do.
    const flaky = queues.getQueueClient('flaky-work');
    await flaky.createIfNotExists();
    await flaky.sendMessage(base64({ id: 'second-time-lucky', succeedOn: 2 }));
    await flaky.sendMessage(base64({ id: 'never', succeedOn: 99 }));
    await flaky.sendMessage('this text is not base64!');

    siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-'));
    fs.mkdirSync(path.join(siteDir, 'css/themes'), { recursive: true });
    fs.writeFileSync(path.join(siteDir, 'index.html'), '<h1>hello</h1>');
    fs.writeFileSync(path.join(siteDir, 'css/site.css'), 'h1 { color: teal }');
    fs.writeFileSync(path.join(siteDir, 'css/themes/logo.bin'), randomBytes(5000));
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
    if (siteDir) fs.rmSync(siteDir, { recursive: true, force: true });
  });

  it('loads every file the glob main matches and runs the function-chaining sample', async () => {
    const done = await finished(await start('helloSequence'));
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: ['Hello Tokyo', 'Hello Seattle', 'Hello Cairo'] });
  });

  it('backupSiteContent: fans out one activity per file, each writing its blob output backups/{backupPath}', async () => {
    const done = await finished(await start('backupSiteContent', siteDir));
    const files = ['index.html', 'css/site.css', 'css/themes/logo.bin'];
    const sizes = files.map((f) => fs.statSync(path.join(siteDir, f)).size);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: sizes.reduce((a, b) => a + b, 0) });
    const container = blobs.getContainerClient('backups');
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    expect(names.sort()).toEqual([...files].sort());
    for (const file of files)
      expect(
        (await container.getBlobClient(file).downloadToBuffer()).equals(fs.readFileSync(path.join(siteDir, file))),
      ).toBe(true);
  });

  it('queue output → queue trigger with a blob input named by the message → queue output', async () => {
    const catalog = blobs.getContainerClient('catalog');
    await catalog.createIfNotExists();
    await catalog.getBlockBlobClient('sku-7.json').upload('{"unitPrice":12.5}', 18);
    const placed = await host.post('/api/orders', { orderId: 'o-1', sku: 'sku-7', quantity: 4 });
    expect(placed.status).toBe(202);
    const [text] = await eventually(async () => {
      const got = await drain('orders-priced');
      return got.length ? got : undefined;
    }, 'the priced order');
    expect(JSON.parse(Buffer.from(String(text), 'base64').toString('utf8'))).toEqual({
      orderId: 'o-1',
      total: 50,
      dequeueCount: 1,
      messageId: expect.any(String),
    });
    expect(await drain('orders')).toEqual([]);
  });

  it('retries a failed message after the visibility timeout with its dequeueCount, and moves it to <queue>-poison after maxDequeueCount', async () => {
    const poisoned = await eventually(async () => {
      const client = queues.getQueueClient('flaky-work-poison');
      if (!(await client.exists())) return undefined;
      const { peekedMessageItems } = await client.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems.length >= 2 ? peekedMessageItems.map((m) => m.messageText) : undefined;
    }, 'two poison messages');
    // Copied as they were: the one that failed maxDequeueCount times, and the undecodable one (never invoked).
    expect(poisoned.sort()).toEqual([base64({ id: 'never', succeedOn: 99 }), 'this text is not base64!'].sort());

    const attempts = (await (await host.get('/api/attempts')).json()) as Attempt[];
    const of = (id: string) => attempts.filter((a) => a.id === id);
    expect(of('never').map((a) => a.dequeueCount)).toEqual([1, 2, 3]);
    expect(of('second-time-lucky').map((a) => a.dequeueCount)).toEqual([1, 2]);
    const [first, second] = of('second-time-lucky') as [Attempt, Attempt];
    expect(second.at - first.at).toBeGreaterThanOrEqual(1900); // released with visibilityTimeout 00:00:02
    expect(attempts).toHaveLength(5);
    expect(await drain('flaky-work')).toEqual([]);
  });
});
