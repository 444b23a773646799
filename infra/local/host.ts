import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { handleAdmin } from './adminApi';
import { applyLocalSettings, loadEntryFiles, locateApp } from './appLoader';
import { connectionServes, type AzuriteService } from './azurite';
import { InputBindings } from './bindings';
import { HostClock } from './clock';
import { DurableEngine } from './durable/engine';
import { FunctionsCore, type InvocationResponse, type RegisteredFunction } from './functionsCore';
import { HttpTriggers } from './http/httpTriggers';
import { writeJson, writeProblem } from './http/problem';
import { Invoker, fromTypedData } from './invoke';
import { HostLogger } from './logger';
import { LocalQueues } from './servicebus/localQueues';
import type { HostServices } from './services';
import { HostStorage } from './storage';
import { readBlobInput, writeBlobOutput } from './storagebindings/blobBindings';
import { StorageQueues, queueSettings } from './storagebindings/queueBindings';
import { StorageAccounts, storageBindings } from './storagebindings/storageAccounts';
import { parseTimeSpanMs } from './timeSpan';
import { TimerTriggers } from './timers/timerTriggers';
import { WorkTracker } from './work';

export interface LocalHostOptions {
  /** The app's entry file or folder (its package.json `main`, a path or glob, decides); default: `cwd`. */
  entry?: string;
  cwd: string;
  port: number;
  /** The interface to listen on; default 127.0.0.1 (this machine only: the principal header is not checked here). */
  hostname?: string;
  /** Azurite (or other Table storage) connection string. */
  storageConnectionString: string;
  /**
   * Starts the host's Azurite blob and/or queue service when the app's storage bindings need it and the connection
   * string names none; resolves to the connection string that serves it as well. Without it such an app is refused.
   */
  startStorageServices?: (services: Array<Exclude<AzuriteService, 'table'>>) => Promise<string>;
  /** Start a fresh host's clock at this instant (virtual, frozen time); default real time. */
  clockStart?: Date;
  logger?: HostLogger;
}

const CLOCK_TABLE = 'LocalHostClock';

/** An appStart hook of the app failed: the app is not started (its message is the hook's). */
export class AppStartError extends Error {
  override readonly name = 'AppStartError';
}

/**
 * One process standing in for the Functions host, the Node worker and the Durable extension: it loads the
 * app through `@azure/functions-core`, then serves HTTP triggers, runs timers, delivers Service Bus messages
 * and drives orchestrations, all on one clock.
 */
export class LocalHost {
  private server!: http.Server;
  private functions: RegisteredFunction[] = [];
  private queues!: LocalQueues;
  private timers!: TimerTriggers;
  private durable: DurableEngine | undefined;
  private httpTriggers!: HttpTriggers;
  private storageQueues: StorageQueues | undefined;
  private bindings!: InputBindings;
  /** The host's storage, with the blob and queue endpoints the app's bindings made it start. */
  private storageConnection: string;
  private readonly core: FunctionsCore;
  readonly logger: HostLogger;
  readonly work = new WorkTracker();
  readonly storage: HostStorage;
  clock!: HostClock;
  private services!: HostServices;
  private origin: string;
  /** Requests wait until every listener (queues, durable recovery, timers) has started, as the real host does. */
  private markStarted!: () => void;
  private readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  private constructor(private readonly options: LocalHostOptions) {
    this.logger = options.logger ?? new HostLogger();
    this.core = new FunctionsCore((level, category, message) => this.logger.system(level, `${category}: ${message}`));
    this.storage = new HostStorage(options.storageConnectionString);
    this.origin = `http://localhost:${options.port}`;
    this.storageConnection = options.storageConnectionString;
  }

  static async start(options: LocalHostOptions): Promise<LocalHost> {
    const host = new LocalHost(options);
    await host.boot();
    return host;
  }

  get url(): string {
    return this.origin;
  }

