import { z } from 'zod';
import { rescheduleServiceRequest as reschedule } from '../../domain/workOrder/requests';
import { endpoint, json } from './conventions/endpoint';
import { changeServiceRequest } from './conventions/serviceRequestChange';

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
    const now = services.clock.now();
    const at = now.toISOString();
    const result = await changeServiceRequest(
      services,
      request,
      params['id'] ?? '',
      principal,
      (current, workOrder) => {
        const moved = reschedule(current, input.startDate, now, workOrder, services.catalogue); // rules CANCEL-14, EXP-1
        const entry = {
          at,
          from: current.startDate,
          to: moved.startDate,
          maxCancellationFee: moved.maxCancellationFee,
        };
        return {
          request: {
            ...current,
            startDate: moved.startDate,
            updatedAt: at,
            reschedules: [...(current.reschedules ?? []), entry],
          },
          workOrder,
          change: {
            timeline: [
              {
                at,
                kind: 'serviceRescheduled',
                rule: 'CANCEL-14',
                detail: `${current.serviceCode} request ${current.id} moved from ${current.startDate} to ${moved.startDate}, ${moved.daysBeforeStart} day(s) before its first day; maximum fee ${moved.maxCancellationFee}.`,
              },
            ],
          },
          result: {
            id: current.id,
            status: current.status,
            startDate: moved.startDate,
            maxCancellationFee: moved.maxCancellationFee,
          },
        };
      },
    );
    return json(200, result);
  },
});
