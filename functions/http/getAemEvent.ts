import * as aemEvents from '../../app/aemEvents';
import { aemPhaseDates } from '../../domain/aem/aemBooking';
import type { AemBookingRecord } from '../../domain/aem/aemRecord';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { resourceForCaller } from './conventions/workOrderAccess';
import { lifecycleIdOf } from './conventions/lifecycleIds';

/** GET /api/aem-events/{id} — its phase, the incidents opened in its window, and the summary once the window ended (AEM-7). */
export const getAemEvent = endpoint('getAemEvent', {
  method: 'GET',
  route: 'aem-events/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'An AEM booking: phase, incidents in its window, post-event summary (AEM-5..7; ETag)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const record = (
      await resourceForCaller<AemBookingRecord>(services, 'aem', params['id'] ?? '', principal, 'AEM event')
    ).data;
    const incidents = await aemEvents.incidentsDuringAemEvent(services, record);
    return json(
      200,
      {
        lifecycleId: lifecycleIdOf('aemEvent', record.id),
        id: record.id,
        workOrderId: record.workOrderId,
        solutionName: record.solutionName,
        cloud: record.cloud,
        events: record.events.map(({ start, end }) => ({ start, end })),
        shortNotice: record.shortNotice,
        assessment: record.assessment,
        phase: record.phase,
        // bookings stored before explanations existed get theirs from the same computation
        phases: record.phases.explanation ? record.phases : aemPhaseDates(record, record.timeZone, services.catalogue),
        incidents,
        summary: record.summary,
        cancelledAt: record.cancelledAt,
        followUp: record.followUp ?? null,
        cancelledEvents: record.cancelledEvents ?? [],
      },
      { etag: contentEtag(record) },
    );
  },
});
