import { z } from 'zod';
import * as serviceRequests from '../../app/serviceRequests';
import { longText } from '../../domain/input';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

const feeWaiverSchema = z.object({ reason: longText().trim().min(1) }).strict();

/** POST /api/service-requests/{id}/fee-waiver — the provider waives a CANCEL-14 fee; recorded on the request and timeline. */
export const waiveCancellationFee = endpoint('waiveCancellationFee', {
  method: 'POST',
  route: 'service-requests/{id}/fee-waiver',
  roles: ['Provider.Csam'],
  summary: 'Waive the cancellation fee of a cancelled request (CANCEL-14; Provider.Csam)',
  body: feeWaiverSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, request, body }) => {
    const input = await body();
    return json(
      200,
      await serviceRequests.waiveCancellationFee(
        services,
        params['id'] ?? '',
        input,
        resourceWriteGuard(services, principal, request, { kind: 'request', id: params['id'] ?? '' }),
      ),
    );
  },
});
