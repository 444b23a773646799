import { CYBER_OFFERINGS } from '../../../domain/cyber/cyberEngagement';
import type { CyberEngagementRecord } from '../../../domain/cyber/cyberRecord';
import { lifecycleIdOf } from './lifecycleIds';

/** An engagement as the contract shows it (its delivered dates as a count). */
export function cyberEngagementView(record: CyberEngagementRecord) {
  return {
    id: record.id,
    workOrderId: record.workOrderId,
    offering: record.offering,
    /** rule CYB-1: reactive or proactive; rule CYB-5: what is delivered after the engagement closes. */
    kind: CYBER_OFFERINGS[record.offering].kind,
    deliverables: CYBER_OFFERINGS[record.offering].deliverables,
    timeZone: record.timeZone,
    status: record.status,
    schedule: record.schedule,
    hours: record.hours,
    deliverablesDueBy: record.deliverablesDueBy,
    obligationLapsesOn: record.obligationLapsesOn,
    deliveredDays: record.deliveredDates.length,
    acknowledgements: record.acknowledgements,
    extensionBlocks: record.extensionBlocks,
    deliverablesDeclined: record.deliverablesDeclined ?? null,
    explanation: record.explanation ?? null,
    lifecycleId: lifecycleIdOf('cyberEngagement', record.id),
  };
}
