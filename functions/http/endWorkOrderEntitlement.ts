import { z } from 'zod';
import { localDateIn } from '../../domain/calendar/businessCalendar';
import { serviceCodeSchema } from '../../domain/catalogue/serviceCatalogue';
import { endEntitlement } from '../../domain/workOrder/termination';
import { endpoint, json } from './conventions/endpoint';
import { notFound } from './conventions/problems';
import { rescheduleTerm } from './conventions/termSchedule';
import { decideOnWorkOrder } from '../../app/changeWorkOrder';
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
    const input = await body();
    const now = services.clock.now();
    const { result, etag, workOrder } = await decideOnWorkOrder(
      services,
      params['id'] ?? '',
      (current) => {
        const today = localDateIn(now, current.host.timeZone);
        const { workOrder: next, cascade } = endEntitlement(current, code.data, input.at, today, services.catalogue); // rule DEP-2
        const at = now.toISOString();
        return {
          workOrder: next,
          change: {
            timeline: [
              { at, kind: 'entitlementEnding', rule: 'EXP-1', detail: `${code.data} ends early on ${input.at}.` },
              ...cascade.map((c) => ({
                at,
                kind: 'entitlementEnding',
                rule: c.rule,
                detail: `${c.serviceCode} ends on ${input.at} with ${code.data}.`,
              })),
            ],
          },
          result: cascade,
        };
      },
      writeGuard(principal, request),
    );
    await rescheduleTerm(services, client, workOrder, context);
    return json(201, { ...workOrder, cascade: result }, { etag });
  },
});
