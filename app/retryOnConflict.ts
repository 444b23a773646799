import { ConcurrencyConflict } from '../domain/incidents/incidentStore';
import { WorkOrderConflict } from '../domain/workOrder/workOrderStore';

/** The one policy for a write that lost an ETag race: read again and retry, with a growing jittered pause. */
export const CONFLICT_ATTEMPTS = 30;

export const isConflict = (error: unknown): boolean =>
  error instanceof WorkOrderConflict || error instanceof ConcurrencyConflict;

/**
 * Runs a read-decide-write `attempt` until it commits. A lost race (WorkOrderConflict, ConcurrencyConflict) runs it
 * again on fresh data; after CONFLICT_ATTEMPTS the last conflict is thrown, never swallowed (HTTP answers 409, an
 * activity or trigger fails and is retried by its host). Other errors propagate at once.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error) || n >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * n));
    }
  }
}
