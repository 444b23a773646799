import type { z } from 'zod';
import {
  aemPhaseDates,
  mayCancelAemEvent,
  nextFollowUp,
  planAemBooking,
  postEventSummary,
  type aemEventRequestSchema,
} from '../domain/aem/aemBooking';
import type { AemBookingRecord } from '../domain/aem/aemRecord';
import type { PhasedStep } from '../domain/lifecycle/phasedSteps';
import { RuleViolation } from '../domain/ruleViolation';
import { consume, release, reserve } from '../domain/workOrder/entitlements';
import { effectiveTerm } from '../domain/workOrder/term';
import { AEM_EVENT_LIFECYCLE, LIFECYCLE_CHANGED, aemEventInstanceId } from '../orchestrations/phasedLifecycle/names';
import { book, type BookingKind } from './bookings';
import { changeResource } from './changeResource';
import type { Guard } from './changeWorkOrder';
import { aemDueKey, aemLifecycle } from './dueItems';
import { NotFound } from './errors';
import type { Lifecycles, Notification, Services } from './services';

/**
 * Splits the period into back-to-back events (AEM-2), checks notice (AEM-3), cloud (AEM-4) and the events left
 * (ENT-1), reserves them and starts the booking's lifecycle.
 */
export async function bookAemEvent(
  services: Services,
  lifecycles: Lifecycles,
  workOrderId: string,
  input: z.output<typeof aemEventRequestSchema>,
  guard: Guard,
): Promise<AemBookingRecord> {
  return book(services, lifecycles, workOrderId, guard, AEM_BOOKING, (current, id) => {
    const remaining = current.entitlements.find((e) => e.serviceCode === 'AEM')?.remaining ?? 0;
    const plan = planAemBooking(input, {
      remainingEvents: remaining,
      catalogue: services.catalogue,
      term: effectiveTerm(current),
    }); // rules AEM-1..4, ENT-1, EXP-1
    const { status: _planned, ...booking } = plan;
    const data: AemBookingRecord = {
      ...booking,
      id,
      workOrderId: current.id,
      cloud: input.cloud,
      timeZone: current.host.timeZone,
      phases: aemPhaseDates(plan, current.host.timeZone, services.catalogue),
      phase: 'planned',
      consumed: 0,
      summary: null,
      cancelledAt: null,
    };
    return {
      data,
      entitlements: reserve(current.entitlements, 'AEM', plan.events.length),
      entry: {
        kind: 'aemEventBooked',
        rule: 'AEM-2',
        detail: `AEM for ${plan.solutionName}: ${plan.events.length} event(s) from ${plan.events[0]?.start}${plan.shortNotice ? ` on short notice (${plan.noticeDays} days, accepted by the provider; AEM-3)` : ''}.`,
      },
    };
  });
}

const AEM_BOOKING: BookingKind<AemBookingRecord> = {
  kind: 'aem',
  orchestration: AEM_EVENT_LIFECYCLE,
  instanceId: aemEventInstanceId,
  lifecycle: aemLifecycle,
};

/** The provider cancels when the customer cannot provide resources (AEM-8): the booking's lifecycle is told. */
export async function requestAemEventCancellation(
  services: Services,
  lifecycles: Lifecycles,
  bookingId: string,
  input: { reason: string },
): Promise<{ id: string; status: 'cancelling' }> {
  const found = await services.workOrders.findResource<AemBookingRecord>('aem', bookingId);
  if (!found) throw new NotFound(`AEM event ${bookingId}`);
  if (!mayCancelAemEvent(found.data.phase, true))
    throw new RuleViolation(
      'AEM-8',
      `An AEM event in its ${found.data.phase} phase can no longer be cancelled.`,
      '',
      409,
    ); // rule AEM-8
  await lifecycles.signal(aemEventInstanceId(found.id), LIFECYCLE_CHANGED, {
    kind: 'cancelled',
    at: services.clock.now().toISOString(),
    reason: input.reason,
  });
  return { id: found.id, status: 'cancelling' };
}

/** One dated step of a booking's lifecycle, as the phased lifecycle hands it to its activity. */
export interface AemStep {
  resourceId: string;
  workOrderId: string;
  phase: string;
  at: string;
  input?: { event?: number; followUp?: boolean } | null;
}

const PHASE_ORDER = ['planned', 'assessment', 'live', 'postEvent', 'closed', 'cancelled'];
/** Phases only move forward, so a replayed step (activities run at least once) changes nothing. */
const isBehind = (current: string, next: string) => PHASE_ORDER.indexOf(current) < PHASE_ORDER.indexOf(next);

async function stepDone(services: Services, step: AemStep): Promise<void> {
  const phased = { at: step.at, activity: '', phase: step.phase, input: step.input ?? undefined };
  await services.dueIndex.markDone(aemDueKey(step.resourceId, phased), services.clock.now().toISOString());
}

/**
 * AEM-5 / AEM-6: the booking enters its assessment, or one of its events' own window starts: that event is consumed
 * (ENT-1), the later ones stay reserved.
 */