  functionList(): Array<{ name: string; trigger: string; detail: string }> {
    return this.functions.map((fn) => ({
      name: fn.name,
      trigger: fn.trigger.type,
      detail: describeTrigger(fn, this.httpTriggers.routePrefix),
    }));
  }

  private async boot(): Promise<void> {
    // The shim must be in place before the app's first require('@azure/functions') (durable-protocol A §1.2).
    this.core.install();
    const app = locateApp(this.options.entry, this.options.cwd);
    applyLocalSettings(app.root);
    process.env['FUNCTIONS_WORKER_RUNTIME'] ??= 'node';
    process.env['AzureWebJobsStorage'] ??= this.options.storageConnectionString;
    process.env['WEBSITE_HOSTNAME'] ??= `localhost:${this.options.port}`;

    this.clock = new HostClock(this.work, {
      start: await this.resumeClock(this.options.clockStart),
      onError: (error, label) => this.logger.error(`Timer '${label}' failed:`, error),
    });
    this.clock.install();

    await loadEntryFiles(app);
    await this.runAppStartHooks();
    const capabilities = (await this.core.programmingModel?.getCapabilities?.({})) ?? {};
    if (capabilities['HttpUri'])
      throw new Error(
        'The app enabled HTTP streaming (app.setup({ enableHttpStream: true })), which the local host does not support yet.',
      );
    this.core.lock();
    this.functions = [...this.core.functions.values()];

    const extensions = (app.hostJson['extensions'] ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const timeoutMs = parseTimeSpanMs(app.hostJson['functionTimeout']) ?? 30 * 60_000;
    const bindings = new InputBindings();
    this.bindings = bindings;
    const invoker = new Invoker(this.core, this.logger, timeoutMs, bindings);
    this.services = {
      clock: this.clock,
      work: this.work,
      storage: this.storage,
      invoker,
      logger: this.logger,
      hostJson: app.hostJson,
      origin: () => this.origin,
      dispatchOutputs: (fn, response) => this.dispatchOutputs(fn, response),
    };

    const durableTypes = ['orchestrationtrigger', 'activitytrigger', 'entitytrigger'];
    if (
      this.functions.some(
        (fn) =>
          durableTypes.includes(fn.trigger.type.toLowerCase()) || hasInput(fn, 'durableclient', 'orchestrationclient'),
      )
    ) {
      const hubName = String(extensions['durableTask']?.['hubName'] ?? 'TestHubName');
      this.durable = new DurableEngine(this.services, this.functions, { hubName });
      const engine = this.durable;
      bindings.register(['durableClient', 'orchestrationClient'], () => ({
        json: JSON.stringify(engine.clientPayload()),
      }));
    }
    await this.setUpStorageBindings(extensions['queues']);
    for (const fn of this.functions) {
      if (!SERVED_TRIGGERS.has(fn.trigger.type.toLowerCase()))
        this.logger.warn(
          `Function '${fn.name}' has a '${fn.trigger.type}' trigger, which the local host does not emulate; it never runs.`,
        );
      const missing = bindings.unsupported(fn);
      if (missing.length)
        this.logger.warn(
          `Function '${fn.name}' has input bindings the local host cannot supply: ${missing.join(', ')}.`,
        );
    }

    const serviceBus = extensions['serviceBus'] ?? {};
    this.queues = new LocalQueues(this.services, bindings, this.functions, {
      maxDeliveryCount: Number(serviceBus['maxDeliveryCount'] ?? 10),
      maxConcurrentCalls: Number(
        serviceBus['maxConcurrentCalls'] ??
          (serviceBus['messageHandlerOptions'] as Record<string, unknown> | undefined)?.['maxConcurrentCalls'] ??
          16,
      ),
      duplicateDetectionWindowMs: parseTimeSpanMs(serviceBus['duplicateDetectionHistoryTimeWindow']) ?? 10 * 60_000,
    });
    this.timers = new TimerTriggers(
      this.services,
      bindings,
      this.functions,
      process.env['WEBSITE_TIME_ZONE'] ?? process.env['TZ'] ?? 'UTC',
    );
    const routePrefix = String(extensions['http']?.['routePrefix'] ?? 'api');
    this.httpTriggers = new HttpTriggers(this.services, bindings, this.functions, routePrefix);

    await this.listen();
    await this.queues.start();
    this.storageQueues?.start();
    await this.durable?.start();
    await this.timers.start();
    this.markStarted();
  }

  /**
   * The app's appStart hooks, before anything is served. A failing hook fails the start, as it fails the worker's in
   * Azure: the host stops with the hook's message, before it listens.
   */
  private async runAppStartHooks(): Promise<void> {
    try {
      for (const hook of this.core.hooks.appStart)
        await hook({ hookData: this.core.appLevelOnlyHookData, appHookData: this.core.appHookData });
    } catch (error) {
      throw new AppStartError(
        `The app refused to start (its appStart hook failed): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  /** Waits until no work started by the host is still running. */
  settle(): Promise<void> {
    return this.work.idle();
  }

  async stop(): Promise<void> {
    this.timers?.stop();
    this.queues?.stop();
    this.storageQueues?.stop();
    this.clock?.close();
    await this.durable?.stop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const hook of this.core.hooks.appTerminate)
      await hook({ hookData: this.core.appLevelOnlyHookData, appHookData: this.core.appHookData });
  }

  /**
   * Blob input/output and storage queue trigger/output on Azurite (or the account a binding's connection names).
   * A binding whose connection names no account puts its function in error, as in Azure: reported here, its
   * invocations fail and its queue trigger does not listen.
   */
  private async setUpStorageBindings(queueExtensions: Record<string, unknown> | undefined): Promise<void> {
    const uses = this.functions.flatMap((fn) =>
      storageBindings(fn).map(([, binding, service]) => ({ fn, binding, service })),
    );
    if (uses.length === 0) return;
    const initial = this.options.storageConnectionString;
    const accounts = new StorageAccounts(() => this.storageConnection, new Set([initial]));
    const inError = new Map<string, string>();
    const needed = new Set<Exclude<AzuriteService, 'table'>>();
    for (const { fn, binding, service } of uses) {
      if (service === 'table') continue;
      try {
        accounts.resolve(binding['connection']);
        if (accounts.isHostStorage(binding['connection'])) needed.add(service);
      } catch (error) {
        inError.set(fn.name, (error as Error).message);
      }
    }
    for (const [name, message] of inError) this.logger.error(`The '${name}' function is in error: ${message}`);
    const missing = [...needed].filter((service) => !connectionServes(this.storageConnection, service));
    if (missing.length > 0) {
      if (!this.options.startStorageServices)
        throw new Error(
          `The app binds to Azure Storage ${missing.join(' and ')} on the host's storage, whose connection string names no ${missing.map((s) => (s === 'blob' ? 'BlobEndpoint' : 'QueueEndpoint')).join(' or ')}.`,
        );
      this.storageConnection = await this.options.startStorageServices(missing);
    }
    if (process.env['AzureWebJobsStorage'] === initial) process.env['AzureWebJobsStorage'] = this.storageConnection;

    const now = () => this.clock.now();
    const queues = new StorageQueues(this.services, accounts, this.functions, queueSettings(queueExtensions), (fn) =>
      inError.get(fn.name),
    );
    this.storageQueues = queues;
    this.bindings.register(['blob'], (binding, data) => readBlobInput(accounts, binding, data, now()));
    this.bindings.registerOutput(['blob'], (binding, value, data) =>
      writeBlobOutput(accounts, binding, value, data, now()),
    );
    this.bindings.registerOutput(['queue'], (binding, value, data) => queues.write(binding, value, data));
  }

  private async resumeClock(start: Date | undefined): Promise<Date | undefined> {
    if (!start) {
      this.logger.info('Clock: real time (set CLOCK_START=<ISO instant> for a virtual clock).');
      return undefined;
    }
    // A restarted virtual-time host continues from where its clock stood, never earlier.
    const table = await this.storage.table(CLOCK_TABLE);
    try {
      const stored = await table.getEntity<{ now: string }>('clock', 'virtual');
      const storedMs = Date.parse(stored.now);
      if (storedMs > start.getTime()) {
        this.logger.info(
          `Clock: virtual, resumed at ${stored.now}, where this storage's clock stood when the host last ran (CLOCK_START ${start.toISOString()} is earlier, and the clock never goes back; use a fresh storage or --in-memory to start over).`,
        );
        return new Date(storedMs);
      }
      this.logger.info(
        `Clock: virtual, starting at CLOCK_START ${start.toISOString()} (later than the stored ${stored.now}).`,
      );
      return start;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      this.logger.info(`Clock: virtual, starting at CLOCK_START ${start.toISOString()} (no clock stored yet).`);
      return start;
    }
  }

  /** Queues the app uses: Service Bus triggers and output bindings (the operator endpoints know no others). */
  private queueNames(): string[] {
    const names = new Set<string>();
    for (const fn of this.functions)
      for (const binding of [fn.trigger, ...Object.values(fn.metadata.bindings)]) {
        if (
          !binding ||
          !String(binding['type'] ?? '')
            .toLowerCase()
            .startsWith('servicebus')
        )
          continue;
        const name = binding['queueName'] ?? binding['topicName'];
        if (typeof name === 'string') names.add(name.toLowerCase());
      }
    return [...names].sort();
  }

  private async persistClock(): Promise<void> {
    if (!this.clock.isVirtual) return;
    const table = await this.storage.table(CLOCK_TABLE);
    await table.upsertEntity(
      { partitionKey: 'clock', rowKey: 'virtual', now: this.clock.now().toISOString() },
      'Replace',
    );
  }

  private async dispatchOutputs(fn: RegisteredFunction, response: InvocationResponse): Promise<void> {
    const outputs = [...(response.outputData ?? [])];
    const ret = fn.metadata.bindings['$return'];
    if (ret && ret.type !== 'http' && response.returnValue !== undefined)
      outputs.push({ name: '$return', data: response.returnValue });
    for (const { name, data } of outputs) {
      const binding = fn.metadata.bindings[name];
      if (!binding || binding.type === 'http' || this.bindings.writesOutput(binding.type)) continue;
      const value = fromTypedData(data);
      if (value === undefined || value === null) continue;
      if (binding.type.toLowerCase() === 'servicebus') {
        const queue = String(binding['queueName'] ?? binding['topicName']);
        for (const body of Array.isArray(value) ? value : [value]) await this.queues.send(queue, { body });
      } else {
        this.logger.warn(
          `Function '${fn.name}' wrote to a '${binding.type}' output binding, which the local host does not emulate; the value was not delivered.`,
        );
      }
    }
  }

  private listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const onError = (error: unknown) => {
        this.logger.error(`Request ${req.method} ${req.url} failed in the host:`, error);
        if (!res.headersSent)
          writeProblem(res, 500, 'Internal Server Error', 'The local host failed to process the request.');
        else res.end();
      };
      // Operator calls wait for settled work (clock advance), so they must not count as work themselves.
      if (req.url?.startsWith('/admin')) this.route(req, res).catch(onError);
      else this.work.spawn(`http ${req.method} ${req.url}`, () => this.route(req, res), onError);
    });
    this.server.keepAliveTimeout = 5000;
    // A request Node cannot even parse (bad header bytes, oversized headers) is the client's error: problem+json,
    // answered only when no response is in flight on the socket (as Node's own handler does).
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
      if (error.code !== 'ECONNRESET' && socket.writable && !inFlight?.headersSent) {
        const [status, title] =
          error.code === 'HPE_HEADER_OVERFLOW'
            ? [431, 'Request Header Fields Too Large']
            : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
              ? [408, 'Request Timeout']
              : [400, 'Bad Request'];
        const body = JSON.stringify({ type: 'about:blank', title, status, detail: 'The request could not be parsed.' });
        socket.write(
          `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy(error);
    });
    return new Promise((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`Port ${this.options.port} is taken; set PORT to another port.`)
            : error,
        );
      });
      this.server.listen(this.options.port, this.options.hostname ?? '127.0.0.1', () => {
        const address = this.server.address();
        if (address && typeof address === 'object') this.origin = `http://localhost:${address.port}`;
        resolve();
      });
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.started;
    const body = await readBody(req);
    const url = wellFormedUrl(req.url ?? '/', this.origin);
    // A URL that cannot be decoded is the client's error, as Kestrel answers it: 400, never a crash.
    if (!url) return writeProblem(res, 400, 'Bad Request', 'The request URL is malformed (bad percent-encoding).');
    const path = url.pathname;
    if (path === '/admin' || path.startsWith('/admin/')) {
      return handleAdmin(
        {
          clock: this.clock,
          queues: this.queues,
          functionNames: () => this.functions.map((f) => f.name),
          queueNames: () => this.queueNames(),
          persistClock: () => this.persistClock(),
          settle: () => this.settle(),
        },
        req,
        res,
        path.slice('/admin'.length),
        body,
      );
    }
    for (const prefix of ['/durabletask/', '/runtime/webhooks/durabletask/']) {
      if (path.startsWith(prefix) || path === prefix.slice(0, -1)) {
        if (!this.durable) return writeProblem(res, 404, 'Not Found', 'This app registers no Durable Functions.');
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
        const reply = await this.durable.handleManagement({
          method: (req.method ?? 'GET').toUpperCase(),
          path: path.slice(prefix.length),
          query: url.searchParams,
          headers,
          bodyText: body.toString('utf8'),
        });
        const text =
          reply.body === undefined
            ? undefined
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(reply.headers ?? {}),
        });
        res.end(text);
        return;
      }
    }
    const prefix = this.httpTriggers.routePrefix ? `/${this.httpTriggers.routePrefix}` : '';
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      if (await this.httpTriggers.handle(req, res, path.slice(prefix.length), body, url)) return;
    }
    if (path === '/' && req.method === 'GET')
      return writeJson(res, 200, { host: 'unified-support-lifecycle local host', functions: this.functionList() });
    writeProblem(res, 404, 'Not Found', `No function serves ${req.method} ${path}.`);
  }
}

