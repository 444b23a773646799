import { z } from 'zod';
import { requestRca as decideRca } from '../../domain/incidents/incident';
import { ConcurrencyConflict } from '../../domain/incidents/incidentStore';
import { endpoint, json } from './conventions/endpoint';
import { incidentForCaller } from './conventions/incidentAccess';
import { conflict, preconditionFailed } from './conventions/problems';

const rcaRequestSchema = z
  .object({ requestedBy: z.string().min(1).max(200), technology: z.string().max(200).optional() })
  .strict();

const MAX_ATTEMPTS = 5;

/**
 * POST /api/incidents/{incidentId}/rca-requests — only before closure (RCA-1); availability and cost per RCA-2.
 * With `If-Match` the caller's version of the incident must still be current (else 412); without it, a ticket event
 * that changed the incident meanwhile is read again and the request decided on fresh data.
 */
export const requestRca = endpoint('requestRca', {
  method: 'POST',
  route: 'incidents/{incidentId}/rca-requests',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Request a root cause analysis before closure (RCA-1, RCA-2); honours If-Match',
  body: rcaRequestSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const ifMatch = request.headers.get('if-match');
    for (let attempt = 1; ; attempt++) {
      const { incident, etag } = await incidentForCaller(services, params['incidentId'] ?? '', principal, 'write');
      if (ifMatch && ifMatch !== '*' && ifMatch !== etag) throw preconditionFailed();
      const now = services.clock.now().toISOString();
      const updated = decideRca(incident, input.requestedBy, now, input.technology, services.catalogue); // rules RCA-1, RCA-2
      try {
        const next = await services.incidents.save(updated, {
          etag,
          timeline: [
            {
              at: now,
              kind: 'rcaRequested',
              rule: 'RCA-1',
              detail: `${incident.incidentId}: RCA requested by ${input.requestedBy}.`,
            },
          ],
        });
        return json(201, updated.rca, { etag: next });
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
        if (ifMatch && ifMatch !== '*') throw preconditionFailed();
        if (attempt >= MAX_ATTEMPTS) throw conflict('The incident kept changing; try again.');
      }
    }
  },
});
