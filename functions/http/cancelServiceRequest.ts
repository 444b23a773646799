import { z } from 'zod';
import { releaseEntitlement, findEntitlement, replaceEntitlement } from '../../domain/workOrder/entitlements';
import { cancelServiceRequest as decideCancellation } from '../../domain/workOrder/requests';
import { endpoint, json } from './conventions/endpoint';
import { changeServiceRequest } from './conventions/serviceRequestChange';

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
    const at = input.at ? new Date(input.at) : services.clock.now();
    const result = await changeServiceRequest(
      services,
      request,
      params['id'] ?? '',
      principal,
      (current, workOrder) => {
        const decision = decideCancellation(current, at, workOrder.host.timeZone, services.catalogue); // rule CANCEL-14
        const entitlements =
          current.quantity > 0
            ? replaceEntitlement(
                workOrder.entitlements,
                releaseEntitlement(findEntitlement(workOrder.entitlements, current.serviceCode), current.quantity),
              ) // rule ENT-1
            : [...workOrder.entitlements];
        return {
          request: {
            ...current,
            status: 'cancelled',
            maxCancellationFee: decision.maxCancellationFee,
            updatedAt: at.toISOString(),
          },
          workOrder: { ...workOrder, entitlements },
          change: {
            timeline: [
              {
                at: at.toISOString(),
                kind: 'serviceCancelled',
                rule: 'CANCEL-14',
                detail: `${current.serviceCode} request ${current.id} cancelled ${decision.daysBeforeStart} day(s) before its start; maximum fee ${decision.maxCancellationFee}.`,
              },
            ],
          },
          result: {
            id: current.id,
            status: decision.status,
            maxCancellationFee: decision.maxCancellationFee,
            feeWaived: false,
          },
        };
      },
      { inForce: false },
    ); // a cancellation only releases what the request held
    return json(200, result);
  },
});
