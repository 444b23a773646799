import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { resourceForCaller } from './conventions/workOrderAccess';
import { cyberEngagementView } from './conventions/cyberEngagementView';

/** GET /api/cyber-engagements/{id} */
export const getCyberEngagement = endpoint('getCyberEngagement', {
  method: 'GET',
  route: 'cyber-engagements/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'A cybersecurity engagement (ETag)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const record = (
      await resourceForCaller<CyberEngagementRecord>(
        services,
        'cyber',
        params['id'] ?? '',
        principal,
        'Cyber engagement',
      )
    ).data;
    return json(200, cyberEngagementView(record), { etag: contentEtag(record) });
  },
});
