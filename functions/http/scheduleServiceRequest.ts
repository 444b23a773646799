import * as serviceRequests from '../../app/serviceRequests';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

/** POST /api/service-requests/{id}/schedule — requested → scheduled (SCHED-1). */
export const scheduleServiceRequest = endpoint('scheduleServiceRequest', {
  method: 'POST',
  route: 'service-requests/{id}/schedule',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Schedule a service request (SCHED-1)',
  responses: { status: 200, errors: [401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, request }) =>
    json(
      200,
      await serviceRequests.scheduleServiceRequest(
        services,
        params['id'] ?? '',
        resourceWriteGuard(services, principal, request, { kind: 'request', id: params['id'] ?? '' }),
      ),
    ),
});
