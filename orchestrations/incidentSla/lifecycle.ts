import type { DurableClient } from 'durable-functions';
import type { IncidentClock } from '../../domain/incidents/incident';
import type { IncidentLifecycle } from '../../domain/incidents/incidentStore';
import { isMissing } from '../durableStatus';
import { INCIDENT_SLA, SLA_CHANGED, incidentSlaInstanceId } from './names';

/**
 * Keeps the incident's orchestration in step with one call in the common case: start it for a new or reopened
 * incident (a reopened incident's orchestration ended at closure); otherwise signal it, and if it is missing (404),
 * start it for an open incident.
 */
export class DurableIncidentLifecycle implements IncidentLifecycle {
  constructor(private readonly client: DurableClient) {}

  async sync(clock: IncidentClock, options: { started?: boolean } = {}): Promise<void> {
    const instanceId = incidentSlaInstanceId(clock.incidentId);
    if (options.started && clock.status === 'open') {
      // 409: it is already running (an earlier delivery got this far), so it is signalled instead.
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
