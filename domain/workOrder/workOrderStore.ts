import type { HoursUsage } from './hours';
import type { RequestFunding, ServiceRequestInput, ServiceRequestStatus } from './requests';
import type { WorkOrderView } from './workOrderView';

export interface TimelineEntry {
  at: string;
  kind: string;
  rule?: string;
  detail: string;
  /** A stable key makes writing the entry idempotent (an activity that runs twice records it once). */
  key?: string;
}

export interface LedgerEntry {
  at: string;
  /** `hold`: credits held by a service request; `release`: given back at its cancellation (CRED-1, CRED-2). */
  kind: 'redemption' | 'exchangeOut' | 'exchangeIn' | 'hold' | 'release';
  country: string;
  credits: number;
  balanceAfter: number;
  serviceCode?: string;
}

export interface ServiceRequestRecord extends ServiceRequestInput, RequestFunding {
  id: string;
  /** rule PRO-2 (default remote for requests stored before it was recorded). */
  delivery?: 'remote' | 'onsite';
  /** rule MN-2 */
  location?: string;
  /** rule CANCEL-14: every move of the first delivery day, with the fee it could cost. */
  reschedules?: Array<{ at: string; from: string; to: string; maxCancellationFee: number }>;
  /** rule PRO-4: cancelled by the provider for lack of enrolment. */
  cancellationReason?: 'minimumEnrolment';
  workOrderId: string;
  status: ServiceRequestStatus;
  /** Entitlement quantity held for it (ENT-1); 0 unless funded by an entitlement. */
  quantity: number;
  requestedAt: string;
  updatedAt: string;
  maxCancellationFee?: number;
  /** CANCEL-14: the provider waived the cancellation fee, and why. */
  feeWaived?: boolean;
  waiverReason?: string;
}

export interface StoredWorkOrder {
  workOrder: WorkOrderView;
  etag: string;
}

export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

/** A write lost a race with another writer (stale ETag). */
export class WorkOrderConflict extends Error {
  override readonly name = 'WorkOrderConflict';
}

/** A booking that belongs to a Work Order and has its own lifecycle (an AEM event, a cyber engagement). */
export interface WorkOrderResource<T = unknown> {
  kind: 'aem' | 'cyber' | 'swap';
  id: string;
  workOrderId: string;
  data: T;
}

/** What changes together with a Work Order, committed atomically with it. */
export interface WorkOrderChange {
  timeline?: TimelineEntry[];
  ledger?: LedgerEntry[];
  requests?: ServiceRequestRecord[];
  resources?: WorkOrderResource[];
  /** Hours used (EDE-1, REDE-1, ADV-1), listed on the Work Order. */
  usage?: HoursUsage[];
}

/** Where Work Orders live (port; the Table Storage adapter is infra/tables/workOrderTable.ts). */
export interface WorkOrderStore {
  get(workOrderId: string): Promise<StoredWorkOrder | undefined>;
  create(workOrder: WorkOrderView, change?: WorkOrderChange): Promise<string>;
  /** Replaces the Work Order if `etag` still matches (else WorkOrderConflict), with its change, atomically. */
  update(workOrder: WorkOrderView, etag: string, change?: WorkOrderChange): Promise<string>;
  listByCustomer(
    customerId: string | null,
    page: { limit: number; continuationToken?: string },
  ): Promise<Page<WorkOrderView>>;
  timeline(workOrderId: string, page: { limit: number; continuationToken?: string }): Promise<Page<TimelineEntry>>;
  findServiceRequest(requestId: string): Promise<ServiceRequestRecord | undefined>;
  serviceRequests(workOrderId: string): Promise<ServiceRequestRecord[]>;
  findResource<T>(kind: WorkOrderResource['kind'], id: string): Promise<WorkOrderResource<T> | undefined>;
  resources<T>(workOrderId: string, kind: WorkOrderResource['kind']): Promise<Array<WorkOrderResource<T>>>;
  /** Hours used on a Work Order, oldest first; with `caseId` only that advisory case's (ADV-1). */
  hoursUsage(workOrderId: string, filter?: { caseId?: string }): Promise<HoursUsage[]>;
}
