import { z } from 'zod';
import { assertReadyForProductionWork } from '../../domain/cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { changeWorkOrder } from './conventions/workOrderAccess';

const acknowledgementSchema = z
  .object({ toolsDeployed: z.boolean(), adminAccountsProvided: z.boolean(), validBackupConfirmed: z.boolean() })
  .strict();

/** POST /api/cyber-engagements/{id}/acknowledgements — CYB-6 (and CUST-BACKUP) before work on production. */
export const acknowledgeCyberEngagement = endpoint('acknowledgeCyberEngagement', {
  method: 'POST',
  route: 'cyber-engagements/{id}/acknowledgements',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Record the CYB-6 acknowledgements',
  body: acknowledgementSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 412, 422] },
  handler: async ({ services, params, principal, body, request }) => {
    const input = await body();
    assertReadyForProductionWork(input); // rule CYB-6
    const store = services.workOrders;
    const found = await store.findResource<CyberEngagementRecord>('cyber', params['id'] ?? '');
    if (!found) throw notFound(`Cyber engagement ${params['id']}`);
    const at = services.clock.now().toISOString();
    const { result } = await changeWorkOrder(services, request, found.workOrderId, principal, async (current) => {
      const data: CyberEngagementRecord = {
        ...(await store.findResource<CyberEngagementRecord>('cyber', found.id))!.data,
        acknowledgements: { ...input, at },
      };
      return {
        workOrder: current,
        change: {
          resources: [{ kind: 'cyber', id: found.id, workOrderId: current.id, data }],
          timeline: [
            {
              at,
              kind: 'cyberAcknowledged',
              rule: 'CYB-6',
              detail: 'Tools deployed, admin accounts provided and a valid backup confirmed before work on production.',
            },
          ],
        },
        result: data,
      };
    });
    return json(201, cyberEngagementView(result));
  },
});
