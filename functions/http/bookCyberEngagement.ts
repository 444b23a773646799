import { randomUUID } from 'node:crypto';
import { cyberEngagementRequestSchema, planCyberEngagement } from '../../domain/cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { findEntitlement, replaceEntitlement, reserveEntitlement } from '../../domain/workOrder/entitlements';
import { effectiveTerm } from '../../domain/workOrder/term';
import { CYBER_ENGAGEMENT_LIFECYCLE, cyberEngagementInstanceId } from '../../orchestrations/phasedLifecycle/names';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { endpoint, json } from './conventions/endpoint';
import { cyberLifecycle } from '../../app/dueItems';
import { changeWorkOrder } from './conventions/workOrderAccess';

/**
 * POST /api/work-orders/{id}/cyber-engagements — CYB-2 minimum length, ENT-1 against the purchased days of the
 * offering (reserved), CYB-4 schedule of 8-hour days, CYB-5 deliverable dates; starts the engagement's lifecycle.
 */
export const bookCyberEngagement = endpoint('bookCyberEngagement', {
  method: 'POST',
  route: 'work-orders/{id}/cyber-engagements',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Book a cybersecurity engagement (CYB-2, CYB-4, CYB-5, ENT-1; EXP-1 409 once expired or terminated)',
  body: cyberEngagementRequestSchema,
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client }) => {
    const input = await body();
    const id = randomUUID();
    const now = services.clock.now().toISOString();
    const { result: record } = await changeWorkOrder(services, request, params['id'] ?? '', principal, (current) => {
      const held = current.entitlements.find((e) => e.serviceCode === input.offering);
      const plan = planCyberEngagement(input, {
        remainingDays: held?.remaining ?? 0,
        catalogue: services.catalogue,
        term: effectiveTerm(current),
      }); // rules CYB-2, CYB-3, CYB-4, CYB-5, ENT-1, EXP-1
      const entitlements = replaceEntitlement(
        current.entitlements,
        reserveEntitlement(findEntitlement(current.entitlements, input.offering), plan.days),
      );
      const data: CyberEngagementRecord = {
        ...plan,
        id,
        workOrderId: current.id,
        status: 'scheduled',
        deliveredDates: [],
        acknowledgements: null,
        extensionBlocks: 0,
      };
      return {
        workOrder: { ...current, entitlements },
        change: {
          resources: [{ kind: 'cyber', id, workOrderId: current.id, data }],
          timeline: [
            {
              at: now,
              kind: 'cyberEngagementBooked',
              rule: 'CYB-4',
              detail: `${plan.offering}: ${plan.days} day(s) from ${plan.schedule[0]?.date} (${plan.timeZone}); deliverables due by ${plan.deliverablesDueBy}.`,
            },
          ],
        },
        result: data,
      };
    });
    const lifecycle = cyberLifecycle(record, now);
    await services.dueIndex.put(lifecycle.due);
    await client!.startNew(CYBER_ENGAGEMENT_LIFECYCLE, {
      instanceId: cyberEngagementInstanceId(id),
      input: lifecycle.input,
    });
    return json(201, cyberEngagementView(record), { location: `/api/cyber-engagements/${id}` });
  },
});
