import { workOrderStore } from '../compositionRoot';
import { endpoint, json, paging } from './conventions/endpoint';
import { workOrderForCaller } from './workOrderAccess';

/** GET /api/work-orders/{id}/timeline — everything that happened to it, oldest first. */
export const getWorkOrderTimeline = endpoint('getWorkOrderTimeline', {
  method: 'GET',
  route: 'work-orders/{id}/timeline',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  handler: async ({ params, principal, request }) => {
    const { workOrder } = await workOrderForCaller(params['id'] ?? '', principal, 'read');
    return json(200, await (await workOrderStore()).timeline(workOrder.id, paging(request)));
  },
});
