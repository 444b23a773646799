import type { PhasedStep } from '../lifecycle/phasedSteps';
import type { AemBooking, AemPhase, AemPhaseDates } from './aemBooking';

/** A stored AEM booking: the plan (AEM-1..4), its phase dates (AEM-5..7) and where it stands. */
export interface AemBookingRecord extends Omit<AemBooking, 'status'> {
  id: string;
  workOrderId: string;
  cloud: string;
  timeZone: string;
  phases: AemPhaseDates;
  phase: AemPhase;
  /** Entitlement events consumed when the window went live (ENT-1). */
  consumed: number;
  summary: { cases: string[]; unresolved: string[]; allResolved: boolean } | null;
  cancelledAt: string | null;
}

export const AEM_ACTIVITIES = {
  startPhase: 'startAemPhase',
  summarise: 'summariseAemEvent',
  cancel: 'cancelAemEvent',
} as const;

/** The booking's lifecycle: assessment (AEM-5), live window (AEM-6), post-event summary (AEM-7). */
export function aemSteps(phases: AemPhaseDates): PhasedStep[] {
  return [
    { at: new Date(phases.assessment.from).toISOString(), activity: AEM_ACTIVITIES.startPhase, phase: 'assessment' },
    { at: new Date(phases.live.from).toISOString(), activity: AEM_ACTIVITIES.startPhase, phase: 'live' },
    { at: new Date(phases.live.to).toISOString(), activity: AEM_ACTIVITIES.summarise, phase: 'postEvent' },
  ];
}
