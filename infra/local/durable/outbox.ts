import { EventType, event, type HistoryEvent } from './history';
import { outboxKey, type InboxItem, type InstanceRecord, type InstanceStore, type OutboxItem } from './instanceStore';
import type { DurableWork } from './durableWork';
import { InstanceLocks } from './instanceLocks';

/** Starting a sub-orchestration, stored in the parent's episode (B §4 CallSubOrchestrator). */
export function startChildItem(
  parent: InstanceRecord,
  child: { taskId: number; name: string; childId: string; input: unknown },
): OutboxItem {
  return {
    rowKey: outboxKey.startChild(parent.executionId, child.taskId),
    kind: 'startChild',
    payload: {
      name: child.name,
      childId: child.childId,
      input: child.input ?? null,
      parent: { instanceId: parent.instanceId, taskId: child.taskId, executionId: parent.executionId },
    },
  };
}

/** Telling the parent how its child ended, stored with the child's final commit. */
export function notifyParentItem(record: InstanceRecord, now: string): OutboxItem | undefined {
  const parent = record.parent;
  if (!parent) return undefined;
  const completion =
    record.status === 'Completed'
      ? event(EventType.SubOrchestrationInstanceCompleted, now, {
          TaskScheduledId: parent.taskId,
          Result: JSON.stringify(record.output ?? null),
        })
      : event(EventType.SubOrchestrationInstanceFailed, now, {
          TaskScheduledId: parent.taskId,
          Reason: String(record.output),
          Details: String(record.output),
        });
  return { rowKey: outboxKey.notifyParent(record.executionId), kind: 'notifyParent', payload: { parent, completion } };
}

export interface OutboxTargets {
  /** Starts a child; an instance with that ID that already runs counts as started (the start is idempotent). */
  startChild(payload: Extract<OutboxItem, { kind: 'startChild' }>['payload']): Promise<void>;
  addToInbox(instanceId: string, item: Omit<InboxItem, 'rowKey'>): Promise<void>;
  now(): string;
}

/**
 * Carries stored cross-instance effects to their targets, idempotently, then deletes their rows. What one instance
 * sends goes out in order (messages from one sender to one entity arrive in the order they were sent).
 */
export class Outbox {
  private readonly order = new InstanceLocks();

  constructor(
    private readonly store: InstanceStore,
    private readonly work: DurableWork,
    private readonly targets: OutboxTargets,
  ) {}

  /** Dispatches rows already committed (now, or found at start-up), in the given order. */
  send(instanceId: string, items: OutboxItem[]): void {
    const pending = [...items];
    if (pending.length === 0) return;
    this.work.spawn(`outbox ${instanceId} (${pending[0]!.rowKey})`, () =>
      this.order.with(instanceId, async () => {
        while (pending.length > 0) {
          await this.dispatch(instanceId, pending[0]!);
          pending.shift();
        }
      }),
    );
  }

  private async dispatch(instanceId: string, item: OutboxItem): Promise<void> {
    if (item.kind === 'startChild') {
      const { parent } = item.payload;
      try {
        await this.targets.startChild(item.payload);
      } catch (error) {
        await this.targets.addToInbox(parent.instanceId, {
          executionId: parent.executionId,
          event: childFailed(parent.taskId, error, this.targets.now()),
        });
      }
    } else if (item.kind === 'notifyParent') {
      const { parent, completion } = item.payload;
      await this.targets.addToInbox(parent.instanceId, { executionId: parent.executionId, event: completion });
    } else {
      const { target, executionId, event } = item.payload;
      await this.targets.addToInbox(target, { executionId, event });
    }
    await this.store.deleteRow(instanceId, item.rowKey);
  }
}

function childFailed(taskId: number, error: unknown, now: string): HistoryEvent {
  const reason = error instanceof Error ? error.message : String(error);
  return event(EventType.SubOrchestrationInstanceFailed, now, {
    TaskScheduledId: taskId,
    Reason: reason,
    Details: reason,
  });
}
