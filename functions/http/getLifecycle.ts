import type { Services } from '../../app/services';
import type { Principal } from './conventions/principal';
import { canRead } from './conventions/principal';
import { statusOrMissing } from '../../orchestrations/durableStatus';
import { incidentSlaInstanceId } from '../../orchestrations/incidentSla/names';
import { aemEventInstanceId, cyberEngagementInstanceId } from '../../orchestrations/phasedLifecycle/names';
import { workOrderTermInstanceId } from '../../orchestrations/workOrderTerm/names';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { incidentForCaller } from './conventions/incidentAccess';

/** Which resource a lifecycle instance keeps, by its deterministic ID; the caller must be allowed to read it. */
async function resourceOf(services: Services, instanceId: string, principal: Principal): Promise<string> {
  const suffix = (prefix: string) => (instanceId.startsWith(prefix) ? instanceId.slice(prefix.length) : undefined);
  const incidentId = suffix(incidentSlaInstanceId(''));
  if (incidentId !== undefined) {
    await incidentForCaller(services, incidentId, principal, 'read');
    return `/api/incidents/${encodeURIComponent(incidentId)}`;
  }
  const store = services.workOrders;
  const owned = async (workOrderId: string | undefined, path: string) => {
    const customerId = workOrderId ? (await store.get(workOrderId))?.workOrder.customerId : undefined;
    if (!customerId || !canRead(principal, customerId)) throw notFound(`Lifecycle ${instanceId}`);
    return path;
  };
  const workOrderId = suffix(workOrderTermInstanceId(''));
  if (workOrderId !== undefined) return owned(workOrderId, `/api/work-orders/${encodeURIComponent(workOrderId)}`);
  const aemId = suffix(aemEventInstanceId(''));
  if (aemId !== undefined)
    return owned((await store.findResource('aem', aemId))?.workOrderId, `/api/aem-events/${encodeURIComponent(aemId)}`);
  const cyberId = suffix(cyberEngagementInstanceId(''));
  if (cyberId !== undefined)
    return owned(
      (await store.findResource('cyber', cyberId))?.workOrderId,
      `/api/cyber-engagements/${encodeURIComponent(cyberId)}`,
    );
  throw notFound(`Lifecycle ${instanceId}`);
}

/** GET /api/lifecycles/{instanceId} — the Durable status of a lifecycle, with a link to the resource it keeps. */
export const getLifecycle = endpoint('getLifecycle', {
  method: 'GET',
  route: 'lifecycles/{instanceId}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'The Durable status of a lifecycle (ETag)',
  responses: { status: 200, errors: [401, 403, 404] },
  durableClient: true,
  handler: async ({ services, params, principal, client }) => {
    const instanceId = params['instanceId'] ?? '';
    const resource = await resourceOf(services, instanceId, principal);
    const status = await statusOrMissing(client!, instanceId);
    if (!status || !status.instanceId) throw notFound(`Lifecycle ${instanceId}`);
    const view = {
      instanceId: status.instanceId,
      name: status.name,
      runtimeStatus: status.runtimeStatus,
      customStatus: status.customStatus ?? null,
      createdTime: status.createdTime,
      lastUpdatedTime: status.lastUpdatedTime,
      resource,
    };
    return json(200, view, { etag: contentEtag(view) });
  },
});
