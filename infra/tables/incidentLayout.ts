import type { TableClient } from '@azure/data-tables';
import { readEntity } from './tableRows';

/**
 * Which storage layout the `WorkOrders` table holds its incidents in, recorded in one marker row so that a start
 * costs one point read instead of a table scan. Version 1 (before commit 41baa49) kept them in their Work Order's
 * partition; version 2 gives each incident a partition of its own (see IncidentTable). A build refuses a store it
 * would half-read: its old incidents would look missing (acknowledged data that looks lost).
 */
export const INCIDENT_LAYOUT_VERSION = 2;

/** `$` is not in an id (domain/input.ts ID_PATTERN), so this partition is never a Work Order's. */
export const LAYOUT_MARKER_KEY = { partitionKey: '$layout', rowKey: 'incidents' } as const;

export const MIGRATION_COMMAND = 'npm run migrate:incidents';
const README_SECTION = 'README.md, Storage: "Stores written before incident partitions"';

/** The store holds incidents in a layout this build does not read; the message names what to run. */
export class OutdatedStoreError extends Error {
  override readonly name = 'OutdatedStoreError';
}

export interface OldLayoutIncident {
  workOrderId: string;
  incidentId: string;
}

/**
 * Passes when the store's incidents are in the current layout: the marker says so (one point read), or, without a
 * marker, no incident row is found in a Work Order's own partition; then the marker is written for the next start.
 * Throws OutdatedStoreError otherwise. Returns what decided.
 */
export async function checkIncidentLayout(
  table: TableClient,
  options: { now: () => Date },
): Promise<'marker' | 'scanned'> {
  const marker = await readEntity(table, LAYOUT_MARKER_KEY.partitionKey, LAYOUT_MARKER_KEY.rowKey);
  if (marker) {
    const version = Number(marker['version']);
    if (version === INCIDENT_LAYOUT_VERSION) return 'marker';
    throw new OutdatedStoreError(
      version > INCIDENT_LAYOUT_VERSION
        ? `The storage table ${table.tableName} holds incidents in layout version ${version}, written by a newer build (this build reads version ${INCIDENT_LAYOUT_VERSION}); start the newer build.`
        : `The storage table ${table.tableName} holds incidents in layout version ${version}; run \`${MIGRATION_COMMAND}\` with the app stopped (${README_SECTION}).`,
    );
  }
  const old = await firstOldLayoutIncident(table);
  if (old)
    throw new OutdatedStoreError(
      `The storage table ${table.tableName} still holds incidents in the layout before incident partitions (found incident ${old.incidentId} of Work Order ${old.workOrderId} in the Work Order's partition); this build would not find them. Run \`${MIGRATION_COMMAND}\` once with the app stopped, then start again (${README_SECTION}).`,
    );
  await markIncidentLayout(table, { now: options.now, writtenBy: 'app start: no incident in the old layout found' });
  return 'scanned';
}

/**
 * The first incident row in a Work Order's own partition (the layout before incident partitions), if any. A range
 * query over every partition, stopping at the first hit: new-layout incident rows share the RowKey range and are
 * told apart by their PartitionKey (`{workOrderId}|{incidentId}`; ids never contain '|').
 */
export async function firstOldLayoutIncident(table: TableClient): Promise<OldLayoutIncident | undefined> {
  const rows = table.listEntities<Record<string, unknown>>({
    queryOptions: { filter: `RowKey ge 'incident|' and RowKey lt 'incident}'`, select: ['PartitionKey', 'RowKey'] },
  });
  try {
    for await (const row of rows)
      if (row.partitionKey && !row.partitionKey.includes('|'))
        return { workOrderId: row.partitionKey, incidentId: String(row.rowKey).slice('incident|'.length) };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined; // no table: nothing was ever stored
    throw error;
  }
  return undefined;
}

/**
 * Writes the marker of the current layout (created, never replaced: a marker already there, say from a concurrent
 * start, stands). Creates the table when it does not exist yet.
 */
export async function markIncidentLayout(
  table: TableClient,
  options: { now: () => Date; writtenBy: string },
): Promise<void> {
  const entity = {
    ...LAYOUT_MARKER_KEY,
    version: INCIDENT_LAYOUT_VERSION,
    writtenAt: options.now().toISOString(),
    writtenBy: options.writtenBy,
  };
  const create = () => unless409(() => table.createEntity(entity));
  try {
    await create();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    await unless409(() => table.createTable());
    await create();
  }
}

/** Runs a create; 409 means it is there already, which is what was wanted. */
async function unless409(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
  }
}
