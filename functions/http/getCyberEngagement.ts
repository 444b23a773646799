import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { endpoint, json } from './conventions/endpoint';
import { resourceForCaller } from './workOrderAccess';
import { view } from './bookCyberEngagement';

/** GET /api/cyber-engagements/{id} */
export const getCyberEngagement = endpoint('getCyberEngagement', {
  method: 'GET',
  route: 'cyber-engagements/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  handler: async ({ params, principal }) => {
    return json(
      200,
      view(
        (await resourceForCaller<CyberEngagementRecord>('cyber', params['id'] ?? '', principal, 'Cyber engagement'))
          .data,
      ),
    );
  },
});
