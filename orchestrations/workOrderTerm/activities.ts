import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { addCalendarDays } from '../../domain/calendar/businessCalendar';
import type { LifecycleEvent } from '../../domain/workOrder/lifecycleSchedule';
import { workOrderLifecycleSchedule } from '../../domain/workOrder/lifecycleSchedule';
import { lastRequestDate } from '../../domain/workOrder/requests';
import { effectiveTerm, lastDayOfTerm } from '../../domain/workOrder/term';
import { expireUnused, type WorkOrderView } from '../../domain/workOrder/workOrderView';
import { services } from '../../infra/compositionRoot';
import { lifecycleNotifications } from '../../infra/messaging/lifecycleNotifications';
import { updateWorkOrder } from '../workOrderUpdate';
import { CLOSE_FLEX_PERIOD, END_TERMINATED_WORK_ORDER, EXPIRE_WORK_ORDER, SEND_REQUEST_WINDOW_REMINDER } from './names';

interface TermStep {
  workOrderId: string;
  year: number;
  event: LifecycleEvent;
}

async function markDone(step: TermStep): Promise<void> {
  await services().dueIndex.markDone(
    { dueAt: step.event.at, kind: step.event.kind, resourceId: `${step.workOrderId}/${step.year}/${step.event.date}` },
    services().clock.now().toISOString(),
  );
}

const unused = (view: WorkOrderView) =>
  view.entitlements
    .filter((e) => e.remaining > 0 && !e.endedBy)
    .map((e) => ({ serviceCode: e.serviceCode, remaining: e.remaining, unit: e.unit }));

/** REQ-60: remind the customer before the request window closes, listing what is still unused. */
async function sendRequestWindowReminder(step: TermStep, context: InvocationContext): Promise<void> {
  const view = await updateWorkOrder(step.workOrderId, (current) => {
    if (current.status !== 'active') return null;
    const key = `reminder-${step.event.date}`;
    return {
      workOrder: current,
      change: {
        timeline: [
          {
            key,
            at: step.event.at,
            kind: 'requestWindowReminder',
            rule: 'REQ-60',
            detail: `Requests close after ${lastRequestDate(effectiveTerm(current), services().catalogue)} (${step.event.daysBeforeClose} days left); unused: ${
              unused(current)
                .map((u) => `${u.serviceCode} ${u.remaining} ${u.unit}`)
                .join(', ') || 'nothing'
            }.`,
          },
        ],
      },
    };
  });
  if (view?.status === 'active') {
    context.extraOutputs.set(lifecycleNotifications, {
      notificationId: `requestWindowReminder:${view.id}:${step.event.date}`,
      kind: 'requestWindowReminder',
      rule: 'REQ-60',
      at: step.event.at,
      workOrderId: view.id,
      customerId: view.customerId,
      closesAfter: lastRequestDate(effectiveTerm(view), services().catalogue),
      daysBeforeClose: step.event.daysBeforeClose,
      unused: unused(view),
    });
  }
  await markDone(step);
}

