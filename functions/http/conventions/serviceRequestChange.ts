import type { HttpRequest } from '@azure/functions';
import type { ServiceRequestRecord, WorkOrderChange } from '../../../domain/workOrder/workOrderStore';
import type { WorkOrderView } from '../../../domain/workOrder/workOrderView';
import type { Services } from '../../../app/services';
import type { Principal } from './principal';
import { notFound } from './problems';
import { changeWorkOrder } from './workOrderAccess';

/**
 * Changes one service request together with its Work Order (entitlement balances) in one transaction. The request
 * is read afresh on every attempt, so two racing transitions cannot both apply.
 */
export async function changeServiceRequest<T>(
  services: Services,
  request: HttpRequest,
  requestId: string,
  principal: Principal,
  apply: (
    current: ServiceRequestRecord,
    workOrder: WorkOrderView,
  ) => { request: ServiceRequestRecord; workOrder: WorkOrderView; change?: WorkOrderChange; result: T },
  options: { inForce?: boolean } = {},
): Promise<T> {
  const store = services.workOrders;
  const found = await store.findServiceRequest(requestId);
  if (!found) throw notFound(`Service request ${requestId}`);
  const { result } = await changeWorkOrder(
    services,
    request,
    found.workOrderId,
    principal,
    async (workOrder) => {
      const current = await store.findServiceRequest(requestId);
      if (!current) throw notFound(`Service request ${requestId}`);
      const next = apply(current, workOrder);
      return { workOrder: next.workOrder, change: { ...next.change, requests: [next.request] }, result: next.result };
    },
    options,
  );
  return result;
}
