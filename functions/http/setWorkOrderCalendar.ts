import * as workOrders from '../../app/workOrders';
import { workOrderCalendarSchema } from '../../domain/workOrder/workOrderCalendar';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/**
 * PUT /api/work-orders/{id}/calendar — HOURS-1: the days a Work Order makes closed or working per support location
 * (replacing the previous overrides). Deadlines computed afterwards use them; those already computed stay.
 */
export const setWorkOrderCalendar = endpoint('setWorkOrderCalendar', {
  method: 'PUT',
  route: 'work-orders/{id}/calendar',
  roles: ['Provider.Csam'],
  summary: 'Set the days made closed or working per support location (HOURS-1)',
  body: workOrderCalendarSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const calendar = await body();
    const { workOrder, etag } = await workOrders.setWorkOrderCalendar(
      services,
      params['id'] ?? '',
      calendar,
      writeGuard(principal, request),
    );
    return json(200, workOrder, { etag });
  },
});
