import { transitionServiceRequest } from '../../domain/workOrder/requests';
import { endpoint, json } from './conventions/endpoint';
import { changeServiceRequest } from './conventions/serviceRequestChange';

/** POST /api/service-requests/{id}/schedule — requested → scheduled (SCHED-1). */
export const scheduleServiceRequest = endpoint('scheduleServiceRequest', {
  method: 'POST',
  route: 'service-requests/{id}/schedule',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Schedule a service request (SCHED-1)',
  responses: { status: 200, errors: [401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, request }) => {
    const at = services.clock.now().toISOString();
    const result = await changeServiceRequest(
      services,
      request,
      params['id'] ?? '',
      principal,
      (current, workOrder) => {
        const status = transitionServiceRequest(current.status, 'schedule'); // rule SCHED-1
        return {
          request: { ...current, status, updatedAt: at },
          workOrder,
          change: {
            timeline: [
              {
                at,
                kind: 'serviceScheduled',
                rule: 'SCHED-1',
                detail: `${current.serviceCode} request ${current.id} scheduled for ${current.startDate}.`,
              },
            ],
          },
          result: { id: current.id, status },
        };
      },
    );
    return json(200, result);
  },
});
