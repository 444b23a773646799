import * as incidents from '../../app/incidents';
import { notifyingActivity } from '../notifyingActivity';
import { RECORD_FIRST_RESPONSE_DUE, SEND_BREACH_CORRECTION, SEND_FIRST_RESPONSE_WARNING } from './names';

notifyingActivity(RECORD_FIRST_RESPONSE_DUE, incidents.recordFirstResponseDue);
notifyingActivity(SEND_FIRST_RESPONSE_WARNING, incidents.sendFirstResponseWarning);
notifyingActivity(SEND_BREACH_CORRECTION, incidents.sendBreachCorrection); // rule RESP-LATE
