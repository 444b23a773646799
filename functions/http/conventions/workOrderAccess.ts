import type { HttpRequest } from '@azure/functions';
import type { Guard } from '../../../app/changeWorkOrder';
import type { Services } from '../../../app/services';
import type { StoredWorkOrder, WorkOrderResource } from '../../../domain/workOrder/workOrderStore';
import { contentEtag } from './etag';
import { canRead, canWrite, type Principal } from './principal';
import { forbidden, notFound } from './problems';

/** A Work Order the caller may see; another customer's is 404, exactly as if it did not exist. */
export async function workOrderForCaller(
  services: Services,
  workOrderId: string,
  principal: Principal,
  access: 'read' | 'write',
): Promise<StoredWorkOrder> {
  const stored = await services.workOrders.get(workOrderId);
  authorize(principal, access, workOrderId, stored?.workOrder);
  return stored!;
}

function authorize(
  principal: Principal,
  access: 'read' | 'write',
  workOrderId: string,
  workOrder: { customerId: string } | undefined,
  named = `Work Order ${workOrderId}`,
): void {
  if (!workOrder || !canRead(principal, workOrder.customerId)) throw notFound(named);
  if (access === 'write' && !canWrite(principal, workOrder.customerId))
    throw forbidden('Changing this needs the role Customer.Manager (of its customer) or Provider.Csam.');
}

/**
 * How the caller may change a Work Order: only one it may write (another customer's is 404), and with `If-Match`
 * only the version it read (412 otherwise; without it, a lost race is retried on fresh data). `named` is what the
 * caller asked for (a service request, an engagement): a 404 names only that, never the other customer's Work Order.
 */
export function writeGuard(principal: Principal, request: HttpRequest, named?: string): Guard {
  return {
    authorize: (workOrderId, workOrder) => authorize(principal, 'write', workOrderId, workOrder, named),
    ifMatch: request.headers.get('if-match'),
  };
}

/**
 * As writeGuard, for a change of one resource inside a Work Order: If-Match names that resource's ETag (the one its
 * GET answers), so a change elsewhere in the Work Order does not make it stale.
 */
const RESOURCE_NAMES: Record<WorkOrderResource['kind'] | 'request', string> = {
  request: 'Service request',
  aem: 'AEM event',
  cyber: 'Cyber engagement',
  swap: 'Swap',
};

export function resourceWriteGuard(
  services: Services,
  principal: Principal,
  request: HttpRequest,
  resource: { kind: WorkOrderResource['kind'] | 'request'; id: string },
): Guard {
  const read = async () =>
    resource.kind === 'request'
      ? ((await services.workOrders.findServiceRequest(resource.id)) ?? null)
      : ((await services.workOrders.findResource(resource.kind, resource.id))?.data ?? null);
  const named = `${RESOURCE_NAMES[resource.kind]} ${resource.id}`; // a 404 names what the caller asked for, nothing else
  return { ...writeGuard(principal, request, named), etagOf: async () => contentEtag(await read()) };
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
