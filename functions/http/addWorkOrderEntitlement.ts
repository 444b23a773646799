import * as entitlements from '../../app/entitlements';
import { entitlementInputSchema } from '../../domain/workOrder/workOrderSchema';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';

/**
 * POST /api/work-orders/{id}/entitlements — a `+` service bought during the term (BUY-2, BUY-3) with the checks of
 * creation (BUY-5, MN-6, DEP-1, DEP-2, DEVS-1, CYB-2); a ✓ service → 422 BUY-2; SDM-REQ is a warning. It expires
 * with the term (EXP-1); the duties it brings (UER-4, UER-5, GHED-1) join the term lifecycle.
 */
export const addWorkOrderEntitlement = endpoint('addWorkOrderEntitlement', {
  method: 'POST',
  route: 'work-orders/{id}/entitlements',
  roles: ['Provider.Csam'],
  summary: 'Add a + service during the term (BUY-2, BUY-3, DEP-1, DEP-2, MN-5, MN-6, DEVS-1, SDM-REQ warning, EXP-1)',
  body: entitlementInputSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client, context }) => {
    const { workOrder, etag, added, warnings } = await entitlements.addWorkOrderEntitlement(
      services,
      durableLifecycles(client!),
      params['id'] ?? '',
      await body(),
      writeGuard(principal, request),
      (message, error) => context.warn(message, error),
    );
    return json(201, { ...workOrder, added, warnings }, { etag });
  },
});
