import * as cyberEngagements from '../../app/cyberEngagements';
import { cyberEngagementRequestSchema } from '../../domain/cyber/cyberEngagement';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/**
 * POST /api/work-orders/{id}/cyber-engagements — CYB-2 minimum length, ENT-1 against the purchased days of the
 * offering (reserved), CYB-4 schedule of 8-hour days, CYB-5 deliverable dates; starts the engagement's lifecycle.
 */
export const bookCyberEngagement = endpoint('bookCyberEngagement', {
  method: 'POST',
  route: 'work-orders/{id}/cyber-engagements',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Book a cybersecurity engagement (CYB-2, CYB-4, CYB-5, ENT-1; EXP-1 409 once expired or terminated)',
  body: cyberEngagementRequestSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client }) => {
    const input = await body();
    const record = await cyberEngagements.bookCyberEngagement(
      services,
      durableLifecycles(client!),
      params['id'] ?? '',
      input,
      writeGuard(principal, request),
    );
    return json(201, cyberEngagementView(record), { location: `/api/cyber-engagements/${record.id}` });
  },
});
