import { z } from 'zod';
import * as workOrders from '../../app/workOrders';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { longText } from '../../domain/input';
import { endpoint, json } from './conventions/endpoint';
import { writeGuard } from './conventions/workOrderAccess';
import { lifecycleIdOf } from './conventions/lifecycleIds';

const terminationSchema = z.object({ at: z.iso.date().optional(), reason: longText().min(1) }).strict();

/**
 * POST /api/work-orders/{id}/terminate — `at` (default today in the host zone) is the last day of the shortened term
 * (rules.md section 9). Every entitlement ends on `at` (DEP-1, DEP-2); service requests, AEM events and cybersecurity
 * days after `at` are cancelled and their reservations given back, in the same transaction; their lifecycles and the
 * term lifecycle are told, so the term's dates follow `at`.
 */
export const terminateWorkOrder = endpoint('terminateWorkOrder', {
  method: 'POST',
  route: 'work-orders/{id}/terminate',
  roles: ['Provider.Csam'],
  summary: 'Terminate a Work Order: `at` is the last day; what lies after it is cancelled (EXP-1, DEP-1, DEP-2)',
  body: terminationSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client, context }) => {
    const input = await body();
    const { workOrder, etag, cascade } = await workOrders.terminateWorkOrder(
      services,
      durableLifecycles(client!),
      params['id'] ?? '',
      input,
      writeGuard(principal, request),
      (what, error) => context.warn(`Work Order ${params['id']} is terminated, but ${what}:`, error),
    );
    return json(
      200,
      {
        ...workOrder,
        lifecycleId: lifecycleIdOf('workOrder', workOrder.id),
        cascade: cascade.dependents,
        cancelled: {
          serviceRequests: cascade.cut.requests.map((r) => r.id),
          aemEvents: cascade.cut.aem.map(({ record, lifecycle }) => ({ id: record.id, lifecycle })),
          cyberEngagements: cascade.cut.cyber.map(({ record, lifecycle }) => ({ id: record.id, lifecycle })),
        },
      },
      { etag },
    );
  },
});
