import { endpoint, json } from './conventions/endpoint';
import { workOrderForCaller } from './conventions/workOrderAccess';
import { lifecycleIdOf } from './conventions/lifecycleIds';

/** GET /api/work-orders/{id} — with its ETag for If-Match. */
export const getWorkOrder = endpoint('getWorkOrder', {
  method: 'GET',
  route: 'work-orders/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'Get a Work Order (ETag)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const { workOrder, etag } = await workOrderForCaller(services, params['id'] ?? '', principal, 'read');
    return json(200, { ...workOrder, lifecycleId: lifecycleIdOf('workOrder', workOrder.id) }, { etag });
  },
});
