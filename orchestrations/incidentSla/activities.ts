import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { clockOf, recordDueTimer, type Incident, type IncidentClock } from '../../domain/incidents/incident';
import { ConcurrencyConflict, type IncidentStore } from '../../domain/incidents/incidentStore';
import { services } from '../../infra/compositionRoot';
import { lifecycleNotifications } from '../../infra/messaging/lifecycleNotifications';
import { RECORD_FIRST_RESPONSE_DUE, SEND_BREACH_CORRECTION, SEND_FIRST_RESPONSE_WARNING } from './names';

interface DueInput {
  incidentId: string;
  dueAt: string;
}

function notification(kind: string, incident: Incident, at: string) {
  return {
    notificationId: `${kind}:${incident.incidentId}:${incident.firstResponse.dueAt}`,
    kind,
    at,
    workOrderId: incident.workOrderId,
    incidentId: incident.incidentId,
    severity: incident.severity,
    plan: incident.firstResponse.plan,
    targetMinutes: incident.firstResponse.targetMinutes,
    dueAt: incident.firstResponse.dueAt,
  };
}

/** Read-modify-write with the incident's ETag, retried when a ticket event changed it meanwhile. */
async function updateIncident(
  store: IncidentStore,
  incidentId: string,
  change: (incident: Incident) => {
    incident: Incident;
    timeline: Array<{ at: string; kind: string; rule?: string; detail: string }>;
  },
) {
  for (let attempt = 1; ; attempt++) {
    const stored = await store.get(incidentId);
    if (!stored) return undefined;
    const next = change(stored.incident);
    if (next.timeline.length === 0) return next.incident;
    try {
      await store.save(next.incident, { etag: stored.etag, timeline: next.timeline });
      return next.incident;
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict) || attempt >= 5) throw error;
    }
  }
}

/** The due timer fired: record the breach (unless answered or re-timed meanwhile) and announce it. Idempotent. */
async function recordFirstResponseDue(input: DueInput, context: InvocationContext): Promise<IncidentClock | null> {
  const store = services().incidents;
  const incident = await updateIncident(store, input.incidentId, (current) => {
    const change = recordDueTimer(current, input.dueAt, services().clock.now());
    return {
      incident: change.incident,
      timeline: change.changes.map((c) => ({
        at: input.dueAt,
        kind: c.kind,
        rule: c.rule,
        detail: `${current.incidentId}: ${c.detail}`,
      })),
    };
  });
  if (!incident) return null;
  const fr = incident.firstResponse;
  if (fr.state === 'breached' && fr.dueAt === input.dueAt && fr.respondedAt === null) {
    context.extraOutputs.set(lifecycleNotifications, notification('firstResponseBreached', incident, input.dueAt));
  }
  return clockOf(incident);
}

/** 80 % of the target has passed without a first response: warn (once per due time; replays send the same ID). */
async function sendFirstResponseWarning(input: DueInput, context: InvocationContext): Promise<void> {
  const store = services().incidents;
  const incident = await updateIncident(store, input.incidentId, (current) => {
    const pending = current.firstResponse.state === 'pending' && current.firstResponse.dueAt === input.dueAt;
    return {
      incident: current,
      timeline: pending
        ? [
            {
              at: current.warningAt,
              kind: 'firstResponseWarning',
              detail: `${current.incidentId}: first response due ${input.dueAt}, not yet given.`,
            },
          ]
        : [],
    };
  });
  if (incident && incident.firstResponse.state === 'pending' && incident.firstResponse.dueAt === input.dueAt) {
    context.extraOutputs.set(
      lifecycleNotifications,
      notification('firstResponseWarning', incident, incident.warningAt),
    );
  }
}

/**
 * RESP-LATE: a breach already announced was taken back by a late event (a response in time, or a due time that moved
 * later): the correction is announced too, once per breached due time. The timeline entry came with the event.
 */
async function sendBreachCorrection(input: DueInput, context: InvocationContext): Promise<void> {
  const stored = await services().incidents.get(input.incidentId);
  if (!stored) return;
  const fr = stored.incident.firstResponse;
  if (fr.state === 'breached') return;
  context.extraOutputs.set(lifecycleNotifications, {
    ...notification('firstResponseBreachCorrected', stored.incident, services().clock.now().toISOString()),
    notificationId: `firstResponseBreachCorrected:${input.incidentId}:${input.dueAt}`,
    breachedDueAt: input.dueAt,
    state: fr.state,
    respondedAt: fr.respondedAt,
  });
}

df.app.activity(SEND_BREACH_CORRECTION, {
  extraOutputs: [lifecycleNotifications],
  handler: (input: DueInput, context) => sendBreachCorrection(input, context),
});
df.app.activity(RECORD_FIRST_RESPONSE_DUE, {
  extraOutputs: [lifecycleNotifications],
  handler: (input: DueInput, context) => recordFirstResponseDue(input, context),
});
df.app.activity(SEND_FIRST_RESPONSE_WARNING, {
  extraOutputs: [lifecycleNotifications],
  handler: (input: DueInput, context) => sendFirstResponseWarning(input, context),
});
