import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { postEventSummary } from '../../domain/aem/aemBooking';
import { AEM_ACTIVITIES, type AemBookingRecord } from '../../domain/aem/aemRecord';
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
}

const PHASE_ORDER = ['planned', 'assessment', 'live', 'postEvent', 'closed', 'cancelled'];
/** Phases only move forward, so a replayed step (activities run at least once) changes nothing. */
const isBehind = (current: string, next: string) => PHASE_ORDER.indexOf(current) < PHASE_ORDER.indexOf(next);

async function stepDone(input: StepInput): Promise<void> {
  await services().dueIndex.markDone(
    { dueAt: input.at, kind: `aem:${input.phase}`, resourceId: input.resourceId },
    services().clock.now().toISOString(),
  );
}

async function booking(id: string): Promise<AemBookingRecord | undefined> {
  return (await services().workOrders.findResource<AemBookingRecord>('aem', id))?.data;
}

function notice(record: AemBookingRecord, kind: string, at: string, extra: Record<string, unknown> = {}) {
  return {
    notificationId: `${kind}:${record.id}:${record.phase}`,
    kind,
    at,
    workOrderId: record.workOrderId,
    aemEventId: record.id,
    solutionName: record.solutionName,
    phase: record.phase,
    ...extra,
  };
}

/** AEM-5 / AEM-6: the booking enters its assessment or live window; going live consumes its events (ENT-1). */
async function startAemPhase(input: StepInput, context: InvocationContext): Promise<void> {
  let updated: AemBookingRecord | undefined;
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await booking(input.resourceId);
    if (!record || !isBehind(record.phase, input.phase)) return null;
    const consume = input.phase === 'live' ? record.events.length - record.consumed : 0;
    const entitlements =
      consume > 0
        ? replaceEntitlement(
            current.entitlements,
            consumeReserved(findEntitlement(current.entitlements, 'AEM'), consume),
          )
        : [...current.entitlements];
    updated = { ...record, phase: input.phase as AemBookingRecord['phase'], consumed: record.consumed + consume };
    return {
      workOrder: { ...current, entitlements },
      change: {
        resources: [{ kind: 'aem', id: record.id, workOrderId: record.workOrderId, data: updated }],
        timeline: [
          {
            key: `aem-${record.id}-${input.phase}`,
            at: input.at,
            kind: 'aemPhaseStarted',
            rule: input.phase === 'live' ? 'AEM-6' : 'AEM-5',
            detail: `AEM event ${record.solutionName} (${record.id}) is in its ${input.phase} phase${input.phase === 'assessment' && record.assessment === 'limited' ? ' (limited assessment: short notice, AEM-3)' : ''}.`,
          },
        ],
      },
    };
  });
  updated ??= await booking(input.resourceId);
  if (updated && updated.phase === input.phase)
    context.extraOutputs.set(lifecycleNotifications, notice(updated, 'aemPhaseStarted', input.at));
  await stepDone(input);
}

/** AEM-7: after the window, a summary of every case opened during it, and whether they are resolved. */
async function summariseAemEvent(input: StepInput, context: InvocationContext): Promise<void> {
  const incidents = (await services().incidents.listByWorkOrder(input.workOrderId, { limit: 1000 })).items;
  let updated: AemBookingRecord | undefined;
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await booking(input.resourceId);
    if (!record || record.summary || record.phase === 'cancelled') return null;
    const summary = postEventSummary(
      record.phases.live,
      incidents.map((i) => ({ incidentId: i.incidentId, openedAt: i.openedAt, status: i.status })),
    );
    updated = { ...record, phase: summary.allResolved ? 'closed' : 'postEvent', summary };
    return {
      workOrder: current,
      change: {
        resources: [{ kind: 'aem', id: record.id, workOrderId: record.workOrderId, data: updated }],
        timeline: [
          {
            key: `aem-${record.id}-summary`,
            at: input.at,
            kind: 'aemPostEventSummary',
            rule: 'AEM-7',
            detail: `AEM event ${record.solutionName}: ${summary.cases.length} case(s) opened in the window, ${summary.unresolved.length} unresolved.`,
          },
        ],
      },
    };
  });
  updated ??= await booking(input.resourceId);
  if (updated?.summary)
    context.extraOutputs.set(
      lifecycleNotifications,
      notice(updated, 'aemPostEventSummary', input.at, { summary: updated.summary }),
    );
  await stepDone(input);
}

/** AEM-8: a cancelled booking releases the events it had not used (ENT-1). */
async function cancelAemEvent(
  input: {
    resourceId: string;
    workOrderId: string;
    at: string;
    reason: string | null;
    remaining?: Array<{ at: string; phase: string }>;
  },
  context: InvocationContext,
): Promise<void> {
  let updated: AemBookingRecord | undefined;
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await booking(input.resourceId);
    if (!record || record.phase === 'cancelled') return null;
    const release = record.events.length - record.consumed;
    const entitlements =
      release > 0
        ? replaceEntitlement(
            current.entitlements,
            releaseEntitlement(findEntitlement(current.entitlements, 'AEM'), release),
          )
        : [...current.entitlements];
    updated = { ...record, phase: 'cancelled', cancelledAt: input.at };
    return {
      workOrder: { ...current, entitlements },
      change: {
        resources: [{ kind: 'aem', id: record.id, workOrderId: record.workOrderId, data: updated }],
        timeline: [
          {
            key: `aem-${record.id}-cancelled`,
            at: input.at,
            kind: 'aemEventCancelled',
            rule: 'AEM-8',
            detail: `AEM event ${record.solutionName} cancelled${input.reason ? `: ${input.reason}` : ''}; ${release} event(s) released.`,
          },
        ],
      },
    };
  });
  updated ??= await booking(input.resourceId);
  if (updated?.phase === 'cancelled')
    context.extraOutputs.set(lifecycleNotifications, notice(updated, 'aemEventCancelled', input.at));
  const index = services().dueIndex;
  for (const step of input.remaining ?? [])
    await index.markDone({ dueAt: step.at, kind: `aem:${step.phase}`, resourceId: input.resourceId }, input.at);
}

const outputs = { extraOutputs: [lifecycleNotifications] };
df.app.activity(AEM_ACTIVITIES.startPhase, {
  ...outputs,
  handler: (input: StepInput, context) => startAemPhase(input, context),
});
df.app.activity(AEM_ACTIVITIES.summarise, {
  ...outputs,
  handler: (input: StepInput, context) => summariseAemEvent(input, context),
});
df.app.activity(AEM_ACTIVITIES.cancel, {
  ...outputs,
  handler: (input: { resourceId: string; workOrderId: string; at: string; reason: string | null }, context) =>
    cancelAemEvent(input, context),
});
