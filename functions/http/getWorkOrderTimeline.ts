import { endpoint, json, paging, pagingQuery } from './conventions/endpoint';
import { workOrderForCaller } from './conventions/workOrderAccess';

/** GET /api/work-orders/{id}/timeline — everything that happened to it, oldest first. */
export const getWorkOrderTimeline = endpoint('getWorkOrderTimeline', {
  method: 'GET',
  route: 'work-orders/{id}/timeline',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'Everything that happened to a Work Order, oldest first',
  query: pagingQuery,
  responses: { status: 200, errors: [400, 401, 403, 404] },
  handler: async ({ services, params, principal, request }) => {
    const { workOrder } = await workOrderForCaller(services, params['id'] ?? '', principal, 'read');
    return json(200, await services.workOrders.timeline(workOrder.id, paging(request)));
  },
});
