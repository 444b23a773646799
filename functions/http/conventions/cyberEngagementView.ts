import type { CyberEngagementRecord } from '../../../domain/cyber/cyberRecord';

/** An engagement as the contract shows it (its delivered dates as a count). */
export function cyberEngagementView(record: CyberEngagementRecord) {
  return {
    id: record.id,
    workOrderId: record.workOrderId,
    offering: record.offering,
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
  };
}
