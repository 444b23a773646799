import { AEM_ACTIVITIES, aemDueKind, aemSteps, type AemBookingRecord } from '../domain/aem/aemRecord';
import { cyberDueKind, cyberSteps, CYBER_ACTIVITIES, type CyberEngagementRecord } from '../domain/cyber/cyberRecord';
import type { DueItem } from '../domain/lifecycle/dueIndex';
import type { PhasedStep } from '../domain/lifecycle/phasedSteps';
import { lifecycleEventKey, type FlexYearSchedule, type LifecycleEvent } from '../domain/workOrder/lifecycleSchedule';
import {
  AEM_EVENT_LIFECYCLE,
  aemEventInstanceId,
  CYBER_ENGAGEMENT_LIFECYCLE,
  cyberEngagementInstanceId,
  type PhasedLifecycleInput,
} from '../orchestrations/phasedLifecycle/names';
import { WORK_ORDER_TERM, workOrderTermInstanceId } from '../orchestrations/workOrderTerm/names';

/** The one place due-index keys are built: what identifies a dated promise in the index. */
export type DueKey = Pick<DueItem, 'dueAt' | 'kind' | 'resourceId'>;

export const termDueKey = (workOrderId: string, year: number, event: LifecycleEvent): DueKey => ({
  dueAt: event.at,
  kind: event.kind,
  resourceId: `${workOrderId}/${year}/${lifecycleEventKey(event)}`,
});

export const aemDueKey = (bookingId: string, step: PhasedStep): DueKey => ({
  dueAt: step.at,
  kind: aemDueKind(step),
  resourceId: bookingId,
});

export const cyberDueKey = (engagementId: string, step: PhasedStep): DueKey => ({
  dueAt: step.at,
  kind: cyberDueKind(step),
  resourceId: engagementId,
});

/** The term's dated promises for the due-date index, each with the input that restarts its year. */
export function dueItemsOfTerm(workOrderId: string, years: FlexYearSchedule[]): DueItem[] {
  return years.flatMap((year, yearIndex) =>
    year.events.map((event) => ({
      ...termDueKey(workOrderId, year.year, event),
      workOrderId,
      instanceId: workOrderTermInstanceId(workOrderId),
      orchestration: WORK_ORDER_TERM,
      restartInput: { workOrderId, years, yearIndex },
      doneAt: null,
    })),
  );
}

/** The lifecycle input of an AEM booking's steps still ahead of `now`, and their due-index items. */
export function aemLifecycle(record: AemBookingRecord, now: string): { input: PhasedLifecycleInput; due: DueItem[] } {
  const steps = aemSteps(record).filter((step) => step.at > now);
  const input: PhasedLifecycleInput = {
    resourceId: record.id,
    workOrderId: record.workOrderId,
    steps,
    next: 0,
    cancelActivity: AEM_ACTIVITIES.cancel,
  };
  const due = steps.map((step) => ({
    ...aemDueKey(record.id, step),
    workOrderId: record.workOrderId,
    instanceId: aemEventInstanceId(record.id),
    orchestration: AEM_EVENT_LIFECYCLE,
    restartInput: input,
    doneAt: null,
  }));
  return { input, due };
}

/** The lifecycle input of an engagement's steps still ahead of `now`, and their due-index items. */
export function cyberLifecycle(
  record: CyberEngagementRecord,
  now: string,
): { input: PhasedLifecycleInput; due: DueItem[] } {
  const steps = cyberSteps(record).filter((step) => step.at > now);
  const input: PhasedLifecycleInput = {
    resourceId: record.id,
    workOrderId: record.workOrderId,
    steps,
    next: 0,
    cancelActivity: CYBER_ACTIVITIES.cancel,
  };
  const due = steps.map((step) => ({
    ...cyberDueKey(record.id, step),
    workOrderId: record.workOrderId,
    instanceId: cyberEngagementInstanceId(record.id),
    orchestration: CYBER_ENGAGEMENT_LIFECYCLE,
    restartInput: input,
    doneAt: null,
  }));
  return { input, due };
}
