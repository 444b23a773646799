import { localDateIn } from '../../domain/calendar/businessCalendar';
import { entitlementInputSchema } from '../../domain/workOrder/workOrderSchema';
import { addEntitlement } from '../../domain/workOrder/workOrderView';
import { endpoint, json } from './conventions/endpoint';
import { rescheduleTerm } from './conventions/termSchedule';
import { decideOnWorkOrder } from '../../app/changeWorkOrder';
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
    const input = await body();
    const now = services.clock.now();
    const { result, etag, workOrder } = await decideOnWorkOrder(
      services,
      params['id'] ?? '',
      (current) => {
        const today = localDateIn(now, current.host.timeZone);
        const added = addEntitlement(current, input, today, services.catalogue); // rules BUY-2, BUY-3, DEP-1, DEP-2, DEVS-1
        const at = now.toISOString();
        return {
          workOrder: added.workOrder,
          change: {
            timeline: [
              {
                at,
                kind: 'entitlementAdded',
                rule: added.rule,
                detail: `${added.serviceCode} added during the term (${added.amount}); it expires with the term on ${current.term.end} (EXP-1).`,
              },
              ...added.warnings.map((w) => ({ at, kind: 'warning', rule: w.rule, detail: w.detail })),
              ...added.duties.map((d) => ({
                at,
                kind: 'dutyScheduled',
                rule: d.rule,
                detail: `${d.kind === 'onboarding' ? 'Onboarding' : 'Quarterly review'} for ${d.serviceCode} due by ${d.dueOn} (duty ${d.id}).`,
              })),
            ],
          },
          result: {
            added: { serviceCode: added.serviceCode, amount: added.amount, rule: added.rule },
            warnings: added.warnings,
            duties: added.duties,
          },
        };
      },
      writeGuard(principal, request),
    );
    if (result.duties.length > 0) await rescheduleTerm(services, client, workOrder, context);
    return json(201, { ...workOrder, added: result.added, warnings: result.warnings }, { etag });
  },
});
