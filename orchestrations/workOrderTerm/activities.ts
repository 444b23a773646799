import * as termDuties from '../../app/termDuties';
import * as workOrders from '../../app/workOrders';
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

notifyingActivity(SEND_REQUEST_WINDOW_REMINDER, workOrders.sendRequestWindowReminder); // rule REQ-60
notifyingActivity(CLOSE_FLEX_PERIOD, workOrders.closeFlexPeriod); // rule FLEX-3
notifyingActivity(EXPIRE_WORK_ORDER, workOrders.expireWorkOrder); // rule EXP-1
notifyingActivity(END_TERMINATED_WORK_ORDER, workOrders.endTerminatedWorkOrder); // rules DEP-1, DEP-2
notifyingActivity(REMIND_DUTY, termDuties.remindDuty); // rules UER-4, UER-5, GHED-1
notifyingActivity(MARK_DUTY_OVERDUE, termDuties.markDutyOverdue); // rules UER-4, UER-5, GHED-1
notifyingActivity(END_ENTITLEMENTS, termDuties.endEntitlements); // rule DEP-2
