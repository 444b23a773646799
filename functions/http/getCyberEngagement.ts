import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { workOrderStore } from '../compositionRoot';
import { endpoint, json } from './conventions/endpoint';
import { canRead } from './conventions/principal';
import { notFound } from './conventions/problems';
import { view } from './bookCyberEngagement';

/** GET /api/cyber-engagements/{id} */
export const getCyberEngagement = endpoint('getCyberEngagement', {
  method: 'GET',
  route: 'cyber-engagements/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  handler: async ({ params, principal }) => {
    const store = await workOrderStore();
    const found = await store.findResource<CyberEngagementRecord>('cyber', params['id'] ?? '');
    const owner = found ? (await store.get(found.workOrderId))?.workOrder.customerId : undefined;
    if (!found || !owner || !canRead(principal, owner)) throw notFound(`Cyber engagement ${params['id']}`);
    return json(200, view(found.data));
  },
});
