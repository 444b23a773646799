import type { DurableClient } from 'durable-functions';
import type { IncidentClock } from '../../domain/incidents/incident';
import type { IncidentLifecycle } from '../../domain/incidents/ingestion';
import { isMissing } from '../durableStatus';
import { INCIDENT_SLA, SLA_CHANGED, incidentSlaInstanceId } from './names';

/**
 * Keeps the incident's orchestration in step with one call in the common case: signal it; if it is missing (404),
 * start it for an open incident. A reopened incident's orchestration (ended at closure) is started again.
 */
export class DurableIncidentLifecycle implements IncidentLifecycle {
  constructor(private readonly client: DurableClient) {}

  async sync(clock: IncidentClock, options: { reopened?: boolean } = {}): Promise<void> {
    const instanceId = incidentSlaInstanceId(clock.incidentId);
    if (options.reopened) {
      // The orchestration ended at closure (a raised event would be dropped with 410): start it again.
      try {
        await this.client.startNew(INCIDENT_SLA, { instanceId, input: clock });
        return;
      } catch (error) {
        if (!/\b409\b|already exists/.test(String((error as Error).message))) throw error;
      }
    }
    try {
      await this.client.raiseEvent(instanceId, SLA_CHANGED, clock);
      return;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (clock.status === 'open') await this.client.startNew(INCIDENT_SLA, { instanceId, input: clock });
  }
}
