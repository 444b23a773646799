import { z } from 'zod';
import * as serviceRequests from '../../app/serviceRequests';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

const cancellationSchema = z.object({ at: z.iso.datetime({ offset: true }).optional() }).strict();

/** POST /api/service-requests/{id}/cancel — CANCEL-14 maximum fee; the reserved entitlement goes back (ENT-1). */
export const cancelServiceRequest = endpoint('cancelServiceRequest', {
  method: 'POST',
  route: 'service-requests/{id}/cancel',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Cancel a service request (CANCEL-14)',
  body: cancellationSchema.optional(),
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, request, body }) => {
    const input = (await body()) ?? {}; // an empty body cancels now
    return json(
      200,
      await serviceRequests.cancelServiceRequest(
        services,
        params['id'] ?? '',
        input,
        resourceWriteGuard(services, principal, request, { kind: 'request', id: params['id'] ?? '' }),
      ),
    );
  },
});
