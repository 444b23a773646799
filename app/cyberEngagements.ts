import type { z } from 'zod';
import {
  assertReadyForProductionWork,
  declineDeliverables,
  planCyberEngagement,
  planExtension,
  type cyberEngagementRequestSchema,
} from '../domain/cyber/cyberEngagement';
import { CYBER_ACTIVITIES, type CyberEngagementRecord } from '../domain/cyber/cyberRecord';
import { consume, release, reserve } from '../domain/workOrder/entitlements';
import { effectiveTerm } from '../domain/workOrder/term';
import { localDateIn } from '../domain/calendar/businessCalendar';
import {
  CYBER_ENGAGEMENT_LIFECYCLE,
  LIFECYCLE_CHANGED,
  cyberEngagementInstanceId,
} from '../orchestrations/phasedLifecycle/names';
import { book, type BookingKind } from './bookings';
import { changeResource } from './changeResource';
import { decideOnWorkOrder, type Guard } from './changeWorkOrder';
import { cyberDueKey, cyberLifecycle } from './dueItems';
import { NotFound } from './errors';
import type { Lifecycles, Notification, Services, Warn } from './services';

/**
 * CYB-2 minimum length, ENT-1 against the purchased days of the offering (reserved), CYB-4 schedule of 8-hour
 * days, CYB-5 deliverable dates; starts the engagement's lifecycle.
 */
export async function bookCyberEngagement(
  services: Services,
  lifecycles: Lifecycles,
  workOrderId: string,
  input: z.output<typeof cyberEngagementRequestSchema>,
  guard: Guard,
): Promise<CyberEngagementRecord> {
  return book(services, lifecycles, workOrderId, guard, CYBER_BOOKING, (current, id) => {
    const held = current.entitlements.find((e) => e.serviceCode === input.offering);
    const plan = planCyberEngagement(input, {
      remainingDays: held?.remaining ?? 0,
      catalogue: services.catalogue,
      term: effectiveTerm(current),
    }); // rules CYB-2, CYB-3, CYB-4, CYB-5, ENT-1, EXP-1
    const data: CyberEngagementRecord = {
      ...plan,
      id,
      workOrderId: current.id,
      status: 'scheduled',
      deliveredDates: [],
      acknowledgements: null,
      extensionBlocks: 0,
    };
    return {
      data,
      entitlements: reserve(current.entitlements, input.offering, plan.days),
      entry: {
        kind: 'cyberEngagementBooked',
        rule: 'CYB-4',
        detail: `${plan.offering}: ${plan.days} day(s) from ${plan.schedule[0]?.date} (${plan.timeZone}); deliverables due by ${plan.deliverablesDueBy}.`,
      },
    };
  });
}

const CYBER_BOOKING: BookingKind<CyberEngagementRecord> = {
  kind: 'cyber',
  orchestration: CYBER_ENGAGEMENT_LIFECYCLE,
  instanceId: cyberEngagementInstanceId,
  lifecycle: cyberLifecycle,
};

/** CYB-3 blocks of 5 days of 8 hours after the last day (ENT-1 reserves them); the lifecycle is rescheduled. */
export async function extendCyberEngagement(
  services: Services,
  lifecycles: Lifecycles,
  engagementId: string,
  input: { blocks: number },
  guard: Guard,
): Promise<CyberEngagementRecord> {
  const store = services.workOrders;
  const found = await store.findResource<CyberEngagementRecord>('cyber', engagementId);
  if (!found) throw new NotFound(`Cyber engagement ${engagementId}`);
  const now = services.clock.now().toISOString();
  const { result: record } = await decideOnWorkOrder(
    services,
    found.workOrderId,
    async (current) => {
      const engagement = (await store.findResource<CyberEngagementRecord>('cyber', found.id))!.data;
      const held = current.entitlements.find((e) => e.serviceCode === engagement.offering);
      const plan = planExtension(engagement, input.blocks, {
        remainingDays: held?.remaining ?? 0,
        catalogue: services.catalogue,
        term: effectiveTerm(current),
      }); // rules CYB-3, ENT-1, EXP-1
      const data: CyberEngagementRecord = {
        ...engagement,
        ...plan,
        extensionBlocks: engagement.extensionBlocks + input.blocks,
      };
      return {
        workOrder: {
          ...current,
          entitlements: reserve(current.entitlements, engagement.offering, plan.days - engagement.days),
        },
        change: {
          resources: [{ kind: 'cyber', id: found.id, workOrderId: current.id, data }],
          timeline: [
            {
              at: now,
              kind: 'cyberEngagementExtended',
              rule: 'CYB-3',
              detail: `${engagement.offering} extended by ${input.blocks} block(s) of 5 days; deliverables now due by ${plan.deliverablesDueBy}.`,
            },
          ],
        },
        result: data,
      };
    },
    guard,
  );
  const lifecycle = cyberLifecycle(record, now);
  await services.dueIndex.put(lifecycle.due);
  await lifecycles.signal(cyberEngagementInstanceId(record.id), LIFECYCLE_CHANGED, {
    kind: 'rescheduled',
    steps: lifecycle.input.steps,
  });
  return record;
}

