import * as serviceRequests from '../../app/serviceRequests';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

/** POST /api/service-requests/{id}/deliver — scheduled → delivered, consuming the reserved entitlement (ENT-1). */
export const deliverServiceRequest = endpoint('deliverServiceRequest', {
  method: 'POST',
  route: 'service-requests/{id}/deliver',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary:
    'Deliver a service request: entitlement consumed (ENT-1), held credits deducted (CRED-1), flex settled (FLEX-3)',
  responses: { status: 200, errors: [401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, request }) =>
    json(
      200,
      await serviceRequests.deliverServiceRequest(
        services,
        params['id'] ?? '',
        resourceWriteGuard(services, principal, request, { kind: 'request', id: params['id'] ?? '' }),
      ),
    ),
});
