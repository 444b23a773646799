import {
  assertCalendarLocations,
  describeCalendarChange,
  workOrderCalendarSchema,
} from '../../domain/workOrder/workOrderCalendar';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

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
    const now = services.clock.now().toISOString();
    const { workOrder, etag } = await changeWorkOrder(services, request, params['id'] ?? '', principal, (current) => {
      assertCalendarLocations(calendar, [current.host, ...current.downstream]); // rule HOURS-1, MN-1
      return {
        workOrder: { ...current, calendar },
        change: {
          timeline: [
            {
              at: now,
              kind: 'calendarChanged',
              rule: 'HOURS-1',
              detail: `Calendar overrides set (deadlines computed from now on use them). ${describeCalendarChange(current.calendar, calendar)}.`,
            },
          ],
        },
        result: null,
      };
    });
    return json(200, workOrder, { etag });
  },
});
