/**
 * Tracks every piece of work the host has started (HTTP invocation, message delivery, activity,
 * orchestration episode, timer callback), so that a clock advance can answer only once the work it
 * started has settled. Work that spawns more work must register it before its own promise settles.
 */
export class WorkTracker {
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private readonly labels = new Map<number, string>();
  private nextId = 1;

  get pending(): number {
    return this.inFlight;
  }

  /** Labels of the work still running, for diagnostics when settling takes long. */
  describe(): string[] {
    return [...this.labels.values()];
  }

  /** Starts `fn` now and counts it until its promise settles. Errors propagate to the caller. */
  run<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
    const id = this.nextId++;
    this.inFlight++;
    this.labels.set(id, label);
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(fn());
    } catch (error) {
      promise = Promise.reject(error);
    }
    return promise.finally(() => {
      this.labels.delete(id);
      this.inFlight--;
      if (this.inFlight === 0) this.wake();
    });
  }

  /** Fire-and-forget variant: failures are reported to `onError`, never unhandled. */
  spawn(label: string, fn: () => Promise<unknown> | unknown, onError: (error: unknown) => void): void {
    this.run(label, fn).catch(onError);
  }

  /** Resolves when no work is in flight, checked across a few macrotask turns so chained work is seen. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.inFlight > 0) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      // Work may be queued with setImmediate or in an I/O callback that is ready; two turns of the event loop let it
      // register. (No timer wait: every host-side I/O belongs to work that is already counted while it waits.)
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inFlight === 0) return;
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
