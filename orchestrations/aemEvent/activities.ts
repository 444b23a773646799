import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { nextFollowUp, postEventSummary } from '../../domain/aem/aemBooking';
import { AEM_ACTIVITIES, aemDueKind, type AemBookingRecord } from '../../domain/aem/aemRecord';
import {
  consumeReserved,
  findEntitlement,
  releaseEntitlement,
  replaceEntitlement,
} from '../../domain/workOrder/entitlements';
import type { PhasedStep } from '../../domain/lifecycle/phasedSteps';
import { services } from '../../infra/compositionRoot';
import { lifecycleNotifications } from '../../infra/messaging/lifecycleNotifications';
import { updateWorkOrder } from '../workOrderUpdate';

interface StepInput {
  resourceId: string;
  workOrderId: string;
  phase: string;
  at: string;
  input?: { event?: number; followUp?: boolean } | null;
}

const PHASE_ORDER = ['planned', 'assessment', 'live', 'postEvent', 'closed', 'cancelled'];
/** Phases only move forward, so a replayed step (activities run at least once) changes nothing. */
const isBehind = (current: string, next: string) => PHASE_ORDER.indexOf(current) < PHASE_ORDER.indexOf(next);

async function stepDone(input: StepInput): Promise<void> {
  const kind = aemDueKind({ at: input.at, activity: '', phase: input.phase, input: input.input ?? undefined });
  await services().dueIndex.markDone(
    { dueAt: input.at, kind, resourceId: input.resourceId },
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

/**
 * AEM-5 / AEM-6: the booking enters its assessment, or one of its events' own window starts: that event is consumed
 * (ENT-1), the later ones stay reserved.
 */
async function startAemPhase(input: StepInput, context: InvocationContext): Promise<void> {
  const event = input.input?.event ?? 0;
  let updated: AemBookingRecord | undefined;
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await booking(input.resourceId);
    if (!record || record.phase === 'cancelled' || record.phase === 'closed') return null;
    const consume = input.phase === 'live' ? Math.min(event + 1, record.events.length) - record.consumed : 0;
    if (!isBehind(record.phase, input.phase) && consume <= 0) return null; // this step already ran
    const entitlements =
      consume > 0
        ? replaceEntitlement(
            current.entitlements,
            consumeReserved(findEntitlement(current.entitlements, 'AEM'), consume),
          )
        : [...current.entitlements];
    const phase = isBehind(record.phase, input.phase) ? (input.phase as AemBookingRecord['phase']) : record.phase;
    updated = { ...record, phase, consumed: record.consumed + Math.max(0, consume) };
    const window = record.events[event];
    return {
      workOrder: { ...current, entitlements },
      change: {
        resources: [{ kind: 'aem', id: record.id, workOrderId: record.workOrderId, data: updated }],
        timeline: [
          {
            key: `aem-${record.id}-${input.phase}${event > 0 ? `-${event}` : ''}`,
            at: input.at,
            kind: 'aemPhaseStarted',
            rule: input.phase === 'live' ? 'AEM-6' : 'AEM-5',
            detail:
              input.phase === 'live'
                ? `AEM event ${record.solutionName} (${record.id}): event ${event + 1} of ${record.events.length} (${window?.start} to ${window?.end}) is live; ${consume} AEM event(s) consumed.`
                : `AEM event ${record.solutionName} (${record.id}) is in its ${input.phase} phase${record.assessment === 'limited' ? ' (limited assessment: short notice, AEM-3)' : ''}.`,
          },
        ],
      },
    };
  });
  updated ??= await booking(input.resourceId);
  if (updated && updated.phase === input.phase && (input.phase !== 'live' || event === 0))
    context.extraOutputs.set(lifecycleNotifications, notice(updated, 'aemPhaseStarted', input.at));
  await stepDone(input);
}

/**
 * AEM-7: after the window, a summary of every case opened during it with each case's state; while some are
 * unresolved the provider follows them (the lifecycle calls again at `repeatAt`, up to the configured limit).
 */
async function summariseAemEvent(input: StepInput, context: InvocationContext): Promise<{ repeatAt: string | null }> {
  const incidents = (await services().incidents.listByWorkOrder(input.workOrderId, { limit: 1000 })).items;
  const checkedAt = services().clock.now().toISOString();
  let updated: AemBookingRecord | undefined;
  let changed = false;
  await updateWorkOrder(input.workOrderId, async (current) => {
    const record = await booking(input.resourceId);
    if (!record || record.phase === 'cancelled' || record.phase === 'closed') return null;
    const summary = postEventSummary(
      record.phases.live,
      incidents.map((i) => ({ incidentId: i.incidentId, openedAt: i.openedAt, status: i.status })),
    );
    const checks = (record.followUp?.checks ?? 0) + 1;
    const nextCheckAt = nextFollowUp(summary, record.phases.live.to, checkedAt, services().catalogue);
    const first = record.summary === null;
    updated = {
      ...record,
      phase: summary.allResolved ? 'closed' : 'postEvent',
      summary,
      followUp: { checks, lastCheckedAt: checkedAt, nextCheckAt },
    };
    changed =
      first || JSON.stringify(record.summary) !== JSON.stringify(summary) || summary.allResolved || !nextCheckAt;
    const state = summary.caseStates.map((c) => `${c.incidentId} ${c.status}`).join(', ') || 'no cases';
    const detail = first
      ? `AEM event ${record.solutionName}: ${summary.cases.length} case(s) opened in the window, ${summary.unresolved.length} unresolved (${state}).`
      : summary.allResolved
        ? `AEM event ${record.solutionName}: every case of the window is resolved (${state}); the event is closed.`
        : nextCheckAt
          ? `AEM event ${record.solutionName}: ${summary.unresolved.length} case(s) still unresolved (${state}).`
          : `AEM event ${record.solutionName}: follow-up limit reached with ${summary.unresolved.length} case(s) unresolved (${state}).`;
    return {
      workOrder: current,
      change: {
        resources: [{ kind: 'aem', id: record.id, workOrderId: record.workOrderId, data: updated }],
        timeline: changed
          ? [
              {
                key: `aem-${record.id}-summary${first ? '' : `-${checks}`}`,
                at: first ? input.at : checkedAt,
                kind: first ? 'aemPostEventSummary' : summary.allResolved ? 'aemCasesResolved' : 'aemFollowUp',
                rule: 'AEM-7',
                detail,
              },
            ]
          : [],
      },
    };
  });
  updated ??= await booking(input.resourceId);
  if (updated?.summary && changed)
    context.extraOutputs.set(lifecycleNotifications, {
      ...notice(updated, 'aemPostEventSummary', input.at, { summary: updated.summary }),
      notificationId: `aemPostEventSummary:${updated.id}:${updated.followUp?.checks ?? 1}`,
    });
  if (!input.input?.followUp) await stepDone(input); // follow-up checks are not in the due index
  return { repeatAt: updated?.phase === 'postEvent' ? (updated.followUp?.nextCheckAt ?? null) : null };
}

/** AEM-8: a cancelled booking releases the events it had not used (ENT-1). */
async function cancelAemEvent(
  input: {
    resourceId: string;
    workOrderId: string;
    at: string;
    reason: string | null;
    remaining?: PhasedStep[];
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
    await index.markDone({ dueAt: step.at, kind: aemDueKind(step), resourceId: input.resourceId }, input.at);
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
