import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { localDateIn } from '../domain/calendar/businessCalendar';
import type { ServiceCode } from '../domain/catalogue/serviceCatalogue';
import { useHours, type HoursUsage, type hoursInputSchema } from '../domain/workOrder/hours';
import { workOrderLifecycleSchedule } from '../domain/workOrder/lifecycleSchedule';
import { endEntitlement } from '../domain/workOrder/termination';
import type { entitlementInputSchema } from '../domain/workOrder/workOrderSchema';
import { addEntitlement, type WorkOrderView } from '../domain/workOrder/workOrderView';
import { WORK_ORDER_SCHEDULE_CHANGED, workOrderTermInstanceId } from '../orchestrations/workOrderTerm/names';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import { dueItemsOfTerm } from './dueItems';
import type { Lifecycles, Services, Warn } from './services';

/**
 * A `+` service bought during the term (BUY-2, BUY-3) with the checks of creation (BUY-5, MN-6, DEP-1, DEP-2, DEVS-1,
 * CYB-2); SDM-REQ is a warning. It expires with the term (EXP-1); the duties it brings (UER-4, UER-5, GHED-1) join the
 * term lifecycle.
 */
export async function addWorkOrderEntitlement(
  services: Services,
  lifecycles: Lifecycles,
  workOrderId: string,
  input: z.output<typeof entitlementInputSchema>,
  guard: Guard,
  warn: Warn,
) {
  const now = services.clock.now();
  const { result, etag, workOrder } = await decideOnWorkOrder(
    services,
    workOrderId,
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
    guard,
  );
  if (result.duties.length > 0) await rescheduleTerm(services, lifecycles, workOrder, warn);
  return { workOrder, etag, added: result.added, warnings: result.warnings };
}

/**
 * An add-on ends early on `at` (its last day); Azure Engineering Direct ends with Rapid Response (DEP-2). The term
 * lifecycle expires what is left after that day (EXP-1).
 */
export async function endWorkOrderEntitlement(
  services: Services,
  lifecycles: Lifecycles,
  workOrderId: string,
  serviceCode: ServiceCode,
  input: { at: string },
  guard: Guard,
  warn: Warn,
) {
  const now = services.clock.now();
  const {
    result: cascade,
    etag,
    workOrder,
  } = await decideOnWorkOrder(
    services,
    workOrderId,
    (current) => {
      const today = localDateIn(now, current.host.timeZone);
      const ended = endEntitlement(current, serviceCode, input.at, today, services.catalogue); // rule DEP-2
      const at = now.toISOString();
      return {
        workOrder: ended.workOrder,
        change: {
          timeline: [
            { at, kind: 'entitlementEnding', rule: 'EXP-1', detail: `${serviceCode} ends early on ${input.at}.` },
            ...ended.cascade.map((c) => ({
              at,
              kind: 'entitlementEnding',
              rule: c.rule,
              detail: `${c.serviceCode} ends on ${input.at} with ${serviceCode}.`,
            })),
          ],
        },
        result: ended.cascade,
      };
    },
    guard,
  );
  await rescheduleTerm(services, lifecycles, workOrder, warn);
  return { workOrder, etag, cascade };
}

/**
 * Hours used are drawn down from what was bought (EDE-1, REDE-1; more than is left: ENT-1); Advisory Support draws on
 * no balance, one case at most 6 hours (ADV-1, counted over the case's recorded hours).
 */
export async function recordHours(
  services: Services,
  workOrderId: string,
  input: z.output<typeof hoursInputSchema>,
  guard: Guard,
): Promise<{ usage: HoursUsage; etag: string }> {
  const at = services.clock.now().toISOString();
  const id = randomUUID();
  const { result: usage, etag } = await decideOnWorkOrder(
    services,
    workOrderId,
    async (current) => {
      const caseHours = input.caseId
        ? (await services.workOrders.hoursUsage(current.id, { caseId: input.caseId }))
            .filter((u) => u.serviceCode === 'ADVISORY_SUPPORT')
            .reduce((sum, u) => sum + u.hours, 0)
        : 0;
      const used = useHours(current, input, caseHours, services.catalogue); // rules EDE-1, REDE-1, ENT-1, ADV-1
      const usage: HoursUsage = {
        ...input,
        id,
        workOrderId: current.id,
        recordedAt: at,
        remainingAfter: used.remainingAfter,
      };
      return {
        workOrder: { ...current, entitlements: used.entitlements },
        change: {
          usage: [usage],
          timeline: [
            {
              at,
              kind: 'hoursUsed',
              rule: HOURS_RULES[input.serviceCode] ?? 'ENT-1',
              detail: `${input.hours} ${input.serviceCode} hour(s) on ${input.date}${input.incidentId ? ` for incident ${input.incidentId}` : ''}${input.caseId ? ` for case ${input.caseId}` : ''}${used.remainingAfter === null ? '' : `; ${used.remainingAfter} left`}.`,
            },
          ],
        },
        result: usage,
      };
    },
    guard,
  );
  return { usage, etag };
}

/** The rule that draws each kind of hours down (any other balance: ENT-1). */
const HOURS_RULES: Partial<Record<string, string>> = { ADVISORY_SUPPORT: 'ADV-1', REDE: 'REDE-1', EDE: 'EDE-1' };

/**
 * Tells a Work Order's term lifecycle what it now promises (duties of a service added during the term, an add-on
 * ended early): the due index first, so the daily sweep can restart the lifecycle if the signal is lost (a lost
 * signal is reported, and the change stands).
 */
export async function rescheduleTerm(
  services: Services,
  lifecycles: Lifecycles,
  view: WorkOrderView,
  warn: Warn,
): Promise<void> {
  const years = workOrderLifecycleSchedule(view, services.catalogue);
  await services.dueIndex.put(dueItemsOfTerm(view.id, years));
  await lifecycles
    .signal(workOrderTermInstanceId(view.id), WORK_ORDER_SCHEDULE_CHANGED, years)
    .catch((error: unknown) => warn(`Work Order ${view.id} changed, but its term lifecycle could not be told:`, error));
}
