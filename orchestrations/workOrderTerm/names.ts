/** Names shared by the Work Order term orchestration, its activities and the functions that drive it. */
export const WORK_ORDER_TERM = 'workOrderTerm';
export const WORK_ORDER_TERMINATED = 'workOrderTerminated';
export const SEND_REQUEST_WINDOW_REMINDER = 'sendRequestWindowReminder';
export const CLOSE_FLEX_PERIOD = 'closeFlexPeriod';
export const EXPIRE_WORK_ORDER = 'expireWorkOrder';
export const END_TERMINATED_WORK_ORDER = 'endTerminatedWorkOrder';

/** One term orchestration per Work Order, its ID derived from the Work Order ID. */
export function workOrderTermInstanceId(workOrderId: string): string {
  return `work-order-term-${workOrderId}`;
}
