import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, startAzurite } from '../infra/local/azurite';

const root = path.resolve(__dirname, '../..');

/**
 * Wall time for the local host to run N orchestrations of one activity and one 1-hour timer each on the
 * virtual clock: start all over HTTP, advance the clock 60 minutes, until every instance has completed.
 * Baseline in the same run: N raw Azurite entity inserts (the storage floor every episode pays).
 */
export async function benchDurableOrchestrations(n = 100): Promise<Record<string, number>> {
  const azurite = await startAzurite({ port: await freePort() });
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(root, 'dist/infra/local/main.js'), '--app', 'test/fixtures/durableHostApp/index.js'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        AzureWebJobsStorage: azurite.connectionString,
        CLOCK_START: '2027-01-01T00:00:00Z',
        LOCAL_HOST_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    },
  );
  const base = `http://localhost:${port}`;
  try {
    for (;;) {
      if (
        await fetch(`${base}/admin/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const started = performance.now();
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${base}/api/orchestrators/activityThenHour/bench-${i}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(`n${i}`),
        }),
      ),
    );
    await fetch(`${base}/admin/clock`, { method: 'POST', body: JSON.stringify({ advanceMinutes: 60 }) });
    const completed = (await (await fetch(`${base}/api/instances?status=Completed`)).json()) as unknown[];
    const wallMs = performance.now() - started;

    const { TableClient } = await import('@azure/data-tables');
    const table = TableClient.fromConnectionString(azurite.connectionString, 'BenchBaseline', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    const baselineStart = performance.now();
    for (let i = 0; i < n; i++) await table.createEntity({ partitionKey: 'p', rowKey: String(i), value: i });
    const baselineMs = performance.now() - baselineStart;
    return {
      orchestrations: n,
      completed: completed.length,
      wallMs: Math.round(wallMs),
      rawInsertsMs: Math.round(baselineMs),
      ratioToRawInserts: Number((wallMs / baselineMs).toFixed(1)),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await azurite.stop();
  }
}
