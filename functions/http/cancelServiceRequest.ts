import { z } from 'zod';
import * as serviceRequests from '../../app/serviceRequests';
import { endpoint, json } from './conventions/endpoint';
import { forbidden } from './conventions/problems';
import { resourceWriteGuard } from './conventions/workOrderAccess';

const cancellationSchema = z
  .object({
    at: z.iso.datetime({ offset: true }).optional(),
    /** rule PRO-4: the provider cancels a workshop that did not reach its minimum enrolment (Provider.Csam). */
    reason: z.literal('minimumEnrolment').optional(),
    enrolled: z.number().int().nonnegative().max(100_000).optional(),
    minimumEnrolment: z.number().int().positive().max(100_000).optional(),
  })
  .strict();

/**
 * POST /api/service-requests/{id}/cancel — CANCEL-14 maximum fee; what the request held goes back: the entitlement
 * (ENT-1), the credits (CRED-1, CRED-2), the flex allocation (FLEX-3). PRO-4: the provider cancels a workshop for lack
 * of enrolment without fee.
 */
export const cancelServiceRequest = endpoint('cancelServiceRequest', {
  method: 'POST',
  route: 'service-requests/{id}/cancel',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Cancel a service request (CANCEL-14; PRO-4 minimum enrolment, Provider.Csam); holdings given back',
  body: cancellationSchema.optional(),
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, request, body }) => {
    const input = (await body()) ?? {}; // an empty body cancels now
    if (input.reason === 'minimumEnrolment' && !principal.roles.includes('Provider.Csam'))
      throw forbidden('Only the provider cancels a workshop for lack of enrolment (PRO-4).');
    // CANCEL-14 decides money by the cancellation's date: a customer's is now, only provider staff may date it.
    const dated = principal.roles.includes('Provider.Csam') ? input : { ...input, at: undefined };
    return json(
      200,
      await serviceRequests.cancelServiceRequest(
        services,
        params['id'] ?? '',
        dated,
        resourceWriteGuard(services, principal, request, { kind: 'request', id: params['id'] ?? '' }),
      ),
    );
  },
});
