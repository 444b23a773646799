import { z } from 'zod';
import { requestRca as decideRca } from '../../domain/incidents/incident';
import { endpoint, json } from './conventions/endpoint';
import { conflict } from './conventions/problems';
import { incidentForCaller } from './conventions/incidentAccess';
import { ConcurrencyConflict } from '../../domain/incidents/incidentStore';

const rcaRequestSchema = z
  .object({ requestedBy: z.string().min(1).max(200), technology: z.string().max(200).optional() })
  .strict();

/** POST /api/incidents/{incidentId}/rca-requests — only before closure (RCA-1); availability and cost per RCA-2. */
export const requestRca = endpoint('requestRca', {
  method: 'POST',
  route: 'incidents/{incidentId}/rca-requests',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Request a root cause analysis before closure (RCA-1, RCA-2)',
  body: rcaRequestSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 422] },
  handler: async ({ services, params, principal, body }) => {
    const input = await body();
    const { incident, etag } = await incidentForCaller(services, params['incidentId'] ?? '', principal, 'write');
    const now = services.clock.now().toISOString();
    const updated = decideRca(incident, input.requestedBy, now, input.technology, services.catalogue); // rules RCA-1, RCA-2
    try {
      await services.incidents.save(updated, {
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
    } catch (error) {
      if (error instanceof ConcurrencyConflict) throw conflict('The incident changed meanwhile; try again.');
      throw error;
    }
    return json(201, updated.rca);
  },
});
