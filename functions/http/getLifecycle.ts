import { incidentSlaInstanceId } from '../../orchestrations/incidentSla/names';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { incidentForCaller } from './incidentAccess';

const INCIDENT_PREFIX = incidentSlaInstanceId('');

/** GET /api/lifecycles/{instanceId} — the Durable status of a lifecycle, with a link to the resource it serves. */
export const getLifecycle = endpoint('getLifecycle', {
  method: 'GET',
  route: 'lifecycles/{instanceId}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  durableClient: true,
  handler: async ({ params, principal, client }) => {
    const instanceId = params['instanceId'] ?? '';
    let resource: string | undefined;
    if (instanceId.startsWith(INCIDENT_PREFIX)) {
      const incidentId = instanceId.slice(INCIDENT_PREFIX.length);
      await incidentForCaller(incidentId, principal, 'read');
      resource = `/api/incidents/${encodeURIComponent(incidentId)}`;
    } else if (!principal.roles.includes('Provider.Csam')) {
      throw notFound(`Lifecycle ${instanceId}`);
    }
    const status = await client!.getStatus(instanceId).catch(() => undefined);
    if (!status || !status.instanceId) throw notFound(`Lifecycle ${instanceId}`);
    return json(200, {
      instanceId: status.instanceId,
      name: status.name,
      runtimeStatus: status.runtimeStatus,
      customStatus: status.customStatus ?? null,
      createdTime: status.createdTime,
      lastUpdatedTime: status.lastUpdatedTime,
      resource: resource ?? null,
    });
  },
});
