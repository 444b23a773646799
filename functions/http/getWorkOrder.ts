import { endpoint, json } from './conventions/endpoint';
import { workOrderForCaller } from './workOrderAccess';

/** GET /api/work-orders/{id} — with its ETag for If-Match. */
export const getWorkOrder = endpoint('getWorkOrder', {
  method: 'GET',
  route: 'work-orders/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  handler: async ({ params, principal }) => {
    const { workOrder, etag } = await workOrderForCaller(params['id'] ?? '', principal, 'read');
    return json(200, workOrder, { etag });
  },
});
