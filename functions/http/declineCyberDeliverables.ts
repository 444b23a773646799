import { z } from 'zod';
import { localDateIn } from '../../domain/calendar/businessCalendar';
import { declineDeliverables } from '../../domain/cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { cyberLifecycle } from '../../app/dueItems';
import { LIFECYCLE_CHANGED, cyberEngagementInstanceId } from '../../orchestrations/phasedLifecycle/names';
import { cyberEngagementView } from './conventions/cyberEngagementView';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { decideOnWorkOrder } from '../../app/changeWorkOrder';
import { resourceForCaller, writeGuard } from './conventions/workOrderAccess';

const declineSchema = z.object({ reason: z.string().max(4000).optional() }).strict();

/**
 * POST /api/cyber-engagements/{id}/deliverables/decline — the customer declines the deliverables: the obligation
 * lapses that day (CYB-5); the engagement's lifecycle lapses it at the end of that day (or once its days are done).
 */
export const declineCyberDeliverables = endpoint('declineCyberDeliverables', {
  method: 'POST',
  route: 'cyber-engagements/{id}/deliverables/decline',
  roles: ['Customer.Manager'],
  summary: 'Decline the deliverables of a cybersecurity engagement: the obligation lapses that day (CYB-5)',
  body: declineSchema.optional(),
  responses: { status: 201, errors: [400, 401, 403, 404, 409, 412] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client, context }) => {
    const input = (await body()) ?? {};
    const found = await resourceForCaller<CyberEngagementRecord>(
      services,
      'cyber',
      params['id'] ?? '',
      principal,
      'Cyber engagement',
    );
    const now = services.clock.now().toISOString();
    const { result: record } = await decideOnWorkOrder(
      services,
      found.workOrderId,
      async (current) => {
        const engagement = (await services.workOrders.findResource<CyberEngagementRecord>('cyber', found.id))?.data;
        if (!engagement) throw notFound(`Cyber engagement ${found.id}`);
        const today = localDateIn(new Date(now), engagement.timeZone);
        const declined: CyberEngagementRecord = {
          ...declineDeliverables(engagement, today), // rule CYB-5
          deliverablesDeclined: { on: today, ...(input.reason ? { reason: input.reason } : {}) },
        };
        return {
          workOrder: current,
          change: {
            resources: [{ kind: 'cyber', id: found.id, workOrderId: current.id, data: declined }],
            timeline: [
              {
                at: now,
                kind: 'cyberDeliverablesDeclined',
                rule: 'CYB-5',
                detail: `${engagement.offering}: the customer declined the deliverables on ${today}; the obligation lapses that day${input.reason ? ` (${input.reason})` : ''}.`,
              },
            ],
          },
          result: declined,
        };
      },
      { ...writeGuard(principal, request), inForce: false }, // declining asks nothing of the Work Order
    );
    const lifecycle = cyberLifecycle(record, now);
    await services.dueIndex.put(lifecycle.due);
    await client!
      .raiseEvent(cyberEngagementInstanceId(record.id), LIFECYCLE_CHANGED, {
        kind: 'rescheduled',
        steps: lifecycle.input.steps,
      })
      .catch((error: unknown) =>
        context.warn(`Engagement ${record.id}: its lifecycle could not be told of the decline:`, error),
      );
    return json(201, cyberEngagementView(record));
  },
});
