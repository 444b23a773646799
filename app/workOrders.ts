import { randomUUID } from 'node:crypto';
import { addCalendarDays, localDateIn } from '../domain/calendar/businessCalendar';
import { closeFlexYear, type ClosedFlexPeriod } from '../domain/workOrder/flex';
import { workOrderLifecycleSchedule, type LifecycleEvent } from '../domain/workOrder/lifecycleSchedule';
import { lastRequestDate } from '../domain/workOrder/requests';
import { decideTermination } from '../domain/workOrder/termination';
import { terminationCascade } from '../domain/workOrder/terminationCascade';
import type { AemBookingRecord } from '../domain/aem/aemRecord';
import type { CyberEngagementRecord } from '../domain/cyber/cyberRecord';
import { effectiveTerm, lastDayOfTerm } from '../domain/workOrder/term';
import type { WorkOrderInput } from '../domain/workOrder/workOrderSchema';
import {
  assertCalendarLocations,
  describeCalendarChange,
  type WorkOrderCalendar,
} from '../domain/workOrder/workOrderCalendar';
import { acceptWorkOrder, expireUnused, type WorkOrderView } from '../domain/workOrder/workOrderView';
import {
  aemEventInstanceId,
  cyberEngagementInstanceId,
  LIFECYCLE_CHANGED,
} from '../orchestrations/phasedLifecycle/names';
import { WORK_ORDER_TERM, WORK_ORDER_TERMINATED, workOrderTermInstanceId } from '../orchestrations/workOrderTerm/names';
import { changeWorkOrder, decideOnWorkOrder, type Guard } from './changeWorkOrder';
import { aemLifecycle, cyberLifecycle, dueItemsOfTerm, termDueKey } from './dueItems';
import type { Lifecycles, Notification, Services } from './services';

/** Validates the Work Order (FLEX-*, DEP-*, MN-5), stores it and starts its term lifecycle. */
export async function createWorkOrder(
  services: Services,
  lifecycles: Lifecycles,
  input: WorkOrderInput,
): Promise<{ workOrder: WorkOrderView; etag: string }> {
  const now = services.clock.now();
  const view = acceptWorkOrder(input, {
    id: randomUUID(),
    asOf: localDateIn(now, input.host.timeZone),
    catalogue: services.catalogue,
  });
  const forfeited = view.flexPeriods.filter((p) => p.forfeited > 0);
  const etag = await services.workOrders.create(view, {
    timeline: [
      {
        at: now.toISOString(),
        kind: 'workOrderCreated',
        detail: `Work Order ${view.number} for ${view.customerId}, term ${view.term.start} to ${view.term.end}.`,
      },
      ...forfeited.map((p) => ({
        at: now.toISOString(),
        kind: 'flexForfeited',
        rule: 'FLEX-6',
        detail: `Flex year ${p.year}: ${p.forfeited} ${view.currency} not allocated at signing is forfeited.`,
      })),
    ],
  });
  const years = workOrderLifecycleSchedule(view, services.catalogue);
  await services.dueIndex.put(dueItemsOfTerm(view.id, years));
  await lifecycles.start(WORK_ORDER_TERM, workOrderTermInstanceId(view.id), {
    workOrderId: view.id,
    years,
    yearIndex: 0,
  });
  return { workOrder: view, etag };
}

/**
 * rules.md section 9, Termination: `at` (default today in the host zone) is the last day of the shortened term.
 * Every entitlement ends on `at` (DEP-1, DEP-2); service requests, AEM events and cybersecurity days after `at` are
 * cancelled and their reservations given back, in the same transaction; then their lifecycles and the term
 * lifecycle are told, so the term's dates follow `at`. `onSignalFailure` hears a lifecycle that could not be told
 * (the daily sweep repairs a lifecycle that is behind its due items): never a reason to undo a stored termination.
 */
