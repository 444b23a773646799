import { randomUUID } from 'node:crypto';
import { localDateIn } from '../../domain/calendar/businessCalendar';
import { workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';
import { workOrderInputSchema } from '../../domain/workOrder/workOrderSchema';
import { createWorkOrder as buildWorkOrder } from '../../domain/workOrder/workOrderView';
import { WORK_ORDER_TERM, workOrderTermInstanceId } from '../../orchestrations/workOrderTerm/names';
import { endpoint, json } from './conventions/endpoint';
import { canWrite } from './conventions/principal';
import { forbidden } from './conventions/problems';
import { dueItemsOfTerm } from '../../app/dueItems';

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
    const now = services.clock.now();
    const view = buildWorkOrder(input, {
      id: randomUUID(),
      asOf: localDateIn(now, input.host.timeZone),
      catalogue: services.catalogue,
    });
    const forfeited = view.flexPeriods.filter((p) => p.forfeited > 0);
    const etag = await services.workOrders.create(view, {
      timeline: [
        {
          at: now.toISOString(),
          kind: 'workOrderCreated',
          detail: `Work Order ${view.number} for ${view.customerId}, term ${view.term.start} to ${view.term.end}.`,
        },
        ...forfeited.map((p) => ({
          at: now.toISOString(),
          kind: 'flexForfeited',
          rule: 'FLEX-6',
          detail: `Flex year ${p.year}: ${p.forfeited} ${view.currency} not allocated at signing is forfeited.`,
        })),
      ],
    });
    const years = workOrderLifecycleSchedule(view, services.catalogue);
    await services.dueIndex.put(dueItemsOfTerm(view.id, years));
    await client!.startNew(WORK_ORDER_TERM, {
      instanceId: workOrderTermInstanceId(view.id),
      input: { workOrderId: view.id, years, yearIndex: 0 },
    });
    return json(201, view, { etag, location: `/api/work-orders/${view.id}` });
  },
});
