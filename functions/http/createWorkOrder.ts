import * as workOrders from '../../app/workOrders';
import { workOrderInputSchema } from '../../domain/workOrder/workOrderSchema';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { endpoint, json } from './conventions/endpoint';
import { canWrite } from './conventions/principal';
import { forbidden } from './conventions/problems';
import { lifecycleIdOf } from './conventions/lifecycleIds';

/** POST /api/work-orders — validates the Work Order (FLEX-*, DEP-*, MN-5), stores it and starts its term lifecycle. */
export const createWorkOrder = endpoint('createWorkOrder', {
  method: 'POST',
  route: 'work-orders',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Create a Work Order (FLEX-2, FLEX-4, FLEX-6, DEP-1, DEP-2, MN-5)',
  body: workOrderInputSchema,
  responses: { status: 201, errors: [400, 401, 403, 422] },
  durableClient: true,
  handler: async ({ services, body, principal, client }) => {
    const input = await body();
    if (!canWrite(principal, input.customerId))
      throw forbidden('You may create Work Orders only for your own customer.');
    const { workOrder, etag } = await workOrders.createWorkOrder(services, durableLifecycles(client!), input);
    return json(
      201,
      { ...workOrder, lifecycleId: lifecycleIdOf('workOrder', workOrder.id) },
      { etag, location: `/api/work-orders/${workOrder.id}` },
    );
  },
});
