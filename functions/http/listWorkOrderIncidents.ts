import { z } from 'zod';
import { incidentView } from '../../domain/incidents/incident';
import { endpoint, json, paging, pagingQuery, queryParam } from './conventions/endpoint';
import { canRead } from './conventions/principal';
import { notFound } from './conventions/problems';
import { lifecycleIdOf } from './conventions/lifecycleIds';

const stateSchema = z.enum(['pending', 'met', 'breached']).optional();

/** GET /api/work-orders/{id}/incidents?state= */
export const listWorkOrderIncidents = endpoint('listWorkOrderIncidents', {
  method: 'GET',
  route: 'work-orders/{id}/incidents',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: "List a Work Order's incidents (?state=pending|met|breached)",
  query: { state: stateSchema, ...pagingQuery },
  responses: { status: 200, errors: [400, 401, 403, 404] },
  handler: async ({ services, params, principal, request }) => {
    const workOrderId = params['id'] ?? '';
    const stored = await services.workOrders.get(workOrderId);
    if (!stored || !canRead(principal, stored.workOrder.customerId)) throw notFound(`Work Order ${workOrderId}`);
    const state = queryParam(request, 'state', stateSchema);
    const page = await services.incidents.listByWorkOrder(workOrderId, {
      ...paging(request),
      firstResponseState: state,
    });
    return json(200, {
      items: page.items.map((i) => ({ ...incidentView(i), lifecycleId: lifecycleIdOf('incident', i.incidentId) })),
      continuationToken: page.continuationToken,
    });
  },
});
