import type { HttpRequest } from '@azure/functions';
import {
  WorkOrderConflict,
  type StoredWorkOrder,
  type WorkOrderChange,
  type WorkOrderResource,
} from '../../../domain/workOrder/workOrderStore';
import { localDateIn } from '../../../domain/calendar/businessCalendar';
import { assertInForce, type WorkOrderView } from '../../../domain/workOrder/workOrderView';
import type { Services } from '../../../app/services';
import { canRead, canWrite, type Principal } from './principal';
import { forbidden, notFound, preconditionFailed } from './problems';

/** A Work Order the caller may see; another customer's is 404, exactly as if it did not exist. */
export async function workOrderForCaller(
  services: Services,
  workOrderId: string,
  principal: Principal,
  access: 'read' | 'write',
): Promise<StoredWorkOrder> {
  const stored = await services.workOrders.get(workOrderId);
  if (!stored || !canRead(principal, stored.workOrder.customerId)) throw notFound(`Work Order ${workOrderId}`);
  if (access === 'write' && !canWrite(principal, stored.workOrder.customerId)) throw forbidden();
  return stored;
}

/** A booking, engagement or swap of a Work Order the caller may see; otherwise 404 named `what`. */
export async function resourceForCaller<T>(
  services: Services,
  kind: WorkOrderResource['kind'],
  id: string,
  principal: Principal,
  what: string,
): Promise<WorkOrderResource<T>> {
  const store = services.workOrders;
  const found = await store.findResource<T>(kind, id);
  const owner = found ? (await store.get(found.workOrderId))?.workOrder.customerId : undefined;
  if (!found || !owner || !canRead(principal, owner)) throw notFound(`${what} ${id}`);
  return found;
}

const MAX_ATTEMPTS = 30;

export interface Mutation<T> {
  workOrder: WorkOrderView;
  change: WorkOrderChange;
  result: T;
}

/**
 * Read-modify-write of a Work Order under its ETag. With `If-Match` the caller's version must still be current
 * (else 412). Without it, a lost race is retried on fresh data, so concurrent redemptions end exact. Unless
 * `inForce` is false, an expired or terminated Work Order refuses the change (EXP-1, 409).
 */
export async function changeWorkOrder<T>(
  services: Services,
  request: HttpRequest,
  workOrderId: string,
  principal: Principal,
  mutate: (current: WorkOrderView) => Promise<Mutation<T>> | Mutation<T>,
  options: { inForce?: boolean } = {},
): Promise<{ result: T; etag: string; workOrder: WorkOrderView }> {
  const ifMatch = request.headers.get('if-match');
  const store = services.workOrders;
  for (let attempt = 1; ; attempt++) {
    const stored = await workOrderForCaller(services, workOrderId, principal, 'write');
    if (ifMatch && ifMatch !== '*' && ifMatch !== stored.etag) throw preconditionFailed();
    if (options.inForce !== false)
      assertInForce(stored.workOrder, localDateIn(services.clock.now(), stored.workOrder.host.timeZone)); // rule EXP-1
    const next = await mutate(stored.workOrder);
    try {
      const etag = await store.update(next.workOrder, stored.etag, next.change);
      return { result: next.result, etag, workOrder: next.workOrder };
    } catch (error) {
      if (!(error instanceof WorkOrderConflict)) throw error;
      if (ifMatch || attempt >= MAX_ATTEMPTS) throw ifMatch ? preconditionFailed() : error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt)); // jittered back-off
    }
  }
}
