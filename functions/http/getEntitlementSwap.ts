import type { SwapRecord } from '../../domain/workOrder/entitlements';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { resourceForCaller } from './conventions/workOrderAccess';

/** GET /api/swaps/{id} */
export const getEntitlementSwap = endpoint('getEntitlementSwap', {
  method: 'GET',
  route: 'swaps/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'A swap and its decision (ETag)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const swap = (await resourceForCaller<SwapRecord>(services, 'swap', params['id'] ?? '', principal, 'Swap')).data;
    return json(200, swap, { etag: contentEtag(swap) });
  },
});
