import { endpoint, json } from './conventions/endpoint';
import { workOrderForCaller } from './conventions/workOrderAccess';

/** GET /api/work-orders/{id}/hours — the hours used on a Work Order, oldest first (EDE-1, REDE-1, ADV-1). */
export const listWorkOrderHours = endpoint('listWorkOrderHours', {
  method: 'GET',
  route: 'work-orders/{id}/hours',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'List the hours used on a Work Order (EDE-1, REDE-1, ADV-1)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const { workOrder } = await workOrderForCaller(services, params['id'] ?? '', principal, 'read');
    const items = await services.workOrders.hoursUsage(workOrder.id);
    return json(200, { items, continuationToken: null });
  },
});
