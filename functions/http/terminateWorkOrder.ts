import { z } from 'zod';
import { aemLifecycle, cyberLifecycle, dueItemsOfTerm } from '../../app/dueItems';
import type { AemBookingRecord } from '../../domain/aem/aemRecord';
import { localDateIn } from '../../domain/calendar/businessCalendar';
import type { CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import { workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';
import { terminateWorkOrder as terminate } from '../../domain/workOrder/termination';
import { terminationCascade } from '../../domain/workOrder/terminationCascade';
import {
  aemEventInstanceId,
  cyberEngagementInstanceId,
  LIFECYCLE_CHANGED,
} from '../../orchestrations/phasedLifecycle/names';
import { WORK_ORDER_TERMINATED, workOrderTermInstanceId } from '../../orchestrations/workOrderTerm/names';
import { endpoint, json } from './conventions/endpoint';
import { changeWorkOrder } from './conventions/workOrderAccess';

const terminationSchema = z.object({ at: z.iso.date().optional(), reason: z.string().min(1).max(2000) }).strict();

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
    const now = services.clock.now().toISOString();
    const store = services.workOrders;
    const {
      result: cascade,
      workOrder,
      etag,
    } = await changeWorkOrder(
      services,
      request,
      params['id'] ?? '',
      principal,
      async (current) => {
        const today = localDateIn(new Date(now), current.host.timeZone);
        const at = input.at ?? today;
        const ended = terminate(current, at, input.reason, today, services.catalogue); // rules EXP-1, DEP-1, DEP-2
        const [requests, aem, cyber] = await Promise.all([
          store.serviceRequests(current.id),
          store.resources<AemBookingRecord>(current.id, 'aem'),
          store.resources<CyberEngagementRecord>(current.id, 'cyber'),
        ]);
        const cut = terminationCascade(
          {
            at,
            now,
            entitlements: ended.workOrder.entitlements,
            requests,
            aemBookings: aem.map((r) => r.data),
            cyberEngagements: cyber.map((r) => r.data),
          },
          services.catalogue,
        );
        return {
          workOrder: { ...ended.workOrder, entitlements: cut.entitlements },
          change: {
            requests: cut.requests,
            resources: [
              ...cut.aem.map(({ record }) => ({
                kind: 'aem' as const,
                id: record.id,
                workOrderId: current.id,
                data: record,
              })),
              ...cut.cyber.map(({ record }) => ({
                kind: 'cyber' as const,
                id: record.id,
                workOrderId: current.id,
                data: record,
              })),
            ],
            timeline: [
              {
                at: now,
                kind: 'workOrderTerminated',
                rule: 'EXP-1',
                detail: `Terminated: the last day is ${at} (${input.reason}).`,
              },
              ...ended.cascade.map((c) => ({
                at: now,
                kind: 'dependentEnded',
                rule: c.rule,
                detail: `${c.serviceCode} ends on ${at} with the agreement.`,
              })),
              ...cut.timeline,
            ],
          },
          result: { dependents: ended.cascade, cut },
        };
      },
      { inForce: false },
    ); // termination decides for itself (EXP-1: already terminated or ended, a date before today or outside the term)
    const at = workOrder.terminatesOn as string;
    // The lifecycles are told after the commit; a failed signal is logged (the daily sweep repairs a lifecycle that
    // is behind its due items), never a reason to undo a stored termination.
    const tell = (what: string, signal: Promise<unknown>) =>
      signal.catch((error: unknown) => context.warn(`Work Order ${workOrder.id} is terminated, but ${what}:`, error));
    const years = workOrderLifecycleSchedule(workOrder, services.catalogue).map((y) => ({
      ...y,
      events: y.events.filter((e) => e.at > now),
    }));
    await services.dueIndex.put(dueItemsOfTerm(workOrder.id, years));
    await tell(
      'its term lifecycle could not be told',
      client!.raiseEvent(workOrderTermInstanceId(workOrder.id), WORK_ORDER_TERMINATED, {
        at,
        reason: input.reason,
        years,
      }),
    );
    const changeOf = (lifecycle: string, steps: unknown) =>
      lifecycle === 'cancelled' ? { kind: 'cancelled', at: now, reason: 'terminated' } : { kind: 'rescheduled', steps };
    for (const { record, lifecycle } of cascade.cut.aem) {
      const next = aemLifecycle(record, now);
      if (lifecycle === 'rescheduled') await services.dueIndex.put(next.due);
      await tell(
        `AEM event ${record.id} could not be told`,
        client!.raiseEvent(aemEventInstanceId(record.id), LIFECYCLE_CHANGED, changeOf(lifecycle, next.input.steps)),
      );
    }
    for (const { record, lifecycle } of cascade.cut.cyber) {
      const next = cyberLifecycle(record, now);
      if (lifecycle === 'rescheduled') await services.dueIndex.put(next.due);
      await tell(
        `cyber engagement ${record.id} could not be told`,
        client!.raiseEvent(
          cyberEngagementInstanceId(record.id),
          LIFECYCLE_CHANGED,
          changeOf(lifecycle, next.input.steps),
        ),
      );
    }
    return json(
      200,
      {
        ...workOrder,
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
