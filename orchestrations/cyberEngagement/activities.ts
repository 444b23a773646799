import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { CYBER_ACTIVITIES, type CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import {
  consumeReserved,
  findEntitlement,
  releaseEntitlement,
  replaceEntitlement,
} from '../../domain/workOrder/entitlements';
import { services } from '../../infra/compositionRoot';
import { lifecycleNotifications } from '../../infra/messaging/lifecycleNotifications';
import { updateWorkOrder } from '../workOrderUpdate';

interface StepInput {
  resourceId: string;
  workOrderId: string;
  phase: string;
  at: string;
  input: { date?: string } | null;
}

async function engagement(id: string): Promise<CyberEngagementRecord | undefined> {
  return (await services().workOrders.findResource<CyberEngagementRecord>('cyber', id))?.data;
}

async function stepDone(input: StepInput, kind: string): Promise<void> {
  await services().dueIndex.markDone(
    { dueAt: input.at, kind, resourceId: input.resourceId },
    services().clock.now().toISOString(),
  );
}

const resource = (record: CyberEngagementRecord) => ({
  kind: 'cyber' as const,
  id: record.id,
  workOrderId: record.workOrderId,
  data: record,
});

/** CYB-3: a delivered 8-hour day is drawn down from the purchased days (once per date). */
async function recordCyberDayDelivered(input: StepInput): Promise<void> {
  const date = input.input?.date ?? '';
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await engagement(input.resourceId);
    if (
      !record ||
      record.deliveredDates.includes(date) ||
      !record.schedule.some((d) => d.date === date) ||
      ['closed', 'lapsed', 'cancelled'].includes(record.status)
    )
      return null;
    const entitlements = replaceEntitlement(
      current.entitlements,
      consumeReserved(findEntitlement(current.entitlements, record.offering), 1),
    );
    const next: CyberEngagementRecord = {
      ...record,
      status: 'inProgress',
      deliveredDates: [...record.deliveredDates, date],
    };
    return {
      workOrder: { ...current, entitlements },
      change: {
        resources: [resource(next)],
        timeline: [
          {
            key: `cyber-${record.id}-${date}`,
            at: input.at,
            kind: 'cyberDayDelivered',
            rule: 'CYB-3',
            detail: `${record.offering} day ${next.deliveredDates.length} of ${record.days} delivered (${date}, 8 hours).`,
          },
        ],
      },
    };
  });
  await stepDone(input, `cyber:day:${date}`);
}

/** CYB-5: after the last day the engagement closes; deliverables are owed until the due date. */
async function closeCyberEngagement(input: StepInput, context: InvocationContext): Promise<void> {
  let closed: CyberEngagementRecord | undefined;
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await engagement(input.resourceId);
    if (!record || ['closed', 'lapsed', 'cancelled'].includes(record.status)) return null;
    closed = { ...record, status: 'closed' };
    return {
      workOrder: current,
      change: {
        resources: [resource(closed)],
        timeline: [
          {
            key: `cyber-${record.id}-closed`,
            at: input.at,
            kind: 'cyberEngagementClosed',
            rule: 'CYB-5',
            detail: `${record.offering} closed; deliverables due by ${record.deliverablesDueBy}.`,
          },
        ],
      },
    };
  });
  closed ??= await engagement(input.resourceId);
  if (closed)
    context.extraOutputs.set(lifecycleNotifications, {
      notificationId: `cyberEngagementClosed:${closed.id}`,
      kind: 'cyberEngagementClosed',
      rule: 'CYB-5',
      at: input.at,
      workOrderId: closed.workOrderId,
      engagementId: closed.id,
      deliverablesDueBy: closed.deliverablesDueBy,
    });
  await stepDone(input, 'cyber:closed');
}

/** CYB-5: the deliverables obligation lapses at the end of its lapse date. */
async function lapseCyberDeliverables(input: StepInput, context: InvocationContext): Promise<void> {
  let lapsed: CyberEngagementRecord | undefined;
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await engagement(input.resourceId);
    if (!record || record.status === 'lapsed' || record.status === 'cancelled') return null;
    lapsed = { ...record, status: 'lapsed' };
    return {
      workOrder: current,
      change: {
        resources: [resource(lapsed)],
        timeline: [
          {
            key: `cyber-${record.id}-lapsed`,
            at: input.at,
            kind: 'cyberDeliverablesLapsed',
            rule: 'CYB-5',
            detail: `${record.offering}: the deliverables obligation lapsed after ${record.obligationLapsesOn}.`,
          },
        ],
      },
    };
  });
  lapsed ??= await engagement(input.resourceId);
  if (lapsed)
    context.extraOutputs.set(lifecycleNotifications, {
      notificationId: `cyberDeliverablesLapsed:${lapsed.id}`,
      kind: 'cyberDeliverablesLapsed',
      rule: 'CYB-5',
      at: input.at,
      workOrderId: lapsed.workOrderId,
      engagementId: lapsed.id,
    });
  await stepDone(input, 'cyber:lapsed');
}

/** A cancelled engagement gives back the days it had not used (ENT-1). */
async function cancelCyberEngagement(input: {
  resourceId: string;
  workOrderId: string;
  at: string;
  reason: string | null;
}): Promise<void> {
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await engagement(input.resourceId);
    if (!record || ['closed', 'lapsed', 'cancelled'].includes(record.status)) return null;
    const unused = record.days - record.deliveredDates.length;
    const entitlements =
      unused > 0
        ? replaceEntitlement(
            current.entitlements,
            releaseEntitlement(findEntitlement(current.entitlements, record.offering), unused),
          )
        : [...current.entitlements];
    return {
      workOrder: { ...current, entitlements },
      change: {
        resources: [resource({ ...record, status: 'cancelled' })],
        timeline: [
          {
            key: `cyber-${record.id}-cancelled`,
            at: input.at,
            kind: 'cyberEngagementCancelled',
            rule: 'ENT-1',
            detail: `${record.offering} cancelled; ${unused} day(s) released.`,
          },
        ],
      },
    };
  });
}

const outputs = { extraOutputs: [lifecycleNotifications] };
df.app.activity(CYBER_ACTIVITIES.dayDelivered, { handler: (input: StepInput) => recordCyberDayDelivered(input) });
df.app.activity(CYBER_ACTIVITIES.close, {
  ...outputs,
  handler: (input: StepInput, context) => closeCyberEngagement(input, context),
});
df.app.activity(CYBER_ACTIVITIES.lapse, {
  ...outputs,
  handler: (input: StepInput, context) => lapseCyberDeliverables(input, context),
});
df.app.activity(CYBER_ACTIVITIES.cancel, {
  handler: (input: { resourceId: string; workOrderId: string; at: string; reason: string | null }) =>
    cancelCyberEngagement(input),
});
