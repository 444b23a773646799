import { z } from 'zod';
import * as aemEvents from '../../app/aemEvents';
import { durableLifecycles } from '../../orchestrations/durableLifecycles';
import { assertIfMatch, contentEtag } from './conventions/etag';
import { longText } from '../../domain/input';
import { endpoint, json } from './conventions/endpoint';

const cancellationSchema = z.object({ reason: longText().min(1) }).strict();

/** POST /api/aem-events/{id}/cancel — the provider cancels when the customer cannot provide resources (AEM-8). */
export const requestAemEventCancellation = endpoint('requestAemEventCancellation', {
  method: 'POST',
  route: 'aem-events/{id}/cancel',
  roles: ['Provider.Csam'],
  summary: 'Cancel an AEM booking (AEM-8; Provider.Csam)',
  body: cancellationSchema,
  responses: { status: 202, errors: [400, 401, 403, 404, 409, 412] },
  durableClient: true,
  handler: async ({ services, params, body, client, request }) => {
    const input = await body();
    // If-Match names the booking as the caller read it (GET /api/aem-events/{id}).
    const found = await services.workOrders.findResource('aem', params['id'] ?? '');
    if (found) assertIfMatch(request, contentEtag(found.data));
    return json(
      202,
      await aemEvents.requestAemEventCancellation(services, durableLifecycles(client!), params['id'] ?? '', input),
    );
  },
});
