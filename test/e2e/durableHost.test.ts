import { TableClient, TableServiceClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from '../support/azurite';
import { startHostProcess, type HostProcess } from '../support/hostProcess';
import { startRefusingStorageProxy, withHostBehindRefusingStorage } from '../support/refusingStorageProxy';

const app = 'test/fixtures/durableHostApp/index.js';

interface Status {
  instanceId: string;
  runtimeStatus: string;
  customStatus: unknown;
  output: unknown;
  history?: unknown[];
}

async function hubTable(): Promise<TableClient> {
  const service = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
  for await (const table of service.listTables()) {
    if (table.name?.startsWith('DurableHub'))
      return TableClient.fromConnectionString(azurite.connectionString, table.name, { allowInsecureConnection: true });
  }
  throw new Error('no task hub table');
}

async function status(host: HostProcess, id: string, history = false): Promise<Status> {
  const response = await host.get(`/api/instances/${id}${history ? '?history=true' : ''}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Status;
}

let azurite: RunningAzurite;

describe('local host: Durable Functions through the real durable-functions library', () => {
  let host: HostProcess;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({
      app,
      storageConnectionString: azurite.connectionString,
      clockStart: '2027-03-01T08:00:00Z',
    });
  });

  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('runs an activity, a 1-hour durable timer on the virtual clock, a buffered external event and a retried activity', async () => {
    const started = await host.post('/api/orchestrators/approval/approval-1', 'Ada');
    expect(started.status).toBe(202);
    const check = (await started.json()) as { id: string; statusQueryGetUri: string };
    expect(check.id).toBe('approval-1');
    expect(check.statusQueryGetUri).toContain('approval-1');
    await host.settle();
    expect((await status(host, 'approval-1')).customStatus).toEqual({
      stage: 'waiting-for-timer',
      greeting: 'Hello, Ada!',
    });

    // Raised before the orchestrator waits for it: buffered until awaited.
    expect((await host.post('/api/instances/approval-1/events/Approve', { by: 'bob' })).status).toBe(202);
    await host.advance(59);
    expect((await status(host, 'approval-1')).runtimeStatus).toBe('Running');
    await host.advance(1);
    await host.advance(1); // the retry waits 1 s of virtual time after the first flaky failure
    const done = await status(host, 'approval-1', true);
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toEqual({
      greeting: 'Hello, Ada!',
      approval: { by: 'bob' },
      retried: 'recovered',
      finishedAt: expect.stringMatching(/^2027-03-01T09:0/),
    });
    // durable-js builds its status object from `history` (the host also sends `historyEvents`, as the extension does).
    const types = ((done.history ?? []) as Array<{ EventType: string }>).map((e) => e.EventType);
    expect(types).toEqual(
      expect.arrayContaining([
        'ExecutionStarted',
        'TaskCompleted',
        'TimerFired',
        'EventRaised',
        'TaskFailed',
        'ExecutionCompleted',
      ]),
    );
  });

  it('leaves no timer row behind when an orchestration completes with a timer still pending', async () => {
    await host.post('/api/orchestrators/deadlineOrEvent/deadline-1');
    await host.settle();
    const hub = await hubTable();
    const rowsOf = async (prefix: string) => {
      const keys: string[] = [];
      for await (const row of hub.listEntities({ queryOptions: { filter: `PartitionKey eq 'deadline-1'` } }))
        if (String(row.rowKey).startsWith(prefix)) keys.push(String(row.rowKey));
      return keys;
    };
    expect(await rowsOf('t:')).toHaveLength(1);
    await host.post('/api/instances/deadline-1/events/Done', {});
    await host.settle();
    expect((await status(host, 'deadline-1')).output).toBe('event');
    expect(await rowsOf('t:')).toEqual([]);
    expect(await rowsOf('i:')).toEqual([]);
  });

  it('fails a non-deterministic orchestrator on replay, as Azure does', async () => {
    await host.post('/api/orchestrators/nonDeterministic/nd-1');
    await host.settle();
    const failed = await status(host, 'nd-1');
    expect(failed.runtimeStatus).toBe('Failed');
    expect(String(failed.output)).toMatch(/non-deterministic/i);
  });

  it('runs continueAsNew generations and a sub-orchestration', async () => {
    await host.post('/api/orchestrators/counter/counter-1', 0);
    await host.settle();
    const done = await status(host, 'counter-1');
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toEqual({ rounds: 3, child: 'Hello, child 3!' });
    expect((await status(host, 'child-of-counter-1')).runtimeStatus).toBe('Completed');
  });

  it('queries, terminates and purges through df.getClient()', async () => {
    await host.post('/api/orchestrators/approval/approval-2', 'Grace');
    await host.settle();
    const running = (await (await host.get('/api/instances?status=Running')).json()) as Array<{ instanceId: string }>;
    expect(running.map((r) => r.instanceId)).toContain('approval-2');
    expect((await host.post('/api/instances/approval-2/terminate')).status).toBe(202);
    await host.settle();
    const terminated = await status(host, 'approval-2');
    expect(terminated.runtimeStatus).toBe('Terminated');
    expect(terminated.output).toBe('operator said so');
    const purge = await fetch(`${host.url}/api/instances/approval-2`, { method: 'DELETE' });
    expect(await purge.json()).toEqual({ instancesDeleted: 1 });
    expect((await host.get('/api/instances/approval-2')).status).toBe(500); // getStatus throws on 404
  });
});

describe('local host: a crash loses no orchestration', () => {
  it('resumes from stored history after kill -9 and fires a durable timer that fell due while down', async () => {
    const azurite = await startTestAzurite();
    try {
      const first = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-03-01T08:00:00Z',
      });
      const started = await first.post('/api/orchestrators/approval/crash-1', 'Linus');
      if (started.status !== 202)
        throw new Error(`start ${started.status}: ${await started.text()}\n${first.output()}`);
      await first.settle();
      expect((await first.post('/api/instances/crash-1/events/Approve', { by: 'ops' })).status).toBe(202);
      await first.crash();

      const second = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-03-01T10:00:00Z',
      });
      try {
        await second.advance(1);
        await second.advance(1);
        const response = await second.get('/api/instances/crash-1');
        if (response.status !== 200)
          throw new Error(`status ${response.status}: ${await response.text()}\n${second.output()}`);
        const done = (await response.json()) as Status;
        expect(done.runtimeStatus).toBe('Completed');
        expect(done.output).toMatchObject({ greeting: 'Hello, Linus!', approval: { by: 'ops' }, retried: 'recovered' });
      } finally {
        await second.stop();
      }
    } finally {
      await azurite.stop();
    }
  });
});

describe('local host: starting an instance ID that exists, by a host that has not seen it yet', () => {
  it('refuses while it runs (409, nothing changed) and overwrites it once finished, after a restart', async () => {
    const azurite = await startTestAzurite();
    const start = (host: HostProcess, input: string) => host.post('/api/orchestrators/activityThenHour/again-1', input);
    try {
      const first = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-03-01T08:00:00Z',
      });
      expect((await start(first, 'Ada')).status).toBe(202);
      await first.settle();
      await first.stop();

      const second = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-03-01T08:30:00Z',
      });
      try {
        // The client's startNew meets the management API's 409 and throws, so the starter function fails.
        expect((await start(second, 'Grace')).status).toBe(500);
        await second.advance(60);
        const done = await status(second, 'again-1');
        expect(done.runtimeStatus).toBe('Completed');
        expect(done.output).toBe('Hello, Ada!');
      } finally {
        await second.stop();
      }

      const third = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-03-01T10:00:00Z',
      });
      try {
        expect((await start(third, 'Linus')).status).toBe(202);
        await third.advance(61);
        const again = await status(third, 'again-1', true);
        expect(again.runtimeStatus).toBe('Completed');
        expect(again.output).toBe('Hello, Linus!');
        // A new execution: the first one's history was purged with it.
        expect(JSON.stringify(again.history)).not.toContain('Ada');
      } finally {
        await third.stop();
      }
    } finally {
      await azurite.stop();
    }
  });
});

describe('local host: durable work survives storage errors', () => {
  it('retries an episode whose commit the storage refused, with no restart and no new signal', async () => {
    await withHostBehindRefusingStorage({ app, clockStart: '2027-03-01T08:00:00Z' }, async (host, proxy) => {
      // Episode commits are the batches that carry history rows.
      proxy.refuse(3, (r) => r.url.includes('$batch') && /"RowKey":"h:/.test(r.body));
      expect((await host.post('/api/orchestrators/child/refused-1', 7)).status).toBe(202);
      let done: Status | undefined;
      for (let i = 0; i < 100 && done?.runtimeStatus !== 'Completed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        done = await status(host, 'refused-1');
      }
      expect(proxy.refused).toBe(3);
      expect(done).toMatchObject({ runtimeStatus: 'Completed', output: 'Hello, child 7!' });
    });
  });
});

describe('local host: an ending execution deletes only the rows still stored', () => {
  it('does not delete again the row of a timer it cancelled earlier, and leaves no timer row behind', async () => {
    await withHostBehindRefusingStorage({ app, clockStart: '2027-03-01T08:00:00Z' }, async (host, proxy) => {
      expect((await host.post('/api/orchestrators/cancelThenGreet/cancel-1')).status).toBe(202);
      await host.settle();
      // Any delete of a timer row from now on is refused (and counted): the cancelling episode's commit deletes it.
      proxy.refuse(10, (r) => r.method === 'DELETE' && /RowKey='t(%3A|:)/.test(r.url));
      expect((await host.post('/api/instances/cancel-1/events/Done', {})).status).toBe(202);
      await host.settle();
      expect(await status(host, 'cancel-1')).toMatchObject({ runtimeStatus: 'Completed', output: 'Hello, cancelled!' });
      expect(proxy.refused).toBe(0);
      const hub = TableClient.fromConnectionString(proxy.connectionString, (await hubName(proxy.connectionString))!, {
        allowInsecureConnection: true,
      });
      const keys: string[] = [];
      for await (const row of hub.listEntities({ queryOptions: { filter: `PartitionKey eq 'cancel-1'` } }))
        keys.push(String(row.rowKey));
      expect(keys.filter((k) => k.startsWith('t:') || k.startsWith('w:') || k.startsWith('i:'))).toEqual([]);
    });
  });
});

async function hubName(connectionString: string): Promise<string | undefined> {
  const service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  for await (const table of service.listTables()) if (table.name?.startsWith('DurableHub')) return table.name;
  return undefined;
}

describe('local host: a completion held in memory survives a crash', () => {
  it('re-runs the activity after kill -9 when its completion was never committed', async () => {
    const azurite = await startTestAzurite();
    const proxy = await startRefusingStorageProxy(azurite.connectionString);
    try {
      const first = await startHostProcess({
        app,
        storageConnectionString: proxy.connectionString,
        clockStart: '2027-03-01T08:00:00Z',
      });
      // Refuse every episode commit that would record the activity's result (a TaskCompleted history row).
      proxy.refuse(1_000, (r) => r.url.includes('$batch') && /\\"EventType\\":5[,}]/.test(r.body));
      expect((await first.post('/api/orchestrators/child/crash-held', 3)).status).toBe(202);
      for (let i = 0; i < 100 && proxy.refused === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(proxy.refused).toBeGreaterThan(0);
      await first.crash();

      const second = await startHostProcess({
        app,
        storageConnectionString: azurite.connectionString,
        clockStart: '2027-03-01T08:05:00Z',
      });
      try {
        await second.settle();
        expect(await status(second, 'crash-held')).toMatchObject({
          runtimeStatus: 'Completed',
          output: 'Hello, child 3!',
        });
      } finally {
        await second.stop();
      }
    } finally {
      proxy.close();
      await azurite.stop();
    }
  });
});
