import * as df from 'durable-functions';
import { repairFor } from '../../domain/lifecycle/dueIndex';
import { statusOrMissing } from '../../orchestrations/durableStatus';
import { WorkOrderConflict } from '../../domain/workOrder/workOrderStore';
import { services } from '../../infra/compositionRoot';
import { HELD_TICKET_EVENTS, rejectHeldEvents } from '../../domain/incidents/ingestion';

/** Items within this many minutes of their due time are left to their orchestration's own timer. */
const GRACE_MINUTES = 60;
/** How far back a first sweep looks. */
const FIRST_LOOKBACK_DAYS = 7;

/**
 * Daily at 02:30 UTC (a safety net: the orchestrations keep their own timers): finds what fell due since the last
 * sweep through the due-date index (cost grows with the due items, not with the Work Orders), starts again any owning orchestration that is missing or finished while its
 * promise is still open, and records each repair. Running it twice changes nothing: a restarted orchestration is
 * running, so the second sweep leaves it alone.
 */
export const sweepDueLifecycles: df.TimerDurableClientHandler = async (_timer, client, context) => {
  const index = services().dueIndex;
  const now = services().clock.now();
  const from = (await index.readCursor()) ?? new Date(now.getTime() - FIRST_LOOKBACK_DAYS * 86_400_000).toISOString();
  const due = await index.listOpen(from, now.toISOString());
  let repaired = 0;
  for (const item of due) {
    if (item.kind === HELD_TICKET_EVENTS) {
      const rejected = await rejectHeldEvents(item, {
        incidents: services().incidents,
        rejections: services().rejections,
      }); // rule RESP-LATE
      await index.markDone(item, now.toISOString());
      if (rejected > 0)
        context.log(
          `Rejected ${rejected} ticket event(s) held for incident ${item.resourceId}, which was never opened.`,
        );
      continue;
    }
    const status = await statusOrMissing(client, item.instanceId);
    const repair = repairFor(item, status?.runtimeStatus, now.toISOString(), GRACE_MINUTES);
    if (!repair) continue;
    if (repair.action === 'restarted') {
      await client.startNew(item.orchestration, { instanceId: item.instanceId, input: item.restartInput });
      repaired++;
    }
    await index.recordRepair(repair);
    await recordOnTimeline(item.workOrderId, {
      key: `repair-${item.instanceId}-${item.dueAt}-${repair.action}`,
      at: repair.at,
      kind: 'lifecycleRepaired',
      detail: repair.detail,
    });
    context.log(repair.detail);
  }
  await index.writeCursor(new Date(Math.max(Date.parse(from), now.getTime() - GRACE_MINUTES * 60_000)).toISOString());
  context.log(`Sweep from ${from}: ${due.length} open item(s) due, ${repaired} lifecycle(s) restarted.`);
};

df.app.client.timer('sweepDueLifecycles', { schedule: '0 30 2 * * *', handler: sweepDueLifecycles });

/** The repair goes on the Work Order's timeline too (idempotent by key), so people see what the sweep did. */
async function recordOnTimeline(
  workOrderId: string,
  entry: { key: string; at: string; kind: string; detail: string },
): Promise<void> {
  const store = services().workOrders;
  for (let attempt = 1; attempt <= 5; attempt++) {
    const stored = await store.get(workOrderId);
    if (!stored) return;
    try {
      await store.update(stored.workOrder, stored.etag, { timeline: [entry] });
      return;
    } catch (error) {
      if (!(error instanceof WorkOrderConflict)) throw error;
    }
  }
}