export async function terminateWorkOrder(
  services: Services,
  lifecycles: Lifecycles,
  workOrderId: string,
  input: { at?: string; reason: string },
  guard: Guard,
  onSignalFailure: (what: string, error: unknown) => void,
) {
  const now = services.clock.now().toISOString();
  const store = services.workOrders;
  const {
    result: cascade,
    workOrder,
    etag,
  } = await decideOnWorkOrder(
    services,
    workOrderId,
    async (current) => {
      const today = localDateIn(new Date(now), current.host.timeZone);
      const at = input.at ?? today;
      const ended = decideTermination(current, at, input.reason, today, services.catalogue); // rules EXP-1, DEP-1, DEP-2
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
    { ...guard, inForce: false }, // termination decides for itself (EXP-1: already terminated or ended, a date before today or outside the term)
  );
  const at = workOrder.terminatesOn as string;
  const tell = (what: string, signal: Promise<unknown>) =>
    signal.catch((error: unknown) => onSignalFailure(what, error));
  const years = workOrderLifecycleSchedule(workOrder, services.catalogue).map((y) => ({
    ...y,
    events: y.events.filter((e) => e.at > now),
  }));
  await services.dueIndex.put(dueItemsOfTerm(workOrder.id, years));
  await tell(
    'its term lifecycle could not be told',
    lifecycles.signal(workOrderTermInstanceId(workOrder.id), WORK_ORDER_TERMINATED, {
      at,
      reason: input.reason,
      years,
    }),
  );
  const changeOf = (lifecycle: string, steps: unknown) =>
    lifecycle === 'cancelled' ? { kind: 'cancelled', at: now, reason: 'terminated' } : { kind: 'rescheduled', steps };
  const cut = [
    ...cascade.cut.aem.map(({ record, lifecycle }) => ({
      what: `AEM event ${record.id}`,
      lifecycle,
      instanceId: aemEventInstanceId(record.id),
      next: aemLifecycle(record, now),
    })),
    ...cascade.cut.cyber.map(({ record, lifecycle }) => ({
      what: `cyber engagement ${record.id}`,
      lifecycle,
      instanceId: cyberEngagementInstanceId(record.id),
      next: cyberLifecycle(record, now),
    })),
  ];
  for (const { what, lifecycle, instanceId, next } of cut) {
    if (lifecycle === 'rescheduled') await services.dueIndex.put(next.due);
    await tell(
      `${what} could not be told`,
      lifecycles.signal(instanceId, LIFECYCLE_CHANGED, changeOf(lifecycle, next.input.steps)),
    );
  }
  return { workOrder, etag, cascade };
}

/** HOURS-1: the days a Work Order makes closed or working per support location (replacing the previous ones). */
export async function setWorkOrderCalendar(
  services: Services,
  workOrderId: string,
  calendar: WorkOrderCalendar,
  guard: Guard,
) {
  const now = services.clock.now().toISOString();
  return decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
      assertCalendarLocations(calendar, [current.host, ...current.downstream]); // rule HOURS-1, MN-1
      return {
        workOrder: { ...current, calendar },
        change: {
          timeline: [
            {
              at: now,
              kind: 'calendarChanged',
              rule: 'HOURS-1',
              detail: `Calendar overrides set (deadlines computed from now on use them). ${describeCalendarChange(current.calendar, calendar)}.`,
            },
          ],
        },
        result: null,
      };
    },
    guard,
  );
}

/** One dated promise of a term's flex year, as the term orchestration hands it to its activity. */
export interface TermStep {
  workOrderId: string;
  year: number;
  event: LifecycleEvent;
}

const unused = (view: WorkOrderView) =>
  view.entitlements
    .filter((e) => e.remaining > 0 && !e.endedBy)
    .map((e) => ({ serviceCode: e.serviceCode, remaining: e.remaining, unit: e.unit }));

/** REQ-60: remind the customer before the request window closes, listing what is still unused. */
export async function sendRequestWindowReminder(services: Services, step: TermStep): Promise<Notification | null> {
  const done = await changeWorkOrder(
    services,
    step.workOrderId,
    (current) =>
      current.status !== 'active'
        ? null
        : {
            workOrder: current,
            change: {
              timeline: [
                {
                  key: `reminder-${step.event.date}`,
                  at: step.event.at,
                  kind: 'requestWindowReminder',
                  rule: 'REQ-60',
                  detail: `Requests close after ${lastRequestDate(effectiveTerm(current), services.catalogue)} (${step.event.daysBeforeClose} days left); unused: ${
                    unused(current)
                      .map((u) => `${u.serviceCode} ${u.remaining} ${u.unit}`)
                      .join(', ') || 'nothing'
                  }.`,
                },
              ],
            },
            result: undefined,
          },
    { inForce: false },
  );
  await markTermStepDone(services, step);
  const view = done?.workOrder;
  if (view?.status !== 'active') return null;
  return {
    notificationId: `requestWindowReminder:${view.id}:${step.event.date}`,
    kind: 'requestWindowReminder',
    rule: 'REQ-60',
    at: step.event.at,
    workOrderId: view.id,
    customerId: view.customerId,
    closesAfter: lastRequestDate(effectiveTerm(view), services.catalogue),
    daysBeforeClose: step.event.daysBeforeClose,
    unused: unused(view),
  };
}

