import { stepsOf } from '../../domain/incidents/arrival';
import { incidentView } from '../../domain/incidents/incident';
import { endpoint, json } from './conventions/endpoint';
import { incidentForCaller } from './conventions/incidentAccess';
import { lifecycleIdOf } from './conventions/lifecycleIds';

/** GET /api/incidents/{incidentId} — with every event kept for it (RESP-LATE) and its ETag for If-Match. */
export const getIncident = endpoint('getIncident', {
  method: 'GET',
  route: 'incidents/{incidentId}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'Get an incident, its first-response target and the events kept for it, applied or ignored (RESP-LATE)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const { incident, record, etag } = await incidentForCaller(services, params['incidentId'] ?? '', principal, 'read');
    const kept = await services.incidents.events(incident.workOrderId, incident.incidentId);
    const events = stepsOf(record, kept, services.catalogue).map((s) => ({
      eventId: s.eventId,
      type: s.type,
      occurredAt: s.occurredAt,
      receivedAt: s.receivedAt,
      effect: s.effect,
      ...(s.reason ? { reason: s.reason } : {}),
    }));
    return json(
      200,
      { ...incidentView(incident), lifecycleId: lifecycleIdOf('incident', incident.incidentId), events },
      { etag },
    );
  },
});
