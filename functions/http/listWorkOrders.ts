import { idSchema } from '../../domain/input';
import { endpoint, json, paging, pagingQuery, queryParam } from './conventions/endpoint';
import { canRead } from './conventions/principal';
import { lifecycleIdOf } from './conventions/lifecycleIds';

/** GET /api/work-orders?customerId= — customers see their own; provider staff see any customer, or all. */
export const listWorkOrders = endpoint('listWorkOrders', {
  method: 'GET',
  route: 'work-orders',
  roles: ['Customer.Reader', 'Customer.Manager', 'Provider.Csam'],
  summary: 'List the Work Orders the caller may see (?customerId=, ?limit=)',
  query: { customerId: idSchema.optional(), ...pagingQuery },
  responses: { status: 200, errors: [400, 401, 403] },
  handler: async ({ services, request, principal }) => {
    const page = paging(request);
    const requested = queryParam(request, 'customerId', idSchema.optional()) ?? null;
    const csam = principal.roles.includes('Provider.Csam');
    const customerId = requested ?? (csam ? null : principal.customerId);
    if (customerId !== null && !canRead(principal, customerId))
      return json(200, { items: [], continuationToken: null });
    const listed = await services.workOrders.listByCustomer(customerId, page);
    return json(200, {
      ...listed,
      items: listed.items.map((wo) => ({ ...wo, lifecycleId: lifecycleIdOf('workOrder', wo.id) })),
    });
  },
});
