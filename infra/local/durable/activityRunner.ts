import type { RegisteredFunction } from '../functionsCore';
import { fromTypedData, toJsonTypedData } from '../invoke';
import type { HostServices } from '../services';
import type { DurableWork } from './durableWork';
import { EventType, event, type HistoryEvent } from './history';
import type { Completion } from './instanceCache';
import type { WorkItem } from './instanceStore';

/** Runs activities (B §6), at least once: the work row stays until the episode that records the result. */
export class ActivityRunner {
  constructor(
    private readonly services: Pick<HostServices, 'clock' | 'invoker' | 'dispatchOutputs'>,
    private readonly activities: ReadonlyMap<string, RegisteredFunction>,
    private readonly work: DurableWork,
    private readonly completed: (completion: Completion) => void,
  ) {}

  run(instanceId: string, item: WorkItem): void {
    this.work.spawn(`activity ${item.name} for ${instanceId} (${item.rowKey})`, async () => {
      const completion = await this.invoke(item);
      this.completed({ instanceId, backedBy: item.rowKey, executionId: item.executionId, event: completion });
    });
  }

  private async invoke(item: WorkItem): Promise<HistoryEvent> {
    const now = () => this.services.clock.now().toISOString();
    const fn = this.activities.get(item.name);
    if (!fn) {
      return event(EventType.TaskFailed, now(), {
        TaskScheduledId: item.taskId,
        Reason: `Activity function '${item.name}' failed: The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`,
        Details: '',
      });
    }
    const outcome = await this.services.invoker.invoke(fn, {
      inputData: [{ name: fn.triggerKey, data: toJsonTypedData(item.input) }],
    });
    if (outcome.ok) {
      await this.services.dispatchOutputs(fn, outcome.response);
      return event(EventType.TaskCompleted, now(), {
        TaskScheduledId: item.taskId,
        Result: JSON.stringify(fromTypedData(outcome.response.returnValue) ?? null),
      });
    }
    const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
    return event(EventType.TaskFailed, now(), {
      TaskScheduledId: item.taskId,
      Reason: `Activity function '${item.name}' failed: ${error.message}`,
      Details: JSON.stringify({ stack: error.stack ?? '' }),
    });
  }
}