/** CYB-6 (and CUST-BACKUP): the acknowledgements required before work on production. */
export async function acknowledgeCyberEngagement(
  services: Services,
  engagementId: string,
  input: { toolsDeployed: boolean; adminAccountsProvided: boolean; validBackupConfirmed: boolean },
  guard: Guard,
): Promise<CyberEngagementRecord> {
  assertReadyForProductionWork(input); // rule CYB-6
  const store = services.workOrders;
  const found = await store.findResource<CyberEngagementRecord>('cyber', engagementId);
  if (!found) throw new NotFound(`Cyber engagement ${engagementId}`);
  const at = services.clock.now().toISOString();
  const { result } = await decideOnWorkOrder(
    services,
    found.workOrderId,
    async (current) => {
      const data: CyberEngagementRecord = {
        ...(await store.findResource<CyberEngagementRecord>('cyber', found.id))!.data,
        acknowledgements: { ...input, at },
      };
      return {
        workOrder: current,
        change: {
          resources: [{ kind: 'cyber', id: found.id, workOrderId: current.id, data }],
          timeline: [
            {
              at,
              kind: 'cyberAcknowledged',
              rule: 'CYB-6',
              detail: 'Tools deployed, admin accounts provided and a valid backup confirmed before work on production.',
            },
          ],
        },
        result: data,
      };
    },
    guard,
  );
  return result;
}

/**
 * The customer declines the deliverables: the obligation lapses that day (CYB-5); the engagement's lifecycle lapses it
 * at the end of that day (or once its days are done). A lifecycle that cannot be told is reported; the decline stands.
 */
export async function declineCyberDeliverables(
  services: Services,
  lifecycles: Lifecycles,
  engagement: { id: string; workOrderId: string },
  input: { reason?: string },
  guard: Guard,
  warn: Warn,
): Promise<CyberEngagementRecord> {
  const now = services.clock.now().toISOString();
  const { result: record } = await decideOnWorkOrder(
    services,
    engagement.workOrderId,
    async (current) => {
      const stored = (await services.workOrders.findResource<CyberEngagementRecord>('cyber', engagement.id))?.data;
      if (!stored) throw new NotFound(`Cyber engagement ${engagement.id}`);
      const today = localDateIn(new Date(now), stored.timeZone);
      const declined: CyberEngagementRecord = {
        ...declineDeliverables(stored, today), // rule CYB-5
        deliverablesDeclined: { on: today, ...(input.reason ? { reason: input.reason } : {}) },
      };
      return {
        workOrder: current,
        change: {
          resources: [{ kind: 'cyber', id: engagement.id, workOrderId: current.id, data: declined }],
          timeline: [
            {
              at: now,
              kind: 'cyberDeliverablesDeclined',
              rule: 'CYB-5',
              detail: `${stored.offering}: the customer declined the deliverables on ${today}; the obligation lapses that day${input.reason ? ` (${input.reason})` : ''}.`,
            },
          ],
        },
        result: declined,
      };
    },
    { ...guard, inForce: false }, // declining asks nothing of the Work Order
  );
  const lifecycle = cyberLifecycle(record, now);
  await services.dueIndex.put(lifecycle.due);
  await lifecycles
    .signal(cyberEngagementInstanceId(record.id), LIFECYCLE_CHANGED, {
      kind: 'rescheduled',
      steps: lifecycle.input.steps,
    })
    .catch((error: unknown) => warn(`Engagement ${record.id}: its lifecycle could not be told of the decline:`, error));
  return record;
}

/** One dated step of an engagement's lifecycle, as the phased lifecycle hands it to its activity. */
export interface CyberStep {
  resourceId: string;
  workOrderId: string;
  phase: string;
  at: string;
  input: { date?: string } | null;
}

const ended = (record: CyberEngagementRecord) => ['closed', 'lapsed', 'cancelled'].includes(record.status);

