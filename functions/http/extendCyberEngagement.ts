import { z } from 'zod';
import * as cyberEngagements from '../../app/cyberEngagements';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { MAX_DAYS } from '../../domain/input';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

// CYB-3 blocks are 5 days each; an engagement is at most 365 days (api-contract bounds).
const extensionSchema = z
  .object({
    blocks: z
      .number()
      .int()
      .positive()
      .max(Math.floor(MAX_DAYS / 5)),
  })
  .strict();

/** POST /api/cyber-engagements/{id}/extensions — CYB-3 blocks of 5 days of 8 hours after the last day (ENT-1). */
export const extendCyberEngagement = endpoint('extendCyberEngagement', {
  method: 'POST',
  route: 'cyber-engagements/{id}/extensions',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Extend by blocks of 5 days (CYB-3; EXP-1 409 once expired or terminated)',
  body: extensionSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client }) => {
    const input = await body();
    const record = await cyberEngagements.extendCyberEngagement(
      services,
      durableLifecycles(client!),
      params['id'] ?? '',
      input,
      resourceWriteGuard(services, principal, request, { kind: 'cyber', id: params['id'] ?? '' }),
    );
    return json(201, cyberEngagementView(record), { etag: contentEtag(record) });
  },
});
