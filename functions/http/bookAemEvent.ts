import * as aemEvents from '../../app/aemEvents';
import { aemEventRequestSchema } from '../../domain/aem/aemBooking';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { endpoint, json } from './conventions/endpoint';
import { lifecycleIdOf } from './conventions/lifecycleIds';
import { writeGuard } from './conventions/workOrderAccess';

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
    const record = await aemEvents.bookAemEvent(
      services,
      durableLifecycles(client!),
      params['id'] ?? '',
      input,
      writeGuard(principal, request),
    );
    return json(
      201,
      {
        id: record.id,
        events: record.events.map(({ start, end }) => ({ start, end })),
        shortNotice: record.shortNotice,
        assessment: record.assessment,
        status: 'planned',
        phases: record.phases,
        lifecycleId: lifecycleIdOf('aemEvent', record.id),
      },
      { location: `/api/aem-events/${record.id}` },
    );
  },
});
