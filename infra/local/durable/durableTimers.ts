import type { HostClock } from '../clock';
import { EventType, event } from './history';
import type { TimerItem } from './instanceStore';
import type { Completion } from './instanceCache';

/** Durable timers armed on the host clock; a firing becomes a TimerFired completion (B §5.7). */
export class DurableTimers {
  /** Clock ids by instance and timer row key. */
  private readonly armed = new Map<string, Map<string, number>>();

  constructor(
    private readonly clock: HostClock,
    private readonly fired: (completion: Completion) => void,
  ) {}

  arm(instanceId: string, timer: TimerItem): void {
    const fire = () => {
      this.forget(instanceId, timer.rowKey);
      const now = this.clock.now().toISOString();
      this.fired({
        instanceId,
        backedBy: timer.rowKey,
        executionId: timer.executionId,
        event: event(EventType.TimerFired, now, { TimerId: timer.timerId, FireAt: timer.fireAt }),
      });
    };
    // Timers of different instances due at the same instant fire together; one instance's fire one by one.
    const label = `durable timer ${instanceId} #${timer.timerId}`;
    const id = this.clock.schedule(Date.parse(timer.fireAt), label, fire, { group: `durable:${instanceId}` });
    let timers = this.armed.get(instanceId);
    if (!timers) this.armed.set(instanceId, (timers = new Map()));
    timers.set(timer.rowKey, id);
  }

  /** Disarms one timer; returns whether it was armed (its row is then still stored). */
  disarm(instanceId: string, rowKey: string): boolean {
    const id = this.armed.get(instanceId)?.get(rowKey);
    if (id === undefined) return false;
    this.clock.cancel(id);
    this.forget(instanceId, rowKey);
    return true;
  }

  /** Row keys of the instance's armed timers. */
  armedKeys(instanceId: string): string[] {
    return [...(this.armed.get(instanceId)?.keys() ?? [])];
  }

  disarmAll(instanceId: string): void {
    for (const id of this.armed.get(instanceId)?.values() ?? []) this.clock.cancel(id);
    this.armed.delete(instanceId);
  }

  stop(): void {
    for (const timers of this.armed.values()) for (const id of timers.values()) this.clock.cancel(id);
  }

  private forget(instanceId: string, rowKey: string): void {
    const timers = this.armed.get(instanceId);
    if (timers?.delete(rowKey) && timers.size === 0) this.armed.delete(instanceId);
  }
}
