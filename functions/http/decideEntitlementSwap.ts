import * as swaps from '../../app/swaps';
import { swapDecisionSchema } from '../../domain/workOrder/entitlements';
import { contentEtag } from './conventions/etag';
import { endpoint, json } from './conventions/endpoint';
import { resourceWriteGuard } from './conventions/workOrderAccess';

/** POST /api/swaps/{id}/decision — the consent step of FLEX-5 / SWAP-1, given by the provider side. */
export const decideEntitlementSwap = endpoint('decideEntitlementSwap', {
  method: 'POST',
  route: 'swaps/{id}/decision',
  roles: ['Provider.Csam'],
  summary: 'Approve or decline a swap as the service delivery resource (FLEX-5, SWAP-1; Provider.Csam)',
  body: swapDecisionSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    const swap = await swaps.decideEntitlementSwap(
      services,
      params['id'] ?? '',
      { approved: input.approved, by: principal.name ?? 'Provider.Csam' }, // audit: the signed-in caller, never the body
      resourceWriteGuard(services, principal, request, { kind: 'swap', id: params['id'] ?? '' }),
    );
    return json(200, swap, { etag: contentEtag(swap) });
  },
});
