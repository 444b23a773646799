import * as workOrders from '../../app/workOrders';
import { workOrderInputSchema } from '../../domain/workOrder/workOrderSchema';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { endpoint, json } from './conventions/endpoint';
import { lifecycleIdOf } from './conventions/lifecycleIds';

/** POST /api/work-orders — validates the Work Order (FLEX-*, DEP-*, MN-5), stores it and starts its term lifecycle. */
export const createWorkOrder = endpoint('createWorkOrder', {
  method: 'POST',
  route: 'work-orders',
  roles: ['Provider.Csam'], // a Work Order is a signed contract the provider registers (its balances are money)
  summary: 'Create a Work Order (FLEX-2, FLEX-4, FLEX-6, DEP-1, DEP-2, MN-5; Provider.Csam)',
  body: workOrderInputSchema,
  responses: { status: 201, errors: [400, 401, 403, 422] },
  durableClient: true,
  handler: async ({ services, body, client }) => {
    const input = await body();
    const { workOrder, etag } = await workOrders.createWorkOrder(services, durableLifecycles(client!), input);
    return json(
      201,
      { ...workOrder, lifecycleId: lifecycleIdOf('workOrder', workOrder.id) },
      { etag, location: `/api/work-orders/${workOrder.id}` },
    );
  },
});
