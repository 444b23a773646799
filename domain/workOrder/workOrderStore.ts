import type { WorkOrderView } from './workOrderView';

export interface StoredWorkOrder {
  workOrder: WorkOrderView;
  etag: string;
}

/**
 * Where Work Orders live (port owned by the domain side; the Table Storage adapter is infra/tables/workOrderTable.ts).
 * Issue 5 grows this with creation, listing, balances and ledger; incident ingestion needs only `get`.
 */
export interface WorkOrderStore {
  get(workOrderId: string): Promise<StoredWorkOrder | undefined>;
}
