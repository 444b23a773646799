import { TableClient } from '@azure/data-tables';
import type { DueItem } from '../domain/lifecycle/dueIndex';
import { freePort, startAzurite } from '../infra/local/azurite';
import { DueIndexTable } from '../infra/tables/dueIndexTable';

/**
 * How a sweep's read of due work grows with the number of Work Orders: the due-date index holds six future promises
 * per Work Order (spread over two years) plus the same 100 items due in the swept window; the sweep reads only the
 * window's days. Reported as the sweep time at 1,000 and 10,000 Work Orders and their ratio.
 */
export async function benchSweepScaling(): Promise<Record<string, number>> {
  const azurite = await startAzurite({ port: await freePort() });
  try {
    const result: Record<string, number> = {};
    for (const workOrders of [1_000, 10_000]) {
      const table = TableClient.fromConnectionString(azurite.connectionString, `Due${workOrders}`, {
        allowInsecureConnection: true,
      });
      await table.createTable();
      const index = new DueIndexTable(table);
      const item = (dueAt: string, resourceId: string): DueItem => ({
        dueAt,
        kind: 'flexPeriodEnded',
        resourceId,
        workOrderId: resourceId,
        instanceId: `t-${resourceId}`,
        orchestration: 'workOrderTerm',
        restartInput: null,
        doneAt: null,
      });
      const items: DueItem[] = [];
      for (let w = 0; w < workOrders; w++) {
        for (let k = 0; k < 6; k++)
          items.push(
            item(new Date(Date.UTC(2027, 1 + ((w + k * 97) % 22), 1 + (w % 27), 3)).toISOString(), `wo-${w}-${k}`),
          );
      }
      for (let d = 0; d < 100; d++)
        items.push(item(new Date(Date.UTC(2027, 0, 15, 1, d % 60)).toISOString(), `due-${d}`));
      await index.put(items);
      const runs: number[] = [];
      for (let r = 0; r < 5; r++) {
        const started = performance.now();
        const due = await index.listOpen('2027-01-14T03:00:00.000Z', '2027-01-15T03:00:00.000Z');
        runs.push(performance.now() - started);
        if (due.length !== 100) throw new Error(`expected 100 due items, read ${due.length}`);
      }
      result[`sweepMsAt${workOrders}`] = Number(runs.sort((a, b) => a - b)[2]!.toFixed(1));
    }
    result['ratio'] = Number((result['sweepMsAt10000']! / result['sweepMsAt1000']!).toFixed(2));
    return result;
  } finally {
    await azurite.stop();
  }
}
