import { z } from 'zod';
import { findEntitlement, releaseEntitlement, replaceEntitlement } from '../../domain/workOrder/entitlements';
import { terminateWorkOrder as terminate } from '../../domain/workOrder/termination';
import { WORK_ORDER_TERMINATED, workOrderTermInstanceId } from '../../orchestrations/workOrderTerm/names';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

const terminationSchema = z.object({ at: z.iso.date(), reason: z.string().min(1).max(2000) }).strict();

/**
 * POST /api/work-orders/{id}/terminate — the Work Order and every entitlement end on `at`, dependents by DEP-1 and
 * DEP-2; open service requests are cancelled (their reservations released). The term lifecycle is told, so its
 * pending reminders and period ends stop.
 */
export const terminateWorkOrder = endpoint('terminateWorkOrder', {
  method: 'POST',
  route: 'work-orders/{id}/terminate',
  roles: ['Customer.Manager', 'Provider.Csam'],
  summary: 'Terminate a Work Order; dependents end on the same date (DEP-1, DEP-2)',
  body: terminationSchema,
  responses: { status: 200, errors: [400, 401, 403, 404, 409, 412, 422] },
  durableClient: true,
  handler: async ({ services, params, principal, body, request, client, context }) => {
    const input = await body();
    const now = services.clock.now().toISOString();
    const store = services.workOrders;
    const { result, etag, workOrder } = await changeWorkOrder(
      services,
      request,
      params['id'] ?? '',
      principal,
      async (current) => {
        const { workOrder: ended, cascade } = terminate(current, input.at, input.reason, services.catalogue); // rules DEP-1, DEP-2
        const open = (await store.serviceRequests(current.id)).filter(
          (r) => r.status === 'requested' || r.status === 'scheduled',
        );
        let entitlements = ended.entitlements;
        for (const r of open.filter((o) => o.quantity > 0))
          entitlements = replaceEntitlement(
            entitlements,
            releaseEntitlement(findEntitlement(entitlements, r.serviceCode), r.quantity),
          );
        return {
          workOrder: { ...ended, entitlements },
          change: {
            requests: open.map((r) => ({ ...r, status: 'cancelled' as const, maxCancellationFee: 0, updatedAt: now })),
            timeline: [
              { at: now, kind: 'workOrderTerminated', detail: `Terminated as of ${input.at}: ${input.reason}` },
              ...cascade.map((c) => ({
                at: now,
                kind: 'dependentEnded',
                rule: c.rule,
                detail: `${c.serviceCode} ends on ${input.at} with the agreement.`,
              })),
              ...open.map((r) => ({
                at: now,
                kind: 'serviceCancelled',
                rule: 'EXP-1',
                detail: `${r.serviceCode} request ${r.id} cancelled by the termination.`,
              })),
            ],
          },
          result: cascade,
        };
      },
      { inForce: false },
    ); // termination decides for itself (EXP-1: already terminated, a date outside the term)
    // The termination is stored either way; term activities check the status, and the daily sweep repairs a
    // lifecycle that is missing, so a failed signal is logged rather than failing the request.
    await client!
      .raiseEvent(workOrderTermInstanceId(workOrder.id), WORK_ORDER_TERMINATED, { at: input.at, reason: input.reason })
      .catch((error: unknown) => {
        context.warn(`Work Order ${workOrder.id} is terminated, but its term lifecycle could not be told:`, error);
      });
    return json(200, { ...workOrder, cascade: result }, { etag });
  },
});
