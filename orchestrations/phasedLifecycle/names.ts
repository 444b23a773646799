/** Names shared by the phased lifecycle orchestration, its activities and the functions that drive it. */
import type { PhasedStep } from '../../domain/lifecycle/phasedSteps';

/** Raised to change a running lifecycle: cancel it (AEM-8) or replace its remaining steps (a CYB-3 extension). */
export const LIFECYCLE_CHANGED = 'lifecycleChanged';
export const AEM_EVENT_LIFECYCLE = 'aemEventLifecycle';
export const CYBER_ENGAGEMENT_LIFECYCLE = 'cyberEngagementLifecycle';

export const aemEventInstanceId = (bookingId: string) => `aem-event-${bookingId}`;
export const cyberEngagementInstanceId = (engagementId: string) => `cyber-engagement-${engagementId}`;

export interface PhasedLifecycleInput {
  resourceId: string;
  workOrderId: string;
  steps: PhasedStep[];
  next: number;
  /** Activity run when the lifecycle is cancelled (releases what future steps would have used). */
  cancelActivity: string;
}
