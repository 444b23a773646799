import type { DeadlineResource } from '../../../domain/deadlines';
import { incidentSlaInstanceId } from '../../../orchestrations/incidentSla/names';
import { aemEventInstanceId, cyberEngagementInstanceId } from '../../../orchestrations/phasedLifecycle/names';
import { workOrderTermInstanceId } from '../../../orchestrations/workOrderTerm/names';

/** The lifecycle (durable instance) that keeps a resource's promises, readable at GET /api/lifecycles/{id}. */
export function lifecycleIdOf(resource: DeadlineResource, id: string): string {
  switch (resource) {
    case 'workOrder':
      return workOrderTermInstanceId(id);
    case 'incident':
      return incidentSlaInstanceId(id);
    case 'aemEvent':
      return aemEventInstanceId(id);
    case 'cyberEngagement':
      return cyberEngagementInstanceId(id);
  }
}
