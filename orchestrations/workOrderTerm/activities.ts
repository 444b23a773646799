import * as termDuties from '../../app/termDuties';
import * as workOrders from '../../app/workOrders';
import type { Services } from '../../app/services';
import { notifyingActivity } from '../notifyingActivity';
import {
  CLOSE_FLEX_PERIOD,
  END_ENTITLEMENTS,
  END_TERMINATED_WORK_ORDER,
  EXPIRE_WORK_ORDER,
  MARK_DUTY_OVERDUE,
  REMIND_DUTY,
  SEND_REQUEST_WINDOW_REMINDER,
} from './names';

/** Registers the activities with the host, each on the services the entry point built. */
export function registerWorkOrderTermActivities(services: Services): void {
  notifyingActivity(services, SEND_REQUEST_WINDOW_REMINDER, workOrders.sendRequestWindowReminder); // rule REQ-60
  notifyingActivity(services, CLOSE_FLEX_PERIOD, workOrders.closeFlexPeriod); // rule FLEX-3
  notifyingActivity(services, EXPIRE_WORK_ORDER, workOrders.expireWorkOrder); // rule EXP-1
  notifyingActivity(services, END_TERMINATED_WORK_ORDER, workOrders.endTerminatedWorkOrder); // rules DEP-1, DEP-2
  notifyingActivity(services, REMIND_DUTY, termDuties.remindDuty); // rules UER-4, UER-5, GHED-1
  notifyingActivity(services, MARK_DUTY_OVERDUE, termDuties.markDutyOverdue); // rules UER-4, UER-5, GHED-1
  notifyingActivity(services, END_ENTITLEMENTS, termDuties.endEntitlements); // rule DEP-2
}
