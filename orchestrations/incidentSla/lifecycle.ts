import type { DurableClient } from 'durable-functions';
import type { IncidentClock } from '../../domain/incidents/incident';
import type { IncidentLifecycle } from '../../domain/incidents/ingestion';
import { INCIDENT_SLA, SLA_CHANGED, incidentSlaInstanceId } from './names';

const RUNNING = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

/** Keeps the incident's orchestration in step: signal it while it runs, (re)start it for an open incident. */
export class DurableIncidentLifecycle implements IncidentLifecycle {
  constructor(private readonly client: DurableClient) {}

  async sync(clock: IncidentClock): Promise<void> {
    const instanceId = incidentSlaInstanceId(clock.incidentId);
    const status = await this.client.getStatus(instanceId).catch((error: unknown) => {
      if (/404/.test(String((error as Error).message))) return undefined;
      throw error;
    });
    if (status && RUNNING.has(String(status.runtimeStatus))) {
      await this.client.raiseEvent(instanceId, SLA_CHANGED, clock);
      return;
    }
    if (clock.status === 'open') await this.client.startNew(INCIDENT_SLA, { instanceId, input: clock });
  }
}
