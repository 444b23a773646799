import * as serviceRequests from '../../app/serviceRequests';
import { serviceRequestInputSchema } from '../../domain/workOrder/requests';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/** POST /api/work-orders/{id}/service-requests — REQ-60, EXP-1, and ENT-1 (reserves the entitlement) when funded by one. */
export const createServiceRequest = endpoint('createServiceRequest', {
  method: 'POST',
  route: 'work-orders/{id}/service-requests',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary:
    'Request a service (REQ-60, EXP-1, PRO-2, PRO-3, MN-2; funded by ENT-1, CRED-1/CRED-2 credits held, FLEX-3 flex year)',
  body: serviceRequestInputSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const { result } = await serviceRequests.createServiceRequest(
      services,
      params['id'] ?? '',
      input,
      writeGuard(principal, request),
    );
    return json(201, result, { location: `/api/service-requests/${result.id}` });
  },
});
