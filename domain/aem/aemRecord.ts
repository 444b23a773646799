import { DateTime } from 'luxon';
import type { PhasedStep } from '../lifecycle/phasedSteps';
import type { AemBooking, AemPhase, AemPhaseDates, AemPostEventSummary } from './aemBooking';

/** A stored AEM booking: the plan (AEM-1..4), its phase dates (AEM-5..7) and where it stands. */
export interface AemBookingRecord extends Omit<AemBooking, 'status'> {
  id: string;
  workOrderId: string;
  cloud: string;
  timeZone: string;
  phases: AemPhaseDates;
  phase: AemPhase;
  /** Events consumed so far: each when its own window starts (ENT-1); the others are reserved. */
  consumed: number;
  summary: AemPostEventSummary | null;
  /** AEM-7: the provider follows unresolved cases until they are resolved or the follow-up limit. */
  followUp?: { checks: number; lastCheckedAt: string; nextCheckAt: string | null } | null;
  cancelledAt: string | null;
  /** Events given back by a termination (rules.md section 9): they would have started after its last day. */
  cancelledEvents?: Array<{ start: string; end: string }>;
}

export const AEM_ACTIVITIES = {
  startPhase: 'startAemPhase',
  summarise: 'summariseAemEvent',
  cancel: 'cancelAemEvent',
} as const;

/** The instant an event's own window starts: 00:00 of its first day in the booking's zone (AEM-6). */
export function eventWindowStart(event: { start: string }, timeZone: string): string {
  return DateTime.fromISO(event.start, { zone: timeZone }).startOf('day').toUTC().toISO() as string;
}

/**
 * The booking's lifecycle: assessment (AEM-5), each event's own window (AEM-6; the event is consumed when it starts,
 * ENT-1), and the post-event summary (AEM-7), which follows the window's cases until they are resolved.
 */
export function aemSteps(record: Pick<AemBookingRecord, 'phases' | 'events' | 'timeZone'>): PhasedStep[] {
  const { phases } = record;
  return [
    { at: new Date(phases.assessment.from).toISOString(), activity: AEM_ACTIVITIES.startPhase, phase: 'assessment' },
    ...record.events.map((event, index) => ({
      at: eventWindowStart(event, record.timeZone),
      activity: AEM_ACTIVITIES.startPhase,
      phase: 'live',
      input: { event: index },
    })),
    { at: new Date(phases.live.to).toISOString(), activity: AEM_ACTIVITIES.summarise, phase: 'postEvent' },
  ];
}

/** The due-index kind of a step (each event's window start is its own item). */
export function aemDueKind(step: PhasedStep): string {
  const event = (step.input as { event?: number } | undefined)?.event;
  return event === undefined || event === 0 ? `aem:${step.phase}` : `aem:${step.phase}:${event}`;
}
