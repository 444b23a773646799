import type { WorkTracker } from './work';

/** The well-known slot through which the host lends its clock to the app (see infra/clock.ts). */
export const HOST_CLOCK_SLOT = Symbol.for('azure-functions-local-host.clock');

export interface ScheduledTimer {
  readonly id: number;
  readonly at: number;
  readonly label: string;
}

interface Entry extends ScheduledTimer {
  readonly fire: () => Promise<unknown> | unknown;
  /** Timers of different groups due at the same instant fire together (see schedule). */
  readonly group?: string;
  handle?: NodeJS.Timeout;
}

export class ClockConflictError extends Error {}

/**
 * The host's one clock. Real time by default (with an offset once advanced); frozen virtual time when
 * started with CLOCK_START. Timers fire in time order; an advance fires every timer due up to the target,
 * each at its own due time, and waits for the work each one started before moving on. Grouped timers due at the
 * same instant (durable timers of different instances) fire together and are waited for together.
 */
export class HostClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;
  private readonly timers = new Map<number, Entry>();
  private nextId = 1;
  private advancing = Promise.resolve();
  private closed = false;

  constructor(
    private readonly work: WorkTracker,
    options: { start?: Date; onError: (error: unknown, label: string) => void },
  ) {
    if (options.start) this.frozenAt = options.start.getTime();
    this.onError = options.onError;
  }

  private readonly onError: (error: unknown, label: string) => void;

  get isVirtual(): boolean {
    return this.frozenAt !== undefined;
  }

  nowMs(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Lends this clock to app code loaded in this process. */
  install(): void {
    (globalThis as Record<symbol, unknown>)[HOST_CLOCK_SLOT] = { now: () => this.now() };
  }

  pendingTimers(): ScheduledTimer[] {
    return [...this.timers.values()].map(({ id, at, label }) => ({ id, at, label })).sort((a, b) => a.at - b.at);
  }

  /**
   * Runs `fire` at `at` (at once, counted as work, if already due). Returns an id for `cancel`. A timer with a
   * `group` fires together with the other grouped timers due at the same instant, one per group (in the order they
   * were scheduled); a timer without one fires alone.
   */
  schedule(
    at: Date | number,
    label: string,
    fire: () => Promise<unknown> | unknown,
    options: { group?: string } = {},
  ): number {
    const entry: Entry = {
      id: this.nextId++,
      at: typeof at === 'number' ? at : at.getTime(),
      label,
      fire,
      group: options.group,
    };
    if (entry.at <= this.nowMs()) {
      this.fire(entry);
      return entry.id;
    }
    this.timers.set(entry.id, entry);
    this.arm(entry);
    return entry.id;
  }

  cancel(id: number): void {
    const entry = this.timers.get(id);
    if (!entry) return;
    if (entry.handle) clearTimeout(entry.handle);
    this.timers.delete(id);
  }

  /** Moves time forward to `target`, firing due timers in order and settling after each. */
  advanceTo(target: Date): Promise<Date> {
    const run = this.advancing.then(() => this.doAdvance(target.getTime()));
    this.advancing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  advanceBy(minutes: number): Promise<Date> {
    if (!(minutes >= 0)) return Promise.reject(new ClockConflictError('The clock only moves forward.'));
    return this.advanceTo(new Date(this.nowMs() + minutes * 60_000));
  }

  close(): void {
    this.closed = true;
    for (const entry of this.timers.values()) if (entry.handle) clearTimeout(entry.handle);
    this.timers.clear();
  }

  private async doAdvance(target: number): Promise<Date> {
    if (target < this.nowMs()) throw new ClockConflictError('The clock only moves forward.');
    await this.work.idle();
    for (;;) {
      const next = this.earliestDue(target);
      if (!next) break;
      this.setNow(Math.max(next.at, this.nowMs()));
      for (const entry of this.firingWith(next)) {
        this.timers.delete(entry.id);
        if (entry.handle) clearTimeout(entry.handle);
        this.fire(entry);
      }
      await this.work.idle();
    }
    this.setNow(Math.max(target, this.nowMs()));
    await this.work.idle();
    return this.now();
  }

  private earliestDue(limit: number): Entry | undefined {
    let best: Entry | undefined;
    for (const entry of this.timers.values()) {
      if (entry.at <= limit && (!best || entry.at < best.at || (entry.at === best.at && entry.id < best.id)))
        best = entry;
    }
    return best;
  }

  /**
   * The earliest due timer and, if it is grouped, the next timer of each other group due at the same instant, up to
   * the first ungrouped one (which keeps its turn). The map iterates in scheduling order.
   */
  private firingWith(first: Entry): Entry[] {
    if (first.group === undefined) return [first];
    const groups = new Set([first.group]);
    const batch = [first];
    for (const entry of this.timers.values()) {
      if (entry.at !== first.at || entry.id <= first.id) continue;
      if (entry.group === undefined) break;
      if (groups.has(entry.group)) continue;
      groups.add(entry.group);
      batch.push(entry);
    }
    return batch;
  }

  private setNow(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt = ms;
    else this.offsetMs = ms - Date.now();
    for (const entry of this.timers.values()) this.arm(entry);
  }

  private arm(entry: Entry): void {
    if (this.frozenAt !== undefined || this.closed) return;
    if (entry.handle) clearTimeout(entry.handle);
    const delay = Math.min(Math.max(entry.at - this.nowMs(), 0), 2 ** 31 - 1);
    entry.handle = setTimeout(() => {
      if (!this.timers.has(entry.id)) return;
      if (entry.at > this.nowMs()) return this.arm(entry);
      this.timers.delete(entry.id);
      this.fire(entry);
    }, delay);
    entry.handle.unref();
  }

  private fire(entry: Entry): void {
    this.work.spawn(`timer ${entry.label}`, entry.fire, (error) => this.onError(error, entry.label));
  }
}
