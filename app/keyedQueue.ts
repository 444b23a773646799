import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs work on one key one after another within this process: concurrent changes of one Work Order would otherwise
 * race on its ETag, every loser reading again and retrying (with hundreds at once some run out of attempts and answer
 * 409). Only an optimisation: ETags still decide between processes; work started while the same key is held in the
 * same async context runs at once (no self-deadlock); work that has waited `maxWaitMs` runs anyway.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(private readonly maxWaitMs = 10_000) {}

  /** Keys with work queued or running (for tests: an empty queue keeps nothing). */
  get size(): number {
    return this.tails.size;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const held = this.held.getStore();
    if (held?.has(key)) return work();
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => done);
    this.tails.set(key, tail);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      before,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.maxWaitMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    try {
      return await this.held.run(new Set([...(held ?? []), key]), work);
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
