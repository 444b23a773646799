import { DateTime } from 'luxon';
import type { PhasedStep } from '../lifecycle/phasedSteps';
import type { CyberEngagementPlan } from './cyberEngagement';

/** A stored cybersecurity engagement: its plan (CYB-2..5) and what has been delivered. */
export interface CyberEngagementRecord extends CyberEngagementPlan {
  id: string;
  workOrderId: string;
  status: 'scheduled' | 'inProgress' | 'closed' | 'lapsed' | 'cancelled';
  /** Days given back by a termination (rules.md section 9): they fell after its last day. */
  cancelledDates?: string[];
  deliveredDates: string[];
  /** rule CYB-6: recorded before work on production starts. */
  acknowledgements: {
    toolsDeployed: boolean;
    adminAccountsProvided: boolean;
    validBackupConfirmed: boolean;
    at: string;
  } | null;
  extensionBlocks: number;
  /** rule CYB-5: the customer declined the deliverables (the obligation lapsed that day). */
  deliverablesDeclined?: { on: string; reason?: string };
}

export const CYBER_ACTIVITIES = {
  dayDelivered: 'recordCyberDayDelivered',
  close: 'closeCyberEngagement',
  lapse: 'lapseCyberDeliverables',
  cancel: 'cancelCyberEngagement',
} as const;

// Stryker disable next-line ArrowFunction: static (defined at import: Stryker's vitest runner never activates a mutant there, stryker-js #6144); checked by hand against test/unit/aemCyberRules.test.ts (CYB-3, CYB-5)
const endOfDay = (date: string, zone: string) =>
  DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toUTC().toISO() as string;

/**
 * The engagement's lifecycle: each scheduled day is drawn down at its end (CYB-3), the engagement closes after its
 * last day (deliverables due within 10 days, CYB-5), and the obligation lapses at the end of its lapse date.
 */
export function cyberSteps(
  plan: Pick<CyberEngagementPlan, 'schedule' | 'timeZone' | 'obligationLapsesOn'>,
): PhasedStep[] {
  const days = plan.schedule.map((day) => ({
    at: new Date(day.to).toISOString(),
    activity: CYBER_ACTIVITIES.dayDelivered,
    phase: 'inProgress',
    input: { date: day.date },
  }));
  const last = plan.schedule[plan.schedule.length - 1];
  // rule CYB-5: deliverables declined before the last day lapse once the engagement has closed (its days run on)
  // Stryker disable next-line EqualityOperator: on equal dates both branches give the same date
  const lapse = last && last.date > plan.obligationLapsesOn ? last.date : plan.obligationLapsesOn;
  return [
    ...days,
    ...(last ? [{ at: endOfDay(last.date, plan.timeZone), activity: CYBER_ACTIVITIES.close, phase: 'closed' }] : []),
    { at: endOfDay(lapse, plan.timeZone), activity: CYBER_ACTIVITIES.lapse, phase: 'lapsed' },
  ];
}

/** The due-index kind of a step (day draw-downs are per date). */
export function cyberDueKind(step: PhasedStep): string {
  const date = (step.input as { date?: string } | undefined)?.date;
  return step.activity === CYBER_ACTIVITIES.dayDelivered ? `cyber:day:${date}` : `cyber:${step.phase}`;
}
