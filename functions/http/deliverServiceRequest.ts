import { consumeReserved, findEntitlement, replaceEntitlement } from '../../domain/workOrder/entitlements';
import { transitionServiceRequest } from '../../domain/workOrder/requests';
import { endpoint, json } from './conventions/endpoint';
import { changeServiceRequest } from './conventions/serviceRequestChange';

/** POST /api/service-requests/{id}/deliver — scheduled → delivered, consuming the reserved entitlement (ENT-1). */
export const deliverServiceRequest = endpoint('deliverServiceRequest', {
  method: 'POST',
  route: 'service-requests/{id}/deliver',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Deliver a service request, consuming its entitlement (ENT-1)',
  responses: { status: 200, errors: [401, 403, 404, 409, 412] },
  handler: async ({ services, params, principal, request }) => {
    const at = services.clock.now().toISOString();
    const result = await changeServiceRequest(
      services,
      request,
      params['id'] ?? '',
      principal,
      (current, workOrder) => {
        const status = transitionServiceRequest(current.status, 'deliver'); // rule SCHED-1
        const entitlements =
          current.quantity > 0
            ? replaceEntitlement(
                workOrder.entitlements,
                consumeReserved(findEntitlement(workOrder.entitlements, current.serviceCode), current.quantity),
              ) // rule ENT-1
            : [...workOrder.entitlements];
        return {
          request: { ...current, status, updatedAt: at },
          workOrder: { ...workOrder, entitlements },
          change: {
            timeline: [
              {
                at,
                kind: 'serviceDelivered',
                rule: 'ENT-1',
                detail: `${current.serviceCode} request ${current.id} delivered${current.quantity > 0 ? `; ${current.quantity} consumed` : ''}.`,
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
