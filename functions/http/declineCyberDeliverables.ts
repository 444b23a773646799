import { z } from 'zod';
import * as cyberEngagements from '../../app/cyberEngagements';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { endpoint, json } from './conventions/endpoint';
import { resourceForCaller, writeGuard } from './conventions/workOrderAccess';

const declineSchema = z.object({ reason: z.string().max(4000).optional() }).strict();

/**
 * POST /api/cyber-engagements/{id}/deliverables/decline — the customer declines the deliverables: the obligation
 * lapses that day (CYB-5); the engagement's lifecycle lapses it at the end of that day (or once its days are done).
 */
export const declineCyberDeliverables = endpoint('declineCyberDeliverables', {
  method: 'POST',
  route: 'cyber-engagements/{id}/deliverables/decline',
  roles: ['Customer.Manager'],
  summary: 'Decline the deliverables of a cybersecurity engagement: the obligation lapses that day (CYB-5)',
  body: declineSchema.optional(),
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client, context }) => {
    const input = (await body()) ?? {};
    const found = await resourceForCaller<CyberEngagementRecord>(
      services,
      'cyber',
      params['id'] ?? '',
      principal,
      'Cyber engagement',
    );
    const record = await cyberEngagements.declineCyberDeliverables(
      services,
      durableLifecycles(client!),
      found,
      input,
      writeGuard(principal, request),
      (message, error) => context.warn(message, error),
    );
    return json(201, cyberEngagementView(record));
  },
});