/** FLEX-3: at the period's end, what was allocated to the year and not used lapses, with the amounts recorded. */
export async function closeFlexPeriod(services: Services, step: TermStep): Promise<Notification | null> {
  const requests = await services.workOrders.serviceRequests(step.workOrderId);
  const done = await changeWorkOrder(
    services,
    step.workOrderId,
    (current) => {
      const closing = closeFlexYear(current.flexPeriods, step.year, requests); // rule FLEX-3
      if (!closing) return null;
      const { closed } = closing;
      return {
        workOrder: { ...current, flexPeriods: closing.periods },
        change: {
          timeline: [
            {
              key: `flex-${step.year}`,
              at: step.event.at,
              kind: 'flexPeriodClosed',
              rule: 'FLEX-3',
              detail: `Flex year ${step.year} (${closed.start} to ${closed.end}) closed: ${closed.allocated} allocated, ${closed.used} used, ${closed.lapsed} ${current.currency} lapsed.`,
            },
          ],
        },
        result: undefined,
      };
    },
    { inForce: false },
  );
  await markTermStepDone(services, step);
  const view = done?.workOrder;
  const period = view?.flexPeriods.find((p) => p.year === step.year) as Partial<ClosedFlexPeriod> | undefined;
  if (!view || !period) return null;
  return {
    notificationId: `flexPeriodClosed:${view.id}:${step.year}`,
    kind: 'flexPeriodClosed',
    rule: 'FLEX-3',
    at: step.event.at,
    workOrderId: view.id,
    customerId: view.customerId,
    year: step.year,
    allocated: period.allocated,
    used: period.used ?? 0,
    lapsed: period.lapsed ?? 0,
    currency: view.currency,
  };
}

/** EXP-1: at the term's end everything unused expires and the Work Order is expired. */
export async function expireWorkOrder(services: Services, step: TermStep): Promise<Notification | null> {
  const done = await changeWorkOrder(
    services,
    step.workOrderId,
    (current) => {
      if (current.status !== 'active') return null;
      const lastDay = lastDayOfTerm(current);
      if (step.event.date !== lastDay) return null; // a schedule from before a termination moved the end
      const expired = expireUnused(current, addCalendarDays(lastDay, 1)); // the first day after the term
      const amounts = expired.entitlements
        .filter((e) => (e.expired ?? 0) > 0)
        .map((e) => `${e.serviceCode} ${e.expired} ${e.unit}`);
      return {
        workOrder: expired,
        change: {
          timeline: [
            {
              key: 'expired',
              at: step.event.at,
              kind: expired.status === 'terminated' ? 'workOrderEnded' : 'workOrderExpired',
              rule: 'EXP-1',
              detail: `The term ${expired.status === 'terminated' ? 'was terminated; its last day was' : 'ended on'} ${lastDay}; expired unused: ${amounts.join(', ') || 'nothing'}.`,
            },
          ],
        },
        result: undefined,
      };
    },
    { inForce: false },
  );
  await markTermStepDone(services, step);
  const view = done?.workOrder;
  if (!view || view.status === 'active') return null;
  const kind = view.status === 'terminated' ? 'workOrderEnded' : 'workOrderExpired';
  return {
    notificationId: `${kind}:${view.id}`,
    kind,
    rule: 'EXP-1',
    at: step.event.at,
    workOrderId: view.id,
    customerId: view.customerId,
    expired: view.entitlements
      .filter((e) => (e.expired ?? 0) > 0)
      .map((e) => ({ serviceCode: e.serviceCode, expired: e.expired, unit: e.unit })),
  };
}

/** After a termination (applied by the HTTP call): announce it and close the term's remaining due items. */
export async function endTerminatedWorkOrder(
  services: Services,
  input: { workOrderId: string; at: string; reason: string },
): Promise<Notification | null> {
  const view = (await services.workOrders.get(input.workOrderId))?.workOrder;
  if (!view) return null;
  const now = services.clock.now().toISOString();
  // The contracted term's due items that the shortened term no longer has are closed (the new ones were indexed
  // with the termination).
  const key = (year: number, event: LifecycleEvent) => `${event.at}|${event.kind}|${year}/${event.date}`;
  const kept = new Set(
    workOrderLifecycleSchedule(view, services.catalogue).flatMap((y) => y.events.map((e) => key(y.year, e))),
  );
  for (const year of workOrderLifecycleSchedule({ term: view.term, host: view.host }, services.catalogue)) {
    for (const event of year.events)
      if (!kept.has(key(year.year, event)))
        await services.dueIndex.markDone(termDueKey(view.id, year.year, event), now);
  }
  return {
    notificationId: `workOrderTerminated:${view.id}`,
    kind: 'workOrderTerminated',
    rule: 'DEP-1',
    at: now,
    workOrderId: view.id,
    customerId: view.customerId,
    terminatesOn: input.at,
    reason: input.reason,
    ended: view.entitlements
      .filter((e) => e.endedBy === 'DEP-1' || e.endedBy === 'DEP-2')
      .map((e) => ({ serviceCode: e.serviceCode, endedBy: e.endedBy, endsOn: e.endsOn })),
  };
}

async function markTermStepDone(services: Services, step: TermStep): Promise<void> {
  await services.dueIndex.markDone(
    termDueKey(step.workOrderId, step.year, step.event),
    services.clock.now().toISOString(),
  );
}
