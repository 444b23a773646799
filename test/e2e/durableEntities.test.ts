import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';

// Durable Entities through the real durable-functions 3.5.0 library, in an app written as its samples-ts are.
const app = 'test/fixtures/entityCounterApp/index.js';

interface Status {
  runtimeStatus: string;
  output: unknown;
  history?: Array<{ EventType: string }>;
}

let azurite: RunningAzurite;
let host: HostProcess;

async function status(id: string): Promise<Status> {
  const response = await host.get(`/api/instances/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Status;
}

async function entity(name: string, key: string): Promise<{ entityExists: boolean; entityState?: unknown }> {
  const response = await host.get(`/api/entities/${name}/${key}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { entityExists: boolean; entityState?: unknown };
}

async function run(name: string, id: string, input?: unknown): Promise<Status> {
  const started = await host.post(`/api/orchestrators/${name}/${id}`, input);
  expect(started.status).toBe(202);
  await host.settle();
  return status(id);
}

describe('local host: Durable Entities (durable-functions 3.5.0, as its samples use them)', () => {
  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({ app, storageConnectionString: azurite.connectionString });
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('client.signalEntity changes the state in the order signalled; client.readEntityState reads it', async () => {
    expect(await entity('counterEntity', 'c1')).toEqual({ entityExists: false });
    for (const [op, input] of [
      ['add', 3],
      ['add', 4],
      ['reset', undefined],
      ['add', 5],
    ] as const)
      expect((await host.post(`/api/entities/counterEntity/c1/${op}`, input)).status).toBe(202);
    await host.settle();
    expect(await entity('counterEntity', 'c1')).toEqual({ entityExists: true, entityState: 5 });

    // An entity operation signals another entity; destructOnExit removes the state.
    await host.post('/api/entities/counterEntity/c1/copyTo', 'c2');
    await host.settle();
    expect(await entity('counterEntity', 'c2')).toEqual({ entityExists: true, entityState: 5 });
    await host.post('/api/entities/counterEntity/c2/delete');
    await host.settle();
    expect(await entity('counterEntity', 'c2')).toEqual({ entityExists: false });
  });

  it('runs the samples-ts counterOrchestration: callEntity answers the orchestration', async () => {
    const first = await run('counterOrchestration', 'counter-1');
    expect(first).toMatchObject({ runtimeStatus: 'Completed', output: 0 });
    const second = await run('counterOrchestration', 'counter-2');
    expect(second).toMatchObject({ runtimeStatus: 'Completed', output: 1 });
    expect(await entity('counterEntity', 'myCounter')).toEqual({ entityExists: true, entityState: 2 });
    expect(second.history?.map((e) => e.EventType)).toEqual(expect.arrayContaining(['EventSent', 'EventRaised']));
  });

  it('delivers signals before a later call from the same orchestration, fails a call whose operation throws, and sends the last episode’s signal', async () => {
    const done = await run('signalThenCall', 'signal-1', 's1');
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { total: 15, failure: 'caught' } });
    expect(await entity('counterEntity', 's1')).toEqual({ entityExists: true, entityState: 115 });
  });

  it('runs the transferEntities sample: a critical section keeps two concurrent transfers from overdrawing', async () => {
    await host.post('/api/entities/transferAccount/a/add', 100);
    await host.settle();
    // Both start before either runs; each waits for a durable timer inside its critical section.
    expect(
      (await host.post('/api/orchestrators/transferEntities/t-1', { fromKey: 'a', toKey: 'b', amount: 60 })).status,
    ).toBe(202);
    expect(
      (await host.post('/api/orchestrators/transferEntities/t-2', { fromKey: 'a', toKey: 'c', amount: 60 })).status,
    ).toBe(202);
    await host.settle();
    for (let i = 0; i < 4; i++) await host.advance(1);
    const outcomes = [(await status('t-1')).output, (await status('t-2')).output];
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { transferred: true, locks: 2 },
        { transferred: false, reason: 'insufficient funds' },
      ]),
    );
    expect((await entity('transferAccount', 'a')).entityState).toBe(40);
    // The winner credited its destination; the loser's destination was locked but never written (no state).
    const credited = [await entity('transferAccount', 'b'), await entity('transferAccount', 'c')];
    expect(credited).toEqual(
      expect.arrayContaining([{ entityExists: true, entityState: 60 }, { entityExists: false }]),
    );
  });

  it('refuses a signal to an entity the app does not register, and an orchestration ID reserved for entities', async () => {
    const unknown = await fetch(`${host.url}/durabletask/entities/nobody/k?op=add`, { method: 'POST', body: '1' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/nobody/);
    const reserved = await fetch(`${host.url}/durabletask/orchestrators/counterOrchestration/@counterentity@x`, {
      method: 'POST',
    });
    expect(reserved.status).toBe(400);
  });
});

describe('local host: an entity loses no acknowledged signal in a crash', () => {
  it('applies every signal answered 202 exactly once after kill -9 and a restart', async () => {
    const storage = await startTestAzurite();
    try {
      const first = await startHostProcess({ app, storageConnectionString: storage.connectionString });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => first.post(`/api/entities/counterEntity/crash/add`, i + 1)),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(202));
      await first.crash(); // some signals applied, some still in the entity's inbox
      const second = await startHostProcess({ app, storageConnectionString: storage.connectionString });
      try {
        await second.settle();
        const read = await second.get('/api/entities/counterEntity/crash');
        expect(await read.json()).toEqual({ entityExists: true, entityState: 210 });
      } finally {
        await second.stop();
      }
    } finally {
      await storage.stop();
    }
  });
});
