import { randomUUID } from 'node:crypto';
import { acceptServiceRequest, serviceRequestInputSchema } from '../../domain/workOrder/requests';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

/** POST /api/work-orders/{id}/service-requests — REQ-60, EXP-1, and ENT-1 (reserves the entitlement) when funded by one. */
export const createServiceRequest = endpoint('createServiceRequest', {
  method: 'POST',
  route: 'work-orders/{id}/service-requests',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Request a service (REQ-60, EXP-1, ENT-1; EXP-1 409 once expired or terminated)',
  body: serviceRequestInputSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const now = services.clock.now();
    const id = randomUUID();
    const { result } = await changeWorkOrder(services, request, params['id'] ?? '', principal, (current) => {
      const accepted = acceptServiceRequest(current, input, now, services.catalogue); // rules REQ-60, EXP-1, ENT-1
      const record = {
        ...accepted.request,
        id,
        workOrderId: current.id,
        requestedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      return {
        workOrder: { ...current, entitlements: accepted.entitlements },
        change: {
          requests: [record],
          timeline: [
            {
              at: now.toISOString(),
              kind: 'serviceRequested',
              rule: input.fundedBy === 'entitlement' ? 'ENT-1' : 'REQ-60',
              detail: `${input.serviceCode} requested for ${input.startDate} (${input.days} day(s), funded by ${input.fundedBy}); request ${id}.`,
            },
          ],
        },
        result: { id, status: record.status },
      };
    });
    return json(201, result, { location: `/api/service-requests/${id}` });
  },
});
