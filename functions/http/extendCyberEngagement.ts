import { z } from 'zod';
import { extendCyberEngagement as extend } from '../../domain/cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { findEntitlement, replaceEntitlement, reserveEntitlement } from '../../domain/workOrder/entitlements';
import { effectiveTerm } from '../../domain/workOrder/term';
import { LIFECYCLE_CHANGED, cyberEngagementInstanceId } from '../../orchestrations/phasedLifecycle/names';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { cyberLifecycle } from '../../app/dueItems';
import { changeWorkOrder } from './conventions/workOrderAccess';

const extensionSchema = z.object({ blocks: z.number().int().positive() }).strict();

/** POST /api/cyber-engagements/{id}/extensions — CYB-3 blocks of 5 days of 8 hours after the last day (ENT-1). */
export const extendCyberEngagement = endpoint('extendCyberEngagement', {
  method: 'POST',
  route: 'cyber-engagements/{id}/extensions',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Extend by blocks of 5 days (CYB-3; EXP-1 409 once expired or terminated)',
  body: extensionSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client }) => {
    const input = await body();
    const store = services.workOrders;
    const found = await store.findResource<CyberEngagementRecord>('cyber', params['id'] ?? '');
    if (!found) throw notFound(`Cyber engagement ${params['id']}`);
    const now = services.clock.now().toISOString();
    const { result: record } = await changeWorkOrder(
      services,
      request,
      found.workOrderId,
      principal,
      async (current) => {
        const engagement = (await store.findResource<CyberEngagementRecord>('cyber', found.id))!.data;
        const held = current.entitlements.find((e) => e.serviceCode === engagement.offering);
        const plan = extend(engagement, input.blocks, {
          remainingDays: held?.remaining ?? 0,
          catalogue: services.catalogue,
          term: effectiveTerm(current),
        }); // rules CYB-3, ENT-1, EXP-1
        const extraDays = plan.days - engagement.days;
        const entitlements = replaceEntitlement(
          current.entitlements,
          reserveEntitlement(findEntitlement(current.entitlements, engagement.offering), extraDays),
        );
        const data: CyberEngagementRecord = {
          ...engagement,
          ...plan,
          extensionBlocks: engagement.extensionBlocks + input.blocks,
        };
        return {
          workOrder: { ...current, entitlements },
          change: {
            resources: [{ kind: 'cyber', id: found.id, workOrderId: current.id, data }],
            timeline: [
              {
                at: now,
                kind: 'cyberEngagementExtended',
                rule: 'CYB-3',
                detail: `${engagement.offering} extended by ${input.blocks} block(s) of 5 days; deliverables now due by ${plan.deliverablesDueBy}.`,
              },
            ],
          },
          result: data,
        };
      },
    );
    const lifecycle = cyberLifecycle(record, now);
    await services.dueIndex.put(lifecycle.due);
    await client!.raiseEvent(cyberEngagementInstanceId(record.id), LIFECYCLE_CHANGED, {
      kind: 'rescheduled',
      steps: lifecycle.input.steps,
    });
    return json(201, cyberEngagementView(record));
  },
});
