/** Names shared by the Work Order term orchestration, its activities and the functions that drive it. */
export const WORK_ORDER_TERM = 'workOrderTerm';
export const WORK_ORDER_TERMINATED = 'workOrderTerminated';
export const SEND_REQUEST_WINDOW_REMINDER = 'sendRequestWindowReminder';
export const CLOSE_FLEX_PERIOD = 'closeFlexPeriod';
export const EXPIRE_WORK_ORDER = 'expireWorkOrder';
export const END_TERMINATED_WORK_ORDER = 'endTerminatedWorkOrder';
/** Raised when what the term promises changed (a service added or ended during the term): new `years`. */
export const WORK_ORDER_SCHEDULE_CHANGED = 'workOrderScheduleChanged';
export const REMIND_DUTY = 'remindDuty';
export const MARK_DUTY_OVERDUE = 'markDutyOverdue';
export const END_ENTITLEMENTS = 'endEntitlements';

/** One term orchestration per Work Order, its ID derived from the Work Order ID. */
export function workOrderTermInstanceId(workOrderId: string): string {
  return `work-order-term-${workOrderId}`;
}
