/** Names shared by the incident SLA orchestration, its activities and the functions that drive it. */
export const INCIDENT_SLA = 'incidentSla';
export const SLA_CHANGED = 'slaChanged';
export const RECORD_FIRST_RESPONSE_DUE = 'recordFirstResponseDue';
export const SEND_FIRST_RESPONSE_WARNING = 'sendFirstResponseWarning';
export const SEND_BREACH_CORRECTION = 'sendBreachCorrection';

/** One orchestration per incident, its ID derived from the incident ID. */
export function incidentSlaInstanceId(incidentId: string): string {
  return `incident-sla-${incidentId}`;
}

/** Events handled per execution before the history is restarted with continueAsNew. */
export const EVENTS_PER_EXECUTION = 25;
