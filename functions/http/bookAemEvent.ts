import { randomUUID } from 'node:crypto';
import { aemEventRequestSchema, aemPhaseDates, planAemBooking } from '../../domain/aem/aemBooking';
import type { AemBookingRecord } from '../../domain/aem/aemRecord';
import { effectiveTerm } from '../../domain/workOrder/term';
import { aemLifecycle } from '../../app/dueItems';
import { findEntitlement, replaceEntitlement, reserveEntitlement } from '../../domain/workOrder/entitlements';
import { AEM_EVENT_LIFECYCLE, aemEventInstanceId } from '../../orchestrations/phasedLifecycle/names';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

/**
 * POST /api/work-orders/{id}/aem-events — splits the period into back-to-back events (AEM-2), checks notice
 * (AEM-3), cloud (AEM-4) and the events left (ENT-1), reserves them and starts the booking's lifecycle.
 */
export const bookAemEvent = endpoint('bookAemEvent', {
  method: 'POST',
  route: 'work-orders/{id}/aem-events',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Book Azure Event Management (AEM-1..4, ENT-1; EXP-1 422 beyond the term, 409 once expired or terminated)',
  body: aemEventRequestSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client }) => {
    const input = await body();
    const id = randomUUID();
    const now = services.clock.now().toISOString();
    const { result: record } = await changeWorkOrder(services, request, params['id'] ?? '', principal, (current) => {
      const remaining = current.entitlements.find((e) => e.serviceCode === 'AEM')?.remaining ?? 0;
      const plan = planAemBooking(input, {
        remainingEvents: remaining,
        catalogue: services.catalogue,
        term: effectiveTerm(current),
      }); // rules AEM-1..4, ENT-1, EXP-1
      const entitlements = replaceEntitlement(
        current.entitlements,
        reserveEntitlement(findEntitlement(current.entitlements, 'AEM'), plan.events.length),
      );
      const { status: _planned, ...booking } = plan;
      const data: AemBookingRecord = {
        ...booking,
        id,
        workOrderId: current.id,
        cloud: input.cloud,
        timeZone: current.host.timeZone,
        phases: aemPhaseDates(plan, current.host.timeZone, services.catalogue),
        phase: 'planned',
        consumed: 0,
        summary: null,
        cancelledAt: null,
      };
      return {
        workOrder: { ...current, entitlements },
        change: {
          resources: [{ kind: 'aem', id, workOrderId: current.id, data }],
          timeline: [
            {
              at: now,
              kind: 'aemEventBooked',
              rule: 'AEM-2',
              detail: `AEM for ${plan.solutionName}: ${plan.events.length} event(s) from ${plan.events[0]?.start}${plan.shortNotice ? ` on short notice (${plan.noticeDays} days, accepted by the provider; AEM-3)` : ''}.`,
            },
          ],
        },
        result: data,
      };
    });
    const lifecycle = aemLifecycle(record, now);
    await services.dueIndex.put(lifecycle.due);
    await client!.startNew(AEM_EVENT_LIFECYCLE, { instanceId: aemEventInstanceId(id), input: lifecycle.input });
    return json(
      201,
      {
        id,
        events: record.events.map(({ start, end }) => ({ start, end })),
        shortNotice: record.shortNotice,
        assessment: record.assessment,
        status: 'planned',
        phases: record.phases,
      },
      { location: `/api/aem-events/${id}` },
    );
  },
});
