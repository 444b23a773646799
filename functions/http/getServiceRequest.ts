import { canRead } from './conventions/principal';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';

/** GET /api/service-requests/{id} — a service request with its ETag (If-Match on schedule, deliver, cancel …). */
export const getServiceRequest = endpoint('getServiceRequest', {
  method: 'GET',
  route: 'service-requests/{id}',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'A service request (ETag)',
  responses: { status: 200, errors: [401, 403, 404] },
  handler: async ({ services, params, principal }) => {
    const id = params['id'] ?? '';
    const found = await services.workOrders.findServiceRequest(id);
    const owner = found ? (await services.workOrders.get(found.workOrderId))?.workOrder.customerId : undefined;
    if (!found || !owner || !canRead(principal, owner)) throw notFound(`Service request ${id}`);
    return json(200, found, { etag: contentEtag(found) });
  },
});
