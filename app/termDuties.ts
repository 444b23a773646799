import {
  completeDuty as complete,
  markOverdue,
  replaceDuty,
  workOrderIdOfDuty,
  type Duty,
} from '../domain/workOrder/duties';
import { changeWorkOrder, decideOnWorkOrder, type Guard } from './changeWorkOrder';
import { NotFound } from './errors';
import type { WorkOrderView } from '../domain/workOrder/workOrderView';
import { termDueKey } from './dueItems';
import type { Notification, Services } from './services';
import type { TermStep } from './workOrders';

const what = (d: Pick<Duty, 'kind'>) => (d.kind === 'onboarding' ? 'onboarding' : 'the quarterly review');

async function stepDone(services: Services, step: TermStep): Promise<void> {
  await services.dueIndex.markDone(
    termDueKey(step.workOrderId, step.year, step.event),
    services.clock.now().toISOString(),
  );
}

/** UER-4, UER-5, GHED-1: the term lifecycle reminds the customer of a duty still open. */
export async function remindDuty(services: Services, step: TermStep): Promise<Notification | null> {
  return dutyStep(services, step, 'dutyReminder', (current) => {
    const duty = current.duties?.find((d) => d.id === step.event.dutyId);
    if (current.status !== 'active' || !duty || duty.state !== 'open') return null;
    return {
      duty,
      workOrder: current,
      detail: `Reminder: ${what(duty)} for ${duty.serviceCode} is due by ${duty.dueOn} (duty ${duty.id}).`,
    };
  });
}

/** UER-4, UER-5, GHED-1: at the end of its due day a duty not completed is marked overdue. */
export async function markDutyOverdue(services: Services, step: TermStep): Promise<Notification | null> {
  return dutyStep(services, step, 'dutyOverdue', (current) => {
    const duty = current.duties?.find((d) => d.id === step.event.dutyId);
    const marked = duty && current.status === 'active' ? markOverdue(duty) : null;
    if (!marked) return null;
    return {
      duty: marked,
      workOrder: { ...current, duties: replaceDuty(current.duties ?? [], marked) },
      detail: `${what(marked)} for ${marked.serviceCode} was due by ${marked.dueOn} and is overdue (duty ${marked.id}).`,
    };
  });
}

/** The timeline key of each duty step: a step run again (activities run at least once) adds no second entry. */
const DUTY_STEP_KEYS = { dutyReminder: 'duty-reminder', dutyOverdue: 'duty-overdue' } as const;

/**
 * A dated duty step of the term lifecycle: what `decide` makes of the duty goes on the timeline (nothing when it
 * returns null: the duty was done, or the Work Order ended), the step is marked done in the due index, and the
 * customer is notified of the duty.
 */
async function dutyStep(
  services: Services,
  step: TermStep,
  kind: keyof typeof DUTY_STEP_KEYS,
  decide: (current: WorkOrderView) => { duty: Duty; workOrder: WorkOrderView; detail: string } | null,
): Promise<Notification | null> {
  const done = await changeWorkOrder(
    services,
    step.workOrderId,
    (current) => {
      const decided = decide(current);
      if (!decided) return null;
      const { duty, workOrder, detail } = decided;
      const key = `${DUTY_STEP_KEYS[kind]}-${duty.id}`;
      return {
        workOrder,
        change: { timeline: [{ key, at: step.event.at, kind, rule: duty.rule, detail }] },
        result: duty,
      };
    },
    { inForce: false },
  );
  await stepDone(services, step);
  const duty = done?.result;
  if (!done || !duty) return null;
  return {
    notificationId: `${kind}:${duty.id}`,
    kind,
    rule: duty.rule,
    at: step.event.at,
    workOrderId: done.workOrder.id,
    customerId: done.workOrder.customerId,
    dutyId: duty.id,
    dutyKind: duty.kind,
    dueOn: duty.dueOn,
  };
}

/** DEP-2 (and an add-on ended early): after its last day what is left of it expires, on the timeline. */
export async function endEntitlements(services: Services, step: TermStep): Promise<Notification | null> {
  const codes = step.event.serviceCodes ?? [];
  const done = await changeWorkOrder(
    services,
    step.workOrderId,
    (current) => {
      const due = current.entitlements.filter(
        (e) => codes.includes(e.serviceCode) && e.endsOn === step.event.date && e.expired === undefined,
      );
      if (current.status !== 'active' || due.length === 0) return null;
      return {
        workOrder: {
          ...current,
          entitlements: current.entitlements.map((e) =>
            due.includes(e) ? { ...e, expired: e.remaining, remaining: 0 } : e,
          ),
        },
        change: {
          timeline: due.map((e) => ({
            key: `entitlement-ended-${e.serviceCode}-${e.endsOn}`,
            at: step.event.at,
            kind: 'entitlementEnded',
            rule: e.endedBy ?? 'EXP-1',
            detail: `${e.serviceCode} ended on ${e.endsOn}${e.endedBy === 'DEP-2' ? ' with Rapid Response' : ''}; ${e.remaining} ${e.unit} unused expired.`,
          })),
        },
        result: due.map((e) => ({ serviceCode: e.serviceCode, endedBy: e.endedBy, expired: e.remaining })),
      };
    },
    { inForce: false },
  );
  await stepDone(services, step);
  if (!done?.result) return null;
  return {
    notificationId: `entitlementEnded:${done.workOrder.id}:${step.event.date}`,
    kind: 'entitlementEnded',
    rule: step.event.rule,
    at: step.event.at,
    workOrderId: done.workOrder.id,
    customerId: done.workOrder.customerId,
    ended: done.result,
  };
}

/**
 * The customer did it (UER-4 onboarding, UER-5 / GHED-1 review), recorded on the timeline with who did it; an
 * overdue duty can still be done after the term; completing twice is refused (409).
 */
export async function completeDuty(
  services: Services,
  dutyId: string,
  input: { note?: string },
  by: string,
  guard: Guard,
): Promise<{ duty: Duty & { workOrderId: string }; etag: string }> {
  const at = services.clock.now().toISOString();
  const { result, etag } = await decideOnWorkOrder(
    services,
    workOrderIdOfDuty(dutyId),
    (current) => {
      const duty = current.duties?.find((d) => d.id === dutyId);
      if (!duty) throw new NotFound(`Duty ${dutyId}`);
      const done = complete(duty, at, by, input.note);
      return {
        workOrder: { ...current, duties: replaceDuty(current.duties ?? [], done) },
        change: {
          timeline: [
            {
              at,
              kind: 'dutyCompleted',
              rule: done.rule,
              detail: `${done.kind === 'onboarding' ? 'Onboarding' : 'Quarterly review'} for ${done.serviceCode} (due by ${done.dueOn}) completed${duty.state === 'overdue' ? ' late' : ''}${input.note ? `: ${input.note}` : ''}.`,
            },
          ],
        },
        result: { ...done, workOrderId: current.id },
      };
    },
    { ...guard, inForce: false }, // an overdue duty can still be done after the term
  ).catch((error: unknown) => {
    if (error instanceof NotFound) throw new NotFound(`Duty ${dutyId}`); // its Work Order is named to nobody
    throw error;
  });
  return { duty: result, etag };
}
