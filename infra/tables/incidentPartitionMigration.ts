import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { firstOldLayoutIncident, markIncidentLayout } from './incidentLayout';
import { incidentPartition } from './incidentTable';
import { odataString } from './tableRows';

/**
 * Moves incidents written before commit 41baa49 (in their Work Order's partition: `incident|{id}`,
 * `ievent|{id}|{eventId}`, `timeline|{at}|{id}|{cause}|{n}`) into partitions of their own, `{workOrderId}|{incidentId}`
 * (see IncidentTable). Per incident: the rows missing in the new partition are created (at most 100 per transaction,
 * the incident row in the last one, so a half-copied incident stays invisible), then the old rows are deleted (the
 * incident row last). A rerun after a crash finds the copies equal to the old rows and finishes the job; a row that
 * already exists in the new partition with other content is newer data: it is kept, the incident's old rows are left
 * where they are and the conflict is reported. The lookup rows (`incident|{id}`, '') are unchanged by the move.
 * A run that leaves no incident behind writes the layout marker (see incidentLayout.ts), so the app starts again.
 */
export interface MigrationReport {
  dryRun: boolean;
  workOrdersScanned: number;
  incidentsMoved: number;
  eventsMoved: number;
  timelineEntriesMoved: number;
  conflicts: number;
  conflictDetails: Array<{ workOrderId: string; incidentId: string; rowKey: string; reason: string }>;
  /** Whether the run wrote the marker of the current layout (never in a dry run, never with a conflict). */
  layoutMarked: boolean;
}

interface OldIncident {
  incident?: Row;
  events: Row[];
  timeline: Row[];
}

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

const MAX_TRANSACTION_ACTIONS = 100;

export async function migrateIncidentPartitions(
  table: TableClient,
  options: { dryRun?: boolean; now?: () => Date } = {},
): Promise<MigrationReport> {
  const report: MigrationReport = {
    dryRun: options.dryRun ?? false,
    workOrdersScanned: 0,
    incidentsMoved: 0,
    eventsMoved: 0,
    timelineEntriesMoved: 0,
    conflicts: 0,
    conflictDetails: [],
    layoutMarked: false,
  };
  for (const workOrderId of await workOrderIds(table)) {
    report.workOrdersScanned += 1;
    const incidents = await oldIncidents(table, workOrderId);
    for (const [incidentId, old] of [...incidents].sort(([a], [b]) => (a < b ? -1 : 1)))
      await moveIncident(table, workOrderId, incidentId, old, report);
  }
  if (!report.dryRun && report.conflictDetails.length === 0) {
    // Checked rather than assumed: an incident whose Work Order row is gone was not reached by the loop above.
    const left = await firstOldLayoutIncident(table);
    if (left)
      report.conflictDetails.push({
        ...left,
        rowKey: `incident|${left.incidentId}`,
        reason: `${left.workOrderId} has no Work Order row: its incidents were not moved`,
      });
    else if (report.workOrdersScanned > 0) {
      // (A store without Work Orders gets its marker at the app's first start; without a table it is not created.)
      await markIncidentLayout(table, {
        now: options.now ?? (() => new Date()),
        writtenBy: 'npm run migrate:incidents',
      });
      report.layoutMarked = true;
    }
  }
  report.conflicts = report.conflictDetails.length;
  return report;
}

async function workOrderIds(table: TableClient): Promise<string[]> {
  const ids: string[] = [];
  const rows = table.listEntities<Record<string, unknown>>({
    queryOptions: { filter: `RowKey eq 'workOrder'`, select: ['PartitionKey'] },
  });
  try {
    // Ids never contain '|' (domain/input.ts); such a partition is not a Work Order's.
    for await (const row of rows) if (row.partitionKey && !row.partitionKey.includes('|')) ids.push(row.partitionKey);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return []; // no table: nothing was ever stored
    throw error;
  }
  return ids;
}

/** The old-layout rows of one Work Order's partition, by incident. */
async function oldIncidents(table: TableClient, workOrderId: string): Promise<Map<string, OldIncident>> {
  const range = (prefix: string) => `(RowKey ge '${prefix}|' and RowKey lt '${prefix}}')`;
  const filter = `PartitionKey eq '${odataString(workOrderId)}' and (${range('incident')} or ${range('ievent')} or ${range('timeline')})`;
  const incidents = new Map<string, OldIncident>();
  const of = (incidentId: string) => {
    let found = incidents.get(incidentId);
    if (!found) incidents.set(incidentId, (found = { events: [], timeline: [] }));
    return found;
  };
  for await (const entity of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    const row = entity as Row;
    const parts = row.rowKey.split('|');
    if (parts[0] === 'incident' && parts.length === 2) of(parts[1]!).incident = row;
    else if (parts[0] === 'ievent' && parts.length === 3) of(decodeURIComponent(parts[1]!)).events.push(row);
    // timeline|{at}|{incidentId}|{cause}|{n}; the Work Order's own are timeline|{at}|key-… or timeline|{at}|{seq}|{n}
    else if (parts[0] === 'timeline' && parts.length === 5) of(parts[2]!).timeline.push(row);
  }
  return incidents;
}

async function moveIncident(
  table: TableClient,
  workOrderId: string,
  incidentId: string,
  old: OldIncident,
  report: MigrationReport,
): Promise<void> {
  const pk = incidentPartition(workOrderId, incidentId);
  const conflict = (rowKey: string, reason: string) =>
    report.conflictDetails.push({ workOrderId, incidentId, rowKey, reason });
  const existing = new Map<string, Row>();
  const filter = `PartitionKey eq '${odataString(pk)}'`;
  for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
    existing.set(String(row.rowKey), row as Row);

  // Incident row last: in the last transaction when copying, deleted last.
  const rows = [...old.events, ...old.timeline, ...(old.incident ? [old.incident] : [])];
  const missing: Row[] = [];
  for (const row of rows) {
    const there = existing.get(row.rowKey);
    if (!there) missing.push(row);
    else if (!sameContent(there, row)) {
      conflict(row.rowKey, `${pk} already holds ${row.rowKey} with other content: kept it, the old rows stay`);
      return;
    }
  }
  if (!report.dryRun) {
    try {
      for (const chunk of chunks(missing))
        await table.submitTransaction(
          chunk.map((row): TransactionAction => [
            'create',
            { ...properties(row), partitionKey: pk, rowKey: row.rowKey },
          ]),
        );
    } catch (error) {
      // Written meanwhile by someone else (the app was not stopped): theirs is kept, ours stays in the old place.
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      conflict('', `a row of ${pk} was written during the migration: kept it, the old rows stay (rerun to finish)`);
      return;
    }
    for (const chunk of chunks(rows))
      await table.submitTransaction(
        chunk.map((row): TransactionAction => ['delete', { partitionKey: workOrderId, rowKey: row.rowKey }]),
      );
  }
  if (old.incident) report.incidentsMoved += 1;
  report.eventsMoved += old.events.length;
  report.timelineEntriesMoved += old.timeline.length;
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_TRANSACTION_ACTIONS)
    result.push(items.slice(i, i + MAX_TRANSACTION_ACTIONS));
  return result;
}

/** The row's own properties, without its keys and the service's metadata. */
function properties(row: Row): TableEntity {
  const { partitionKey: _pk, rowKey: _rk, etag: _etag, timestamp: _ts, ...rest } = row;
  return rest as unknown as TableEntity;
}

function sameContent(a: Row, b: Row): boolean {
  const sorted = (row: Row) => JSON.stringify(Object.entries(properties(row)).sort(([x], [y]) => (x < y ? -1 : 1)));
  return sorted(a) === sorted(b);
}
