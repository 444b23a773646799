import { z } from 'zod';
import * as serviceRequests from '../../app/serviceRequests';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

const rescheduleSchema = z.object({ startDate: z.iso.date() }).strict();

/**
 * POST /api/service-requests/{id}/reschedule — moves the first delivery day; for a scheduled request fewer than 14
 * days before its current first day it is priced as a cancellation (CANCEL-14).
 */
export const rescheduleServiceRequest = endpoint('rescheduleServiceRequest', {
  method: 'POST',
  route: 'service-requests/{id}/reschedule',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary:
    'Reschedule a service request; late moves of a scheduled one are priced as a cancellation (CANCEL-14, EXP-1)',
  body: rescheduleSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, request, body }) => {
    const input = await body();
    const result = await serviceRequests.rescheduleServiceRequest(
      services,
      params['id'] ?? '',
      input,
      resourceWriteGuard(services, principal, request, { kind: 'request', id: params['id'] ?? '' }),
    );
    return json(200, result);
  },
});
