import type { TableClient } from '@azure/data-tables';
import type { Services } from '../app/services';
import { withConfiguredSevATargets } from '../domain/catalogue/responseTargets';
import { DEFAULT_CATALOGUE } from '../domain/catalogue/serviceCatalogue';
import { clock } from './clock';
import type { AppConfig } from './config';
import { DueIndexTable } from './tables/dueIndexTable';
import { EventClaimTable } from './tables/eventClaimTable';
import { OutdatedStoreError, checkIncidentLayout } from './tables/incidentLayout';
import { IncidentTable } from './tables/incidentTable';
import { RejectionTable } from './tables/rejectionTable';
import { TableClients } from './tables/tableClients';
import { WorkOrderTable } from './tables/workOrderTable';

/**
 * Builds every adapter from validated configuration, once, at start-up (the entry point calls it, so a bad setting
 * stops the app before it serves anything). A table is created on its first use; until then its adapter waits.
 */
export function buildServices(config: AppConfig): Services {
  const tables = new TableClients(config);
  const adapter = <T extends object>(name: string, create: (table: TableClient) => T): T =>
    whenReady(() => tables.table(name).then(create));
  return {
    // Work Orders share the `WorkOrders` table with their incidents (one partition per Work Order).
    workOrders: adapter('WorkOrders', (t) => new WorkOrderTable(t)),
    incidents: adapter('WorkOrders', (t) => new IncidentTable(t)),
    // Each eventId's claim is its own partition of that table.
    eventClaims: adapter('WorkOrders', (t) => new EventClaimTable(t)),
    rejections: adapter('IngestionRejections', (t) => new RejectionTable(t)),
    dueIndex: adapter('DueIndex', (t) => new DueIndexTable(t)),
    catalogue: {
      ...DEFAULT_CATALOGUE,
      responseTargets: withConfiguredSevATargets(DEFAULT_CATALOGUE.responseTargets, config.sevATargetOverrides),
      locationHours: config.locationHours, // rule HOURS-1: hours per country from configuration
    },
    clock,
    principalHeaderTrusted: config.principalHeaderTrusted,
  };
}

/**
 * Refuses a store this build would half-read (incidents in the layout before their own partitions: they would look
 * missing). Run by the entry point's appStart hook, so a failure stops the worker before anything is served.
 */
export async function checkStorageLayout(config: AppConfig): Promise<void> {
  const table = new TableClients(config).existing('WorkOrders');
  try {
    await checkIncidentLayout(table, { now: () => clock.now() });
  } catch (error) {
    if (error instanceof OutdatedStoreError) throw error;
    const { statusCode, details } = error as { statusCode?: number; details?: { errorCode?: string } };
    const reason = [statusCode, details?.errorCode ?? (error as Error).message].filter(Boolean).join(' ');
    throw new Error(`Could not check the storage layout of table ${table.tableName}: ${reason}`, { cause: error });
  }
}

/**
 * An adapter whose every method first waits for its table (created once; a failed creation is tried again on the
 * next call) and then runs. Only for ports whose members are all async methods.
 */
function whenReady<T extends object>(open: () => Promise<T>): T {
  let opened: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, member) {
      if (typeof member === 'symbol' || member === 'then') return undefined; // not a thenable, not inspectable
      return async (...args: unknown[]) => {
        opened ??= open().catch((error: unknown) => {
          opened = undefined;
          throw error;
        });
        const target = await opened;
        return (target[member as keyof T] as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
