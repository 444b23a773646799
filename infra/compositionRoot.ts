import { withConfiguredSevATargets } from '../domain/catalogue/responseTargets';
import { DEFAULT_CATALOGUE, type CatalogueEdition } from '../domain/catalogue/serviceCatalogue';
import { config } from './config';
import { DueIndexTable } from './tables/dueIndexTable';
import { IncidentTable } from './tables/incidentTable';
import { RejectionTable } from './tables/rejectionTable';
import { TableClients } from './tables/tableClients';
import { WorkOrderTable } from './tables/workOrderTable';

/**
 * Builds every adapter once, on first use (so importing a function module has no side effects), and hands
 * them to the thin triggers.
 */
let tables: TableClients | undefined;

export function tableClients(): TableClients {
  tables ??= new TableClients(config());
  return tables;
}

let incidents: Promise<IncidentTable> | undefined;
let rejections: Promise<RejectionTable> | undefined;

export function incidentStore(): Promise<IncidentTable> {
  incidents ??= tableClients()
    .table('WorkOrders')
    .then((table) => new IncidentTable(table));
  return incidents;
}

export function rejectionStore(): Promise<RejectionTable> {
  rejections ??= tableClients()
    .table('IngestionRejections')
    .then((table) => new RejectionTable(table));
  return rejections;
}

/** The catalogue with the configured RR / AEM Sev A targets (rules.md 5.1 configurable defaults). */
export function catalogue(): CatalogueEdition {
  return {
    ...DEFAULT_CATALOGUE,
    responseTargets: withConfiguredSevATargets(DEFAULT_CATALOGUE.responseTargets, config().sevATargetOverrides),
  };
}

let due: Promise<DueIndexTable> | undefined;

export function dueIndex(): Promise<DueIndexTable> {
  due ??= tableClients()
    .table('DueIndex')
    .then((table) => new DueIndexTable(table));
  return due;
}

let workOrders: Promise<WorkOrderTable> | undefined;

/** Work Orders share the `WorkOrders` table with their incidents (one partition per Work Order). */
export function workOrderStore(): Promise<WorkOrderTable> {
  workOrders ??= tableClients()
    .table('WorkOrders')
    .then((table) => new WorkOrderTable(table));
  return workOrders;
}
