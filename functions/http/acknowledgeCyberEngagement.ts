import { z } from 'zod';
import * as cyberEngagements from '../../app/cyberEngagements';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

const acknowledgementSchema = z
  .object({ toolsDeployed: z.boolean(), adminAccountsProvided: z.boolean(), validBackupConfirmed: z.boolean() })
  .strict();

/** POST /api/cyber-engagements/{id}/acknowledgements — CYB-6 (and CUST-BACKUP) before work on production. */
export const acknowledgeCyberEngagement = endpoint('acknowledgeCyberEngagement', {
  method: 'POST',
  route: 'cyber-engagements/{id}/acknowledgements',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Record the CYB-6 acknowledgements',
  body: acknowledgementSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const record = await cyberEngagements.acknowledgeCyberEngagement(
      services,
      params['id'] ?? '',
      input,
      resourceWriteGuard(services, principal, request, { kind: 'cyber', id: params['id'] ?? '' }),
    );
    return json(201, cyberEngagementView(record), { etag: contentEtag(record) });
  },
});
