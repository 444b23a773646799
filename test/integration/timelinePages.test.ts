import { TableClient, type TransactionAction } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { WorkOrderTable } from '../../infra/tables/workOrderTable';
import { startTestAzurite } from '../support/azurite';

/**
 * A Work Order's timeline is merged from its own partition and its incidents' partitions. Storage answers such a
 * range in partition order, so a page reads windows of time across all partitions; these tests hold the pages to the
 * whole timeline sorted independently, and a page to reading a window, not the rest of the timeline.
 */
describe("a Work Order's timeline, page by page, on Azurite", () => {
  let azurite: RunningAzurite;
  let table: TableClient;
  let rowsRead = 0;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    table = TableClient.fromConnectionString(azurite.connectionString, 'TimelinePages', {
      allowInsecureConnection: true,
    });
    await table.createTable();
    table.pipeline.addPolicy({
      name: 'countRowsRead',
      sendRequest: async (request, next) => {
        const response = await next(request);
        if (request.method === 'GET' && response.bodyAsText)
          rowsRead += (JSON.parse(response.bodyAsText) as { value?: unknown[] }).value?.length ?? 0;
        return response;
      },
    });
  });
  afterAll(async () => azurite?.stop());

  /** A deterministic spread (a linear congruential generator): minutes after `from`. */
  const spread = (n: number, seed: number, from: string, spanMinutes: number) => {
    let x = seed;
    return Array.from({ length: n }, () => {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      return new Date(Date.parse(from) + (x % spanMinutes) * 60_000).toISOString();
    });
  };

  /** Rows as WorkOrderTable and IncidentTable key them: own entries, and each incident's in its partition. */
  const write = async (workOrderId: string, own: string[], incidents: Record<string, string[]>) => {
    const byPartition = new Map<string, TransactionAction[]>();
    const add = (partitionKey: string, rowKey: string, at: string, detail: string) => {
      const actions = byPartition.get(partitionKey) ?? [];
      actions.push(['create', { partitionKey, rowKey, at, kind: 'entry', detail }]);
      byPartition.set(partitionKey, actions);
    };
    own.forEach((at, n) => add(workOrderId, `timeline|${at}|${String(n).padStart(12, '0')}-test|0`, at, `own ${n}`));
    for (const [incidentId, times] of Object.entries(incidents))
      times.forEach((at, n) =>
        add(`${workOrderId}|${incidentId}`, `timeline|${at}|${incidentId}|ev-${n}|0`, at, `${incidentId} ${n}`),
      );
    for (const actions of byPartition.values())
      for (let i = 0; i < actions.length; i += 100) await table.submitTransaction(actions.slice(i, i + 100));
  };

  /** The oracle: every timeline row of the Work Order and its incidents, sorted by RowKey, then PartitionKey. */
  const whole = async (workOrderId: string) => {
    const rows: Array<{ pk: string; rk: string; detail: string }> = [];
    for await (const row of table.listEntities<{ detail: string }>({
      queryOptions: { filter: `RowKey ge 'timeline|' and RowKey lt 'timeline}'` },
    }))
      if (row.partitionKey === workOrderId || row.partitionKey?.startsWith(`${workOrderId}|`))
        rows.push({ pk: String(row.partitionKey), rk: String(row.rowKey), detail: row.detail });
    return rows
      .sort((a, b) => (a.rk < b.rk ? -1 : a.rk > b.rk ? 1 : a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0))
      .map((r) => r.detail);
  };

  const pages = async (store: WorkOrderTable, workOrderId: string, limit: number) => {
    const out: string[][] = [];
    let token: string | undefined;
    do {
      const page = await store.timeline(workOrderId, { limit, continuationToken: token });
      out.push(page.items.map((e) => e.detail));
      token = page.continuationToken ?? undefined;
    } while (token);
    return out;
  };

  it('pages through bursts, gaps of years and incident entries older than the Work Order, in order, each once', async () => {
    // Incidents' entries, two bursts a year apart, one entry five years on; one incident entry before the
    // Work Order's first own entry (the first page has no lower bound); a second Work Order whose id is a prefix.
    await write('wo-t', ['2027-01-01T08:00:00.000Z', ...spread(40, 7, '2027-01-01T09:00:00Z', 60 * 24 * 365)], {
      'I-1': spread(150, 11, '2027-03-01T08:00:00Z', 60 * 24 * 3),
      'I-2': spread(150, 13, '2027-03-02T08:00:00Z', 60 * 24 * 2),
      'I-3': [...spread(60, 17, '2028-03-01T08:00:00Z', 60 * 24 * 30), '2033-06-01T12:00:00.000Z'],
      'I-0': ['2026-12-31T23:00:00.000Z'],
    });
    await write('wo-t-2', ['2027-01-01T08:00:00.000Z'], { 'J-1': spread(20, 19, '2027-03-01T08:00:00Z', 600) });
    const expected = await whole('wo-t');
    expect(expected).toHaveLength(403);
    expect(expected[0]).toBe('I-0 0');
    expect(expected.at(-1)).toBe('I-3 60');

    const store = new WorkOrderTable(table);
    for (const limit of [1, 7, 50, 500]) {
      const paged = await pages(store, 'wo-t', limit);
      expect(paged.flat()).toEqual(expected);
      expect(paged.slice(0, -1).every((p) => p.length === limit)).toBe(true);
    }
    expect((await pages(store, 'wo-t-2', 500)).flat()).toHaveLength(21);
  });

  it('reads a window of time for a page, not the rest of the timeline', async () => {
    // 1,000 incident entries over two years after a Work Order created at the start.
    const incidents = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`K-${i}`, spread(50, 100 + i, '2027-01-02T00:00:00Z', 60 * 24 * 730)]),
    );
    await write('wo-w', ['2027-01-01T08:00:00.000Z'], incidents);
    const store = new WorkOrderTable(table);
    rowsRead = 0;
    const first = await store.timeline('wo-w', { limit: 10 });
    expect(first.items).toHaveLength(10);
    const readForFirst = rowsRead;
    rowsRead = 0;
    await store.timeline('wo-w', { limit: 10, continuationToken: first.continuationToken! });
    // About 1.4 entries a day: a page of 10 reads a few weeks of them, far from the 1,001 the timeline holds.
    expect(readForFirst).toBeLessThan(100);
    expect(rowsRead).toBeLessThan(100);
    expect((await pages(store, 'wo-w', 100)).flat()).toEqual(await whole('wo-w'));
  });
});