const SERVED_TRIGGERS = new Set([
  'httptrigger',
  'timertrigger',
  'servicebustrigger',
  'queuetrigger',
  'orchestrationtrigger',
  'activitytrigger',
  'entitytrigger',
]);

function hasInput(fn: RegisteredFunction, ...types: string[]): boolean {
  return Object.values(fn.metadata.bindings).some((b) => b.direction === 'in' && types.includes(b.type.toLowerCase()));
}

function describeTrigger(fn: RegisteredFunction, routePrefix: string): string {
  const t = fn.trigger;
  switch (t.type.toLowerCase()) {
    case 'httptrigger':
      return `${((t['methods'] as string[] | undefined) ?? ['ANY']).join(',')} /${[routePrefix, (t['route'] as string | undefined) ?? fn.name].filter(Boolean).join('/')}`;
    case 'timertrigger':
      return `schedule ${String(t['schedule'])}`;
    case 'servicebustrigger':
      return `queue ${String(t['queueName'] ?? `${String(t['topicName'])}/${String(t['subscriptionName'])}`)}`;
    case 'queuetrigger':
      return `storage queue ${String(t['queueName'])}`;
    default:
      return '';
  }
}

const EMPTY = Buffer.alloc(0);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  // Events rather than the async iterator: cheaper per request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () =>
      resolve(chunks.length === 0 ? EMPTY : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    req.once('error', reject);
  });
}

/** The request URL, or undefined when it cannot be parsed or its path holds an invalid percent-encoding. */
function wellFormedUrl(raw: string, origin: string): URL | undefined {
  try {
    if (!raw.startsWith('/')) return undefined;
    const url = new URL(raw, origin);
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return undefined;
  }
}