export async function startAemPhase(services: Services, step: AemStep): Promise<Notification | null> {
  const event = step.input?.event ?? 0;
  const updated = await changeResource<AemBookingRecord>(services, 'aem', step, (record, current) => {
    if (record.phase === 'cancelled' || record.phase === 'closed') return null;
    const consumed = step.phase === 'live' ? Math.min(event + 1, record.events.length) - record.consumed : 0;
    if (!isBehind(record.phase, step.phase) && consumed <= 0) return null; // this step already ran
    const phase = isBehind(record.phase, step.phase) ? (step.phase as AemBookingRecord['phase']) : record.phase;
    const window = record.events[event];
    return {
      record: { ...record, phase, consumed: record.consumed + Math.max(0, consumed) },
      workOrder: { ...current, entitlements: consume(current.entitlements, 'AEM', consumed) },
      timeline: {
        key: `aem-${record.id}-${step.phase}${event > 0 ? `-${event}` : ''}`,
        at: step.at,
        kind: 'aemPhaseStarted',
        rule: step.phase === 'live' ? 'AEM-6' : 'AEM-5',
        detail:
          step.phase === 'live'
            ? `AEM event ${record.solutionName} (${record.id}): event ${event + 1} of ${record.events.length} (${window?.start} to ${window?.end}) is live; ${consumed} AEM event(s) consumed.`
            : `AEM event ${record.solutionName} (${record.id}) is in its ${step.phase} phase${record.assessment === 'limited' ? ' (limited assessment: short notice, AEM-3)' : ''}.`,
      },
    };
  });
  await stepDone(services, step);
  return updated && updated.phase === step.phase && (step.phase !== 'live' || event === 0)
    ? notice(updated, 'aemPhaseStarted', step.at)
    : null;
}

/**
 * AEM-7: after the window, a summary of every case opened during it with each case's state; while some are
 * unresolved the provider follows them (the lifecycle calls again at `repeatAt`, up to the configured limit).
 */
export async function summariseAemEvent(
  services: Services,
  step: AemStep,
): Promise<{ notification: Notification | null; output: { repeatAt: string | null } }> {
  const incidents = (await services.incidents.listByWorkOrder(step.workOrderId, { limit: 1000 })).items;
  const checkedAt = services.clock.now().toISOString();
  let changed = false;
  const updated = await changeResource<AemBookingRecord>(services, 'aem', step, (record, current) => {
    if (record.phase === 'cancelled' || record.phase === 'closed') return null;
    const summary = postEventSummary(
      record.phases.live,
      incidents.map((i) => ({ incidentId: i.incidentId, openedAt: i.openedAt, status: i.status })),
    );
    const checks = (record.followUp?.checks ?? 0) + 1;
    const nextCheckAt = nextFollowUp(summary, record.phases.live.to, checkedAt, services.catalogue);
    const first = record.summary === null;
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
      record: {
        ...record,
        phase: summary.allResolved ? 'closed' : 'postEvent',
        summary,
        followUp: { checks, lastCheckedAt: checkedAt, nextCheckAt },
      },
      workOrder: current,
      timeline: changed
        ? {
            key: `aem-${record.id}-summary${first ? '' : `-${checks}`}`,
            at: first ? step.at : checkedAt,
            kind: first ? 'aemPostEventSummary' : summary.allResolved ? 'aemCasesResolved' : 'aemFollowUp',
            rule: 'AEM-7',
            detail,
          }
        : null,
    };
  });
  if (!step.input?.followUp) await stepDone(services, step); // follow-up checks are not in the due index
  return {
    notification:
      updated?.summary && changed
        ? {
            ...notice(updated, 'aemPostEventSummary', step.at, { summary: updated.summary }),
            notificationId: `aemPostEventSummary:${updated.id}:${updated.followUp?.checks ?? 1}`,
          }
        : null,
    output: { repeatAt: updated?.phase === 'postEvent' ? (updated.followUp?.nextCheckAt ?? null) : null },
  };
}

/** AEM-8: a cancelled booking releases the events it had not used (ENT-1); its remaining due items are done. */
export async function cancelAemEvent(
  services: Services,
  input: { resourceId: string; workOrderId: string; at: string; reason: string | null; remaining?: PhasedStep[] },
): Promise<Notification | null> {
  const updated = await changeResource<AemBookingRecord>(services, 'aem', input, (record, current) => {
    if (record.phase === 'cancelled') return null;
    const unused = record.events.length - record.consumed;
    return {
      record: { ...record, phase: 'cancelled', cancelledAt: input.at },
      workOrder: { ...current, entitlements: release(current.entitlements, 'AEM', unused) },
      timeline: {
        key: `aem-${record.id}-cancelled`,
        at: input.at,
        kind: 'aemEventCancelled',
        rule: 'AEM-8',
        detail: `AEM event ${record.solutionName} cancelled${input.reason ? `: ${input.reason}` : ''}; ${unused} event(s) released.`,
      },
    };
  });
  for (const step of input.remaining ?? [])
    await services.dueIndex.markDone(aemDueKey(input.resourceId, step), input.at);
  return updated?.phase === 'cancelled' ? notice(updated, 'aemEventCancelled', input.at) : null;
}

function notice(record: AemBookingRecord, kind: string, at: string, extra: Record<string, unknown> = {}): Notification {
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

/** The incidents opened during an AEM event's live window (AEM-5, AEM-6), as the event's view lists them. */
export async function incidentsDuringAemEvent(services: Services, record: AemBookingRecord) {
  const window = record.phases.live;
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  return (await services.incidents.listByWorkOrder(record.workOrderId, { limit: 1000 })).items
    .filter((i) => Date.parse(i.openedAt) >= from && Date.parse(i.openedAt) < to)
    .map((i) => ({
      incidentId: i.incidentId,
      openedAt: i.openedAt,
      status: i.status,
      severity: i.severity,
      firstResponse: i.firstResponse,
    }));
}
