import { z } from 'zod';
import { mayCancelAemEvent } from '../../domain/aem/aemBooking';
import type { AemBookingRecord } from '../../domain/aem/aemRecord';
import { RuleViolation } from '../../domain/ruleViolation';
import { LIFECYCLE_CHANGED, aemEventInstanceId } from '../../orchestrations/phasedLifecycle/names';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';

const cancellationSchema = z.object({ reason: z.string().min(1).max(2000) }).strict();

/** POST /api/aem-events/{id}/cancel — the provider cancels when the customer cannot provide resources (AEM-8). */
export const requestAemEventCancellation = endpoint('requestAemEventCancellation', {
  method: 'POST',
  route: 'aem-events/{id}/cancel',
  roles: ['Provider.Csam'],
  summary: 'Cancel an AEM booking (AEM-8; Provider.Csam)',
  body: cancellationSchema,
  responses: { status: 202, errors: [400, 401, 403, 404, 409] },
  durableClient: true,
  handler: async ({ services, params, body, client }) => {
    const input = await body();
    const found = await services.workOrders.findResource<AemBookingRecord>('aem', params['id'] ?? '');
    if (!found) throw notFound(`AEM event ${params['id']}`);
    if (!mayCancelAemEvent(found.data.phase, true))
      throw new RuleViolation(
        'AEM-8',
        `An AEM event in its ${found.data.phase} phase can no longer be cancelled.`,
        '',
        409,
      ); // rule AEM-8
    await client!.raiseEvent(aemEventInstanceId(found.id), LIFECYCLE_CHANGED, {
      kind: 'cancelled',
      at: services.clock.now().toISOString(),
      reason: input.reason,
    });
    return json(202, { id: found.id, status: 'cancelling' });
  },
});