async function stepDone(services: Services, step: CyberStep, activity: string): Promise<void> {
  await services.dueIndex.markDone(
    cyberDueKey(step.resourceId, { at: step.at, activity, phase: step.phase, input: step.input ?? undefined }),
    services.clock.now().toISOString(),
  );
}

/** CYB-3: a delivered 8-hour day is drawn down from the purchased days (once per date). */
export async function recordCyberDayDelivered(services: Services, step: CyberStep): Promise<void> {
  const date = step.input?.date ?? '';
  await changeResource<CyberEngagementRecord>(services, 'cyber', step, (record, current) => {
    if (record.deliveredDates.includes(date) || !record.schedule.some((d) => d.date === date) || ended(record))
      return null;
    const next: CyberEngagementRecord = {
      ...record,
      status: 'inProgress',
      deliveredDates: [...record.deliveredDates, date],
    };
    return {
      record: next,
      workOrder: { ...current, entitlements: consume(current.entitlements, record.offering, 1) },
      timeline: {
        key: `cyber-${record.id}-${date}`,
        at: step.at,
        kind: 'cyberDayDelivered',
        rule: 'CYB-3',
        detail: `${record.offering} day ${next.deliveredDates.length} of ${record.days} delivered (${date}, 8 hours).`,
      },
    };
  });
  await stepDone(services, step, CYBER_ACTIVITIES.dayDelivered);
}

/** CYB-5: after the last day the engagement closes; deliverables are owed until the due date. */
export async function closeCyberEngagement(services: Services, step: CyberStep): Promise<Notification | null> {
  const closed = await changeResource<CyberEngagementRecord>(services, 'cyber', step, (record, current) =>
    ended(record)
      ? null
      : {
          record: { ...record, status: 'closed' },
          workOrder: current,
          timeline: {
            key: `cyber-${record.id}-closed`,
            at: step.at,
            kind: 'cyberEngagementClosed',
            rule: 'CYB-5',
            detail: `${record.offering} closed; deliverables due by ${record.deliverablesDueBy}.`,
          },
        },
  );
  await stepDone(services, step, CYBER_ACTIVITIES.close);
  if (!closed) return null;
  return {
    notificationId: `cyberEngagementClosed:${closed.id}`,
    kind: 'cyberEngagementClosed',
    rule: 'CYB-5',
    at: step.at,
    workOrderId: closed.workOrderId,
    engagementId: closed.id,
    deliverablesDueBy: closed.deliverablesDueBy,
  };
}

/** CYB-5: the deliverables obligation lapses at the end of its lapse date. */
export async function lapseCyberDeliverables(services: Services, step: CyberStep): Promise<Notification | null> {
  const lapsed = await changeResource<CyberEngagementRecord>(services, 'cyber', step, (record, current) =>
    record.status === 'lapsed' || record.status === 'cancelled'
      ? null
      : {
          record: { ...record, status: 'lapsed' },
          workOrder: current,
          timeline: {
            key: `cyber-${record.id}-lapsed`,
            at: step.at,
            kind: 'cyberDeliverablesLapsed',
            rule: 'CYB-5',
            detail: `${record.offering}: the deliverables obligation lapsed after ${record.obligationLapsesOn}.`,
          },
        },
  );
  await stepDone(services, step, CYBER_ACTIVITIES.lapse);
  if (!lapsed) return null;
  return {
    notificationId: `cyberDeliverablesLapsed:${lapsed.id}`,
    kind: 'cyberDeliverablesLapsed',
    rule: 'CYB-5',
    at: step.at,
    workOrderId: lapsed.workOrderId,
    engagementId: lapsed.id,
  };
}

/** A cancelled engagement gives back the days it had not used (ENT-1). */
export async function cancelCyberEngagement(
  services: Services,
  input: { resourceId: string; workOrderId: string; at: string; reason: string | null },
): Promise<void> {
  await changeResource<CyberEngagementRecord>(services, 'cyber', input, (record, current) => {
    if (ended(record)) return null;
    const unused = record.days - record.deliveredDates.length;
    return {
      record: { ...record, status: 'cancelled' },
      workOrder: { ...current, entitlements: release(current.entitlements, record.offering, unused) },
      timeline: {
        key: `cyber-${record.id}-cancelled`,
        at: input.at,
        kind: 'cyberEngagementCancelled',
        rule: 'ENT-1',
        detail: `${record.offering} cancelled; ${unused} day(s) released.`,
      },
    };
  });
}
