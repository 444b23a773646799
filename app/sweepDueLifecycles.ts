import { HELD_TICKET_EVENTS, rejectHeldEvents } from './ingestion';
import { repairFor } from '../domain/lifecycle/dueIndex';
import { changeWorkOrder } from './changeWorkOrder';
import type { Lifecycles, Services } from './services';

/** Items within this many minutes of their due time are left to their orchestration's own timer. */
const GRACE_MINUTES = 60;
/** How far back a first sweep looks. */
const FIRST_LOOKBACK_DAYS = 7;

/**
 * The daily safety net (the orchestrations keep their own timers): finds what fell due since the last sweep through
 * the due-date index (cost grows with the due items, not with the Work Orders), starts again any owning
 * orchestration that is missing or finished while its promise is still open, and records each repair, also on the
 * Work Order's timeline. Running it twice changes nothing: a restarted orchestration is running, so the second
 * sweep leaves it alone. Events held for an incident never opened are rejected (RESP-LATE).
 */
export async function sweepDueLifecycles(
  services: Services,
  lifecycles: Lifecycles,
  log: (line: string) => void,
): Promise<void> {
  const index = services.dueIndex;
  const now = services.clock.now();
  const from = (await index.readCursor()) ?? new Date(now.getTime() - FIRST_LOOKBACK_DAYS * 86_400_000).toISOString();
  const due = await index.listOpen(from, now.toISOString());
  let repaired = 0;
  for (const item of due) {
    if (item.kind === HELD_TICKET_EVENTS) {
      const rejected = await rejectHeldEvents(item, {
        incidents: services.incidents,
        rejections: services.rejections,
      }); // rule RESP-LATE
      await index.markDone(item, now.toISOString());
      if (rejected > 0)
        log(`Rejected ${rejected} ticket event(s) held for incident ${item.resourceId}, which was never opened.`);
      continue;
    }
    const repair = repairFor(item, await lifecycles.status(item.instanceId), now.toISOString(), GRACE_MINUTES);
    if (!repair) continue;
    if (repair.action === 'restarted') {
      await lifecycles.start(item.orchestration, item.instanceId, item.restartInput);
      repaired++;
    }
    await index.recordRepair(repair);
    // The repair goes on the Work Order's timeline too (idempotent by key), so people see what the sweep did.
    await changeWorkOrder(
      services,
      item.workOrderId,
      (current) => ({
        workOrder: current,
        change: {
          timeline: [
            {
              key: `repair-${item.instanceId}-${item.dueAt}-${repair.action}`,
              at: repair.at,
              kind: 'lifecycleRepaired',
              detail: repair.detail,
            },
          ],
        },
        result: undefined,
      }),
      { inForce: false },
    );
    log(repair.detail);
  }
  await index.writeCursor(new Date(Math.max(Date.parse(from), now.getTime() - GRACE_MINUTES * 60_000)).toISOString());
  log(`Sweep from ${from}: ${due.length} open item(s) due, ${repaired} lifecycle(s) restarted.`);
}
