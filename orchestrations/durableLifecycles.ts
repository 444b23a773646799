import type { DurableClient } from 'durable-functions';
import type { Lifecycles } from '../app/services';
import { statusOrMissing } from './durableStatus';

/** The use cases' lifecycles port on a Durable client (start, raise an event, read the runtime status). */
export function durableLifecycles(client: DurableClient): Lifecycles {
  return {
    start: async (orchestration, instanceId, input) => {
      await client.startNew(orchestration, { instanceId, input });
    },
    signal: (instanceId, event, data) => client.raiseEvent(instanceId, event, data),
    status: async (instanceId) => (await statusOrMissing(client, instanceId))?.runtimeStatus,
  };
}
