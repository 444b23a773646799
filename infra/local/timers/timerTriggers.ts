import type { TableClient } from '@azure/data-tables';
import type { InputBindings } from '../bindings';
import type { RegisteredFunction } from '../functionsCore';
import type { HostServices } from '../services';
import { parseSchedule, type TimerSchedule } from './schedule';

interface RetryPolicy {
  strategy: string;
  maxRetryCount: number;
  delayMs: (attempt: number) => number;
}

interface TimerState {
  fn: RegisteredFunction;
  schedule: TimerSchedule;
  monitored: boolean;
  last?: Date;
  next: Date;
}

const TABLE = 'LocalHostTimerStatus';

/**
 * Runs timer triggers on the host clock. Schedule status (last/next) is kept in Azurite like the real
 * host's monitor, so an occurrence missed while the host was down fires on start with isPastDue.
 */
export class TimerTriggers {
  private table!: TableClient;
  private readonly timers: TimerState[] = [];
  private stopped = false;

  constructor(
    private readonly services: HostServices,
    private readonly bindings: InputBindings,
    private readonly functions: RegisteredFunction[],
    private readonly timeZone: string,
  ) {}

  async start(): Promise<void> {
    this.table = await this.services.storage.table(TABLE);
    const now = this.services.clock.now();
    for (const fn of this.functions.filter((f) => f.trigger.type.toLowerCase() === 'timertrigger')) {
      const schedule = parseSchedule(resolveSetting(String(fn.trigger['schedule'])), this.timeZone);
      const monitored = fn.trigger['useMonitor'] !== false && !schedule.subMinute;
      const stored = monitored ? await this.readStatus(fn.name) : undefined;
      const state: TimerState = {
        fn,
        schedule,
        monitored,
        last: stored?.last,
        next: stored?.next ?? schedule.next(now),
      };
      this.timers.push(state);
      if (monitored && !stored) await this.writeStatus(state);
      const pastDue = stored !== undefined && stored.next.getTime() < now.getTime();
      if (fn.trigger['runOnStartup'] === true || pastDue)
        this.services.clock.schedule(now, `${fn.name} (start-up)`, () => this.fire(state, pastDue, false));
      else this.arm(state);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  describe(): Array<{ name: string; schedule: string; next: string }> {
    return this.timers.map((t) => ({
      name: t.fn.name,
      schedule: String(t.fn.trigger['schedule']),
      next: t.next.toISOString(),
    }));
  }

  private arm(state: TimerState): void {
    if (this.stopped) return;
    this.services.clock.schedule(state.next, state.fn.name, () => this.fire(state, false, true));
  }

  private async fire(state: TimerState, isPastDue: boolean, scheduled: boolean): Promise<void> {
    const firedAt = this.services.clock.now();
    const next = state.schedule.next(firedAt);
    const timerInfo = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: state.monitored
        ? { Last: (state.last ?? firedAt).toISOString(), Next: next.toISOString(), LastUpdated: firedAt.toISOString() }
        : null,
      IsPastDue: isPastDue,
    };
    await this.invokeWithRetry(state.fn, timerInfo);
    if (scheduled || isPastDue) {
      state.last = firedAt;
      state.next = next;
      if (state.monitored) await this.writeStatus(state);
      this.arm(state);
    }
  }

  private async invokeWithRetry(fn: RegisteredFunction, timerInfo: unknown): Promise<void> {
    const policy = retryPolicy(
      fn.metadata.retryOptions ?? (this.services.hostJson['retry'] as Record<string, unknown> | undefined),
    );
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.services.invoker.invoke(fn, {
        inputData: [{ name: fn.triggerKey, data: { json: JSON.stringify(timerInfo) } }],
        retryContext: policy ? { retryCount: attempt, maxRetryCount: policy.maxRetryCount } : undefined,
      });
      if (outcome.ok) {
        await this.services.dispatchOutputs(fn, outcome.response);
        return;
      }
      const canRetry = policy && (policy.maxRetryCount < 0 || attempt < policy.maxRetryCount);
      this.services.logger.error(
        `Timer function '${fn.name}' failed (invocation ${outcome.invocationId})${canRetry ? '; retrying' : ''}:`,
        outcome.error,
      );
      if (!canRetry) return;
      await new Promise<void>((resolve) =>
        this.services.clock.schedule(
          this.services.clock.nowMs() + policy.delayMs(attempt + 1),
          `${fn.name} retry`,
          resolve,
        ),
      );
    }
  }

  private async readStatus(name: string): Promise<{ last?: Date; next: Date } | undefined> {
    try {
      const e = await this.table.getEntity<{ last?: string; next: string }>('timers', name);
      return { last: e.last ? new Date(e.last) : undefined, next: new Date(e.next) };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  private async writeStatus(state: TimerState): Promise<void> {
    // Single writer (this host) per function; upsert keeps the monitor row current.
    await this.table.upsertEntity(
      {
        partitionKey: 'timers',
        rowKey: state.fn.name,
        last: state.last?.toISOString() ?? '',
        next: state.next.toISOString(),
      },
      'Replace',
    );
  }
}

function resolveSetting(expression: string): string {
  const m = /^%(.+)%$/.exec(expression);
  return m ? (process.env[m[1] ?? ''] ?? expression) : expression;
}

function toMs(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(value);
    if (m) return (((Number(m[1] ?? 0) * 24 + Number(m[2])) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000;
  }
  if (value && typeof value === 'object') {
    const d = value as Record<string, number>;
    return (
      ((d['hours'] ?? 0) * 3600 + (d['minutes'] ?? 0) * 60 + (d['seconds'] ?? 0)) * 1000 + (d['milliseconds'] ?? 0)
    );
  }
  return 0;
}

function retryPolicy(options: Record<string, unknown> | undefined): RetryPolicy | undefined {
  if (!options) return undefined;
  const strategy = String(options['strategy'] ?? options['retryStrategy'] ?? '');
  const maxRetryCount = Number(options['maxRetryCount'] ?? 0);
  if (strategy === 'fixedDelay') {
    const delay = toMs(options['delayInterval']);
    return { strategy, maxRetryCount, delayMs: () => delay };
  }
  if (strategy === 'exponentialBackoff') {
    const min = toMs(options['minimumInterval']);
    const max = toMs(options['maximumInterval']);
    return { strategy, maxRetryCount, delayMs: (attempt) => Math.min(max, min * 2 ** (attempt - 1)) };
  }
  return undefined;
}
