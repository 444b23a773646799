import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { readEntity } from './tableRows';
import type { DueIndex, DueItem, SweepRepair } from '../../domain/lifecycle/dueIndex';

/**
 * The due-date index: PK = due date (UTC, YYYY-MM-DD), RK = dueAt|kind|resourceId. A sweep reads only the
 * partitions of the days it has not finished, so its cost grows with the items due, not with the Work Orders.
 * Row `cursor|sweep` (PK 'cursor') remembers where the last sweep stopped.
 */
export class DueIndexTable implements DueIndex {
  constructor(private readonly table: TableClient) {}

  async put(items: DueItem[]): Promise<void> {
    const byDay = new Map<string, TransactionAction[]>();
    for (const item of items) {
      const pk = item.dueAt.slice(0, 10);
      const list = byDay.get(pk) ?? [];
      list.push([
        'upsert',
        {
          partitionKey: pk,
          rowKey: rowKeyOf(item),
          ...item,
          restartInput: JSON.stringify(item.restartInput ?? null),
          doneAt: item.doneAt ?? '',
        },
        'Merge',
      ]);
      byDay.set(pk, list);
    }
    for (const actions of byDay.values()) {
      for (let i = 0; i < actions.length; i += 100) await this.table.submitTransaction(actions.slice(i, i + 100));
    }
  }

  async listOpen(from: string, to: string): Promise<DueItem[]> {
    const out: DueItem[] = [];
    // One query over the range's day partitions (other partitions, 'cursor' and 'repairs', sort after every date).
    const filter = `PartitionKey ge '${from.slice(0, 10)}' and PartitionKey le '${to.slice(0, 10)}' and RowKey ge '${from}' and RowKey lt '${to}'`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const item = dueRow.parse(row);
      if (!item.doneAt) out.push(item);
    }
    return out;
  }

  async markDone(item: Pick<DueItem, 'dueAt' | 'kind' | 'resourceId'>, doneAt: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: item.dueAt.slice(0, 10), rowKey: rowKeyOf(item), doneAt }, 'Merge');
  }

  async readCursor(): Promise<string | null> {
    const row = await readEntity(this.table, 'cursor', 'sweep');
    return row ? String(row['at']) : null;
  }

  async writeCursor(at: string): Promise<void> {
    await this.table.upsertEntity({ partitionKey: 'cursor', rowKey: 'sweep', at }, 'Replace');
  }

  /** Repairs are kept under PK 'repairs' (RK at|instanceId|kind), idempotent per sweep instant. */
  async recordRepair(repair: SweepRepair): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: 'repairs',
        rowKey: `${repair.at}|${encodeURIComponent(repair.instanceId)}|${repair.kind}`,
        ...repair,
      },
      'Replace',
    );
  }

  async listRepairs(): Promise<SweepRepair[]> {
    const out: SweepRepair[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq 'repairs'` },
    })) {
      out.push({
        at: String(row['at']),
        instanceId: String(row['instanceId']),
        kind: String(row['kind']),
        resourceId: String(row['resourceId']),
        action: row['action'] as SweepRepair['action'],
        detail: String(row['detail']),
      });
    }
    return out;
  }
}

function rowKeyOf(item: Pick<DueItem, 'dueAt' | 'kind' | 'resourceId'>): string {
  return `${item.dueAt}|${item.kind}|${encodeURIComponent(item.resourceId)}`;
}

const dueRow = z
  .object({
    dueAt: z.string(),
    kind: z.string(),
    resourceId: z.string(),
    workOrderId: z.string(),
    instanceId: z.string(),
    orchestration: z.string(),
    restartInput: z.string().transform((t) => JSON.parse(t) as unknown),
    doneAt: z.string().transform((t) => (t.length > 0 ? t : null)),
  })
  .loose()
  .transform(({ dueAt, kind, resourceId, workOrderId, instanceId, orchestration, restartInput, doneAt }): DueItem => ({
    dueAt,
    kind,
    resourceId,
    workOrderId,
    instanceId,
    orchestration,
    restartInput,
    doneAt,
  }));
