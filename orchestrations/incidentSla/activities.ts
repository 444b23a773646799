import * as incidents from '../../app/incidents';
import type { Services } from '../../app/services';
import { notifyingActivity } from '../notifyingActivity';
import { RECORD_FIRST_RESPONSE_DUE, SEND_BREACH_CORRECTION, SEND_FIRST_RESPONSE_WARNING } from './names';

/** Registers the activities with the host, each on the services the entry point built. */
export function registerIncidentSlaActivities(services: Services): void {
  notifyingActivity(services, RECORD_FIRST_RESPONSE_DUE, incidents.recordFirstResponseDue);
  notifyingActivity(services, SEND_FIRST_RESPONSE_WARNING, incidents.sendFirstResponseWarning);
  notifyingActivity(services, SEND_BREACH_CORRECTION, incidents.sendBreachCorrection); // rule RESP-LATE
}
