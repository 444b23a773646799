import { localDateIn } from '../domain/calendar/businessCalendar';
import { WorkOrderConflict, type WorkOrderChange } from '../domain/workOrder/workOrderStore';
import { assertInForce, type WorkOrderView } from '../domain/workOrder/workOrderView';
import { NotFound, StaleVersion } from './errors';
import { stopIfDryRun } from './dryRun';
import { KeyedQueue } from './keyedQueue';
import { retryOnConflict } from './retryOnConflict';
import type { Services } from './services';

/** What a use case decided: the Work Order after it, what changes with it, and what it answers. */
export interface Decision<T> {
  workOrder: WorkOrderView;
  change?: WorkOrderChange;
  result: T;
}

/** How a caller (an HTTP request) may change a Work Order; activities act for the system and pass none. */
export interface Guard {
  /** Throws when the caller may not change it (`workOrder` undefined: there is no such Work Order). */
  authorize?(workOrderId: string, workOrder: WorkOrderView | undefined): void;
  /** The caller's If-Match: its version must still be current (else StaleVersion), and a lost race is not retried. */
  ifMatch?: string | null;
  /**
   * When the request changes one resource inside the Work Order (a service request, a booking, an engagement, a
   * swap), the current ETag of that resource, which If-Match then names instead of the Work Order's; read on every
   * attempt, so a lost race is retried and ends stale only when that resource changed.
   */
  etagOf?(workOrder: WorkOrderView): Promise<string>;
}

/** Changes of one Work Order made by this process, one after another (see KeyedQueue). */
export const workOrderChanges = new KeyedQueue();

/**
 * Read-decide-commit of a Work Order under its ETag, in one transaction with `change`. Unless `inForce` is false, an
 * expired or terminated Work Order refuses (EXP-1, 409). `decide` returns null when there is nothing to change (an
 * activity that already ran: activities run at least once). Undefined when the Work Order does not exist.
 */
export async function changeWorkOrder<T>(
  services: Services,
  workOrderId: string,
  decide: (current: WorkOrderView) => Promise<Decision<T> | null> | Decision<T> | null,
  options: Guard & { inForce?: boolean } = {},
): Promise<{ result: T | undefined; etag: string; workOrder: WorkOrderView } | undefined> {
  const ifMatch = options.ifMatch && options.ifMatch !== '*' ? options.ifMatch : undefined;
  const attempt = async () => {
    const stored = await services.workOrders.get(workOrderId);
    options.authorize?.(workOrderId, stored?.workOrder);
    if (!stored) return undefined;
    if (ifMatch && !options.etagOf && ifMatch !== stored.etag) throw new StaleVersion();
    if (ifMatch && options.etagOf && ifMatch !== (await options.etagOf(stored.workOrder))) throw new StaleVersion();
    if (options.inForce !== false)
      assertInForce(stored.workOrder, localDateIn(services.clock.now(), stored.workOrder.host.timeZone)); // rule EXP-1
    const next = await decide(stored.workOrder);
    if (!next) return { result: undefined, etag: stored.etag, workOrder: stored.workOrder };
    stopIfDryRun({ workOrder: next.workOrder, result: next.result }); // a what-if decides, and writes nothing
    try {
      const etag = await services.workOrders.update(next.workOrder, stored.etag, next.change);
      return { result: next.result, etag, workOrder: next.workOrder };
    } catch (error) {
      if (options.ifMatch && !options.etagOf && error instanceof WorkOrderConflict) throw new StaleVersion();
      throw error;
    }
  };
  return workOrderChanges.run(workOrderId, () =>
    options.ifMatch && !options.etagOf ? attempt() : retryOnConflict(attempt),
  );
}

/** As changeWorkOrder, for a caller's change that always decides something (the Work Order must exist). */
export async function decideOnWorkOrder<T>(
  services: Services,
  workOrderId: string,
  decide: (current: WorkOrderView) => Promise<Decision<T>> | Decision<T>,
  options: Guard & { inForce?: boolean } = {},
): Promise<{ result: T; etag: string; workOrder: WorkOrderView }> {
  const done = await changeWorkOrder(services, workOrderId, decide, options);
  if (!done) throw new NotFound(`Work Order ${workOrderId}`);
  return done as { result: T; etag: string; workOrder: WorkOrderView };
}
