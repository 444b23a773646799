import { cyberDueKind, cyberSteps, CYBER_ACTIVITIES, type CyberEngagementRecord } from '../../domain/cyber/cyberRecord';
import type { DueItem } from '../../domain/lifecycle/dueIndex';
import {
  CYBER_ENGAGEMENT_LIFECYCLE,
  cyberEngagementInstanceId,
  type PhasedLifecycleInput,
} from '../../orchestrations/phasedLifecycle/orchestrator';

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
    dueAt: step.at,
    kind: cyberDueKind(step),
    resourceId: record.id,
    workOrderId: record.workOrderId,
    instanceId: cyberEngagementInstanceId(record.id),
    orchestration: CYBER_ENGAGEMENT_LIFECYCLE,
    restartInput: input,
    doneAt: null,
  }));
  return { input, due };
}
