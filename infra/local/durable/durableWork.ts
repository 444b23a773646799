import type { HostServices } from '../services';

/**
 * Runs durable work as host work; if it fails (storage trouble), it is retried after a growing pause (0.1 s doubling
 * to 10 s), as the extension retries a message it could not process. Everything it does is stored first or
 * idempotent, so a retry repeats at most an activity (at least once). The pause is real time and not counted as
 * host work.
 */
export class DurableWork {
  private readonly retryPauses = new Map<string, number>();
  private stopped = false;

  constructor(private readonly services: Pick<HostServices, 'work' | 'logger'>) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
  }

  spawn(label: string, fn: () => Promise<unknown>, retry: () => void = () => this.spawn(label, fn)): void {
    this.services.work.spawn(
      label,
      async () => {
        await fn();
        this.retryPauses.delete(label);
      },
      (error) => {
        if (this.stopped) return;
        const pause = Math.min((this.retryPauses.get(label) ?? 50) * 2, 10_000);
        this.retryPauses.set(label, pause);
        const reason = error instanceof Error ? error.message : String(error);
        this.services.logger.warn(
          `Durable work '${label}' failed (${reason}); retrying in ${pause} ms (it is stored, so a restart resumes it too).`,
        );
        setTimeout(() => {
          if (!this.stopped) retry();
        }, pause).unref();
      },
    );
  }
}
