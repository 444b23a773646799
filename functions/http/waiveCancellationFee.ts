import { z } from 'zod';
import { waiveCancellationFee as waive } from '../../domain/workOrder/requests';
import { endpoint, json } from './conventions/endpoint';
import { changeServiceRequest } from './conventions/serviceRequestChange';

const feeWaiverSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

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
    const at = services.clock.now().toISOString();
    const result = await changeServiceRequest(
      services,
      request,
      params['id'] ?? '',
      principal,
      (current, workOrder) => {
        const waiver = waive(current, input.reason); // rule CANCEL-14
        const result = {
          id: current.id,
          status: current.status,
          maxCancellationFee: current.maxCancellationFee ?? 0,
          ...waiver,
        };
        if (current.feeWaived)
          return {
            request: current,
            workOrder,
            result: { ...result, waiverReason: current.waiverReason ?? waiver.waiverReason },
          };
        return {
          request: { ...current, ...waiver, updatedAt: at },
          workOrder,
          change: {
            timeline: [
              {
                at,
                kind: 'cancellationFeeWaived',
                rule: 'CANCEL-14',
                detail: `Cancellation fee of ${current.maxCancellationFee} for ${current.serviceCode} request ${current.id} waived: ${input.reason}`,
              },
            ],
          },
          result,
        };
      },
      { inForce: false }, // a waiver only forgoes a charge
    );
    return json(200, result);
  },
});
