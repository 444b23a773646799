import { startAzuriteAndHost } from './support';

/**
 * Wall time for the local host to run N orchestrations of one activity and one 1-hour timer each on the
 * virtual clock: start all over HTTP, advance the clock 60 minutes, until every instance has completed.
 * Baseline in the same run: N raw Azurite entity inserts (the storage floor every episode pays).
 */
export async function benchDurableOrchestrations(n = 100): Promise<Record<string, number>> {
  const { azurite, base, stop } = await startAzuriteAndHost({
    clockStart: '2027-01-01T00:00:00Z',
    args: ['--app', 'test/fixtures/durableHostApp/index.js'],
  });
  try {
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
    await stop();
  }
}
