const levels: Record<string, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

/** Host logging: one line per entry, function name and invocation ID attached; quiet mode for tests. */
export class HostLogger {
  constructor(private readonly minLevel: string = process.env['LOCAL_HOST_LOG_LEVEL'] ?? 'information') {}

  private enabled(level: string): boolean {
    return (levels[level.toLowerCase()] ?? 2) >= (levels[this.minLevel.toLowerCase()] ?? 2);
  }

  info(message: string): void {
    if (this.enabled('information')) console.log(`[host] ${message}`);
  }

  warn(message: string): void {
    if (this.enabled('warning')) console.warn(`[host] warning: ${message}`);
  }

  error(message: string, error?: unknown): void {
    if (!this.enabled('error')) return;
    const detail =
      error instanceof Error ? ` ${error.stack ?? error.message}` : error !== undefined ? ` ${String(error)}` : '';
    console.error(`[host] error: ${message}${detail}`);
  }

  system(level: string, message: string): void {
    if (this.enabled(level)) console.log(`[worker] ${level}: ${message}`);
  }

  functionLog(functionName: string, invocationId: string, level: string, message: string): void {
    if (this.enabled(level)) console.log(`[${functionName}] (${invocationId}) ${level}: ${message}`);
  }
}
