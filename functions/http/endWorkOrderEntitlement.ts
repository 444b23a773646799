import { z } from 'zod';
import * as entitlements from '../../app/entitlements';
import { serviceCodeSchema } from '../../domain/catalogue/serviceCatalogue';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { writeGuard } from './conventions/workOrderAccess';

const endSchema = z.object({ at: z.iso.date() }).strict();

/**
 * POST /api/work-orders/{id}/entitlements/{serviceCode}/end — an add-on ends early on `at` (its last day); Azure
 * Engineering Direct ends with Rapid Response (DEP-2). The term lifecycle expires what is left after that day.
 */
export const endWorkOrderEntitlement = endpoint('endWorkOrderEntitlement', {
  method: 'POST',
  route: 'work-orders/{id}/entitlements/{serviceCode}/end',
  roles: ['Provider.Csam'],
  summary: 'End an add-on early; Azure Engineering Direct ends with Rapid Response (DEP-2, EXP-1)',
  body: endSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client, context }) => {
    const code = serviceCodeSchema.safeParse(params['serviceCode']);
    if (!code.success) throw notFound(`Service ${params['serviceCode']}`);
    const { workOrder, etag, cascade } = await entitlements.endWorkOrderEntitlement(
      services,
      durableLifecycles(client!),
      params['id'] ?? '',
      code.data,
      await body(),
      writeGuard(principal, request),
      (message, error) => context.warn(message, error),
    );
    return json(201, { ...workOrder, cascade }, { etag });
  },
});
