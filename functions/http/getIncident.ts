import { incidentView } from '../../domain/incidents/incident';
import { endpoint, json } from './conventions/endpoint';
import { incidentForCaller } from './conventions/incidentAccess';

/** GET /api/incidents/{incidentId} */
export const getIncident = endpoint('getIncident', {
  method: 'GET',
  route: 'incidents/{incidentId}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'Get an incident and its first-response target',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const { incident, etag } = await incidentForCaller(services, params['incidentId'] ?? '', principal, 'read');
    return json(200, incidentView(incident), { etag });
  },
});