/** FLEX-3: at the period's end, what was allocated to the year and not used lapses, with the amounts recorded. */
async function closeFlexPeriod(step: TermStep, context: InvocationContext): Promise<void> {
  const requests = await services().workOrders.serviceRequests(step.workOrderId);
  let lapsed = 0;
  const view = await updateWorkOrder(step.workOrderId, (current) => {
    const period = current.flexPeriods.find((p) => p.year === step.year);
    if (!period || 'lapsed' in period) return null;
    const used = requests
      .filter(
        (r) =>
          r.fundedBy === 'flex' && r.status !== 'cancelled' && r.startDate >= period.start && r.startDate <= period.end,
      )
      .reduce((sum, r) => sum + r.price, 0);
    lapsed = Math.max(0, period.allocated - used);
    const flexPeriods = current.flexPeriods.map((p) => (p.year === step.year ? { ...p, used, lapsed } : p));
    return {
      workOrder: { ...current, flexPeriods },
      change: {
        timeline: [
          {
            key: `flex-${step.year}`,
            at: step.event.at,
            kind: 'flexPeriodClosed',
            rule: 'FLEX-3',
            detail: `Flex year ${step.year} (${period.start} to ${period.end}) closed: ${period.allocated} allocated, ${used} used, ${lapsed} ${current.currency} lapsed.`,
          },
        ],
      },
    };
  });
  const period = view?.flexPeriods.find((p) => p.year === step.year) as
    (WorkOrderView['flexPeriods'][number] & { used?: number; lapsed?: number }) | undefined;
  if (view && period) {
    context.extraOutputs.set(lifecycleNotifications, {
      notificationId: `flexPeriodClosed:${view.id}:${step.year}`,
      kind: 'flexPeriodClosed',
      rule: 'FLEX-3',
      at: step.event.at,
      workOrderId: view.id,
      customerId: view.customerId,
      year: step.year,
      allocated: period.allocated,
      used: period.used ?? 0,
      lapsed: period.lapsed ?? lapsed,
      currency: view.currency,
    });
  }
  await markDone(step);
}

/** EXP-1: at the term's end everything unused expires and the Work Order is expired. */
async function expireWorkOrder(step: TermStep, context: InvocationContext): Promise<void> {
  const view = await updateWorkOrder(step.workOrderId, (current) => {
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
    };
  });
  if (view && view.status !== 'active') {
    const kind = view.status === 'terminated' ? 'workOrderEnded' : 'workOrderExpired';
    context.extraOutputs.set(lifecycleNotifications, {
      notificationId: `${kind}:${view.id}`,
      kind,
      rule: 'EXP-1',
      at: step.event.at,
      workOrderId: view.id,
      customerId: view.customerId,
      expired: view.entitlements
        .filter((e) => (e.expired ?? 0) > 0)
        .map((e) => ({ serviceCode: e.serviceCode, expired: e.expired, unit: e.unit })),
    });
  }
  await markDone(step);
}

/** After a termination (applied by the HTTP call): announce it and close the term's remaining due items. */
async function endTerminatedWorkOrder(
  input: { workOrderId: string; at: string; reason: string },
  context: InvocationContext,
): Promise<void> {
  const view = (await services().workOrders.get(input.workOrderId))?.workOrder;
  if (!view) return;
  const index = services().dueIndex;
  const now = services().clock.now().toISOString();
  // The contracted term's due items that the shortened term no longer has are closed (the new ones were indexed
  // with the termination).
  const key = (year: number, event: LifecycleEvent) => `${event.at}|${event.kind}|${year}/${event.date}`;
  const kept = new Set(
    workOrderLifecycleSchedule(view, services().catalogue).flatMap((y) => y.events.map((e) => key(y.year, e))),
  );
  for (const year of workOrderLifecycleSchedule({ term: view.term, host: view.host }, services().catalogue)) {
    for (const event of year.events)
      if (!kept.has(key(year.year, event)))
        await index.markDone(
          { dueAt: event.at, kind: event.kind, resourceId: `${view.id}/${year.year}/${event.date}` },
          now,
        );
  }
  context.extraOutputs.set(lifecycleNotifications, {
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
  });
}

const outputs = { extraOutputs: [lifecycleNotifications] };
df.app.activity(SEND_REQUEST_WINDOW_REMINDER, {
  ...outputs,
  handler: (input: TermStep, context) => sendRequestWindowReminder(input, context),
});
df.app.activity(CLOSE_FLEX_PERIOD, {
  ...outputs,
  handler: (input: TermStep, context) => closeFlexPeriod(input, context),
});
df.app.activity(EXPIRE_WORK_ORDER, {
  ...outputs,
  handler: (input: TermStep, context) => expireWorkOrder(input, context),
});
df.app.activity(END_TERMINATED_WORK_ORDER, {
  ...outputs,
  handler: (input: { workOrderId: string; at: string; reason: string }, context) =>
    endTerminatedWorkOrder(input, context),
});
