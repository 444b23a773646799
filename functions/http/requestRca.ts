import { z } from 'zod';
import * as incidents from '../../app/incidents';
import { text } from '../../domain/input';
import { endpoint, json } from './conventions/endpoint';
import { incidentForCaller } from './conventions/incidentAccess';

const rcaRequestSchema = z.object({ requestedBy: text().min(1), technology: text().optional() }).strict();

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
    const load = () => incidentForCaller(services, params['incidentId'] ?? '', principal, 'write');
    const { rca, etag } = await incidents.requestRca(services, load, input, request.headers.get('if-match'));
    return json(201, rca, { etag });
  },
});
