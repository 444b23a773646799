import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteService = 'table' | 'blob' | 'queue';

/** Azurite's own defaults, and the settings that move them. */
export const AZURITE_PORTS: Record<AzuriteService, { port: number; env: string }> = {
  blob: { port: 10000, env: 'AZURITE_BLOB_PORT' },
  queue: { port: 10001, env: 'AZURITE_QUEUE_PORT' },
  table: { port: 10002, env: 'AZURITE_TABLE_PORT' },
};

const ENDPOINT: Record<AzuriteService, string> = {
  table: 'TableEndpoint',
  blob: 'BlobEndpoint',
  queue: 'QueueEndpoint',
};

export function azuriteConnectionString(host: string, ports: number | Partial<Record<AzuriteService, number>>): string {
  const byService = typeof ports === 'number' ? { table: ports } : ports;
  let text = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};`;
  for (const service of ['blob', 'queue', 'table'] as const) {
    const port = byService[service];
    if (port !== undefined) text += `${ENDPOINT[service]}=http://${host}:${port}/devstoreaccount1;`;
  }
  return text;
}

/** Does the connection string name an endpoint for `service` (explicitly, or through an account name)? */
export function connectionServes(connectionString: string, service: AzuriteService): boolean {
  return (
    new RegExp(`(^|;)\\s*${ENDPOINT[service]}=`, 'i').test(connectionString) ||
    !/(^|;)\s*(TableEndpoint|BlobEndpoint|QueueEndpoint)=/i.test(connectionString)
  );
}

/** A port another program holds: said in one line, without a stack trace. */
export class PortTakenError extends Error {}

/** Is `port` free on `host` (default: every interface, as the host's HTTP server listens)? */
export async function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    const done = () => server.close(() => resolve(true));
    if (host) server.listen(port, host, done);
    else server.listen(port, done);
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningAzurite {
  connectionString: string;
  port: number;
  /** The Azurite process, where this process started one (benches read its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

function azuriteArgs(service: AzuriteService, port: number, host: string, location: string | undefined): string[] {
  const bin = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', service, 'main.js');
  const args = [
    ...(process.env['AZURITE_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
    bin,
    `--${service}Host`,
    host,
    `--${service}Port`,
    String(port),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ];
  if (location) args.push('--location', location);
  else args.push('--inMemoryPersistence');
  return args;
}

/**
 * Starts one Azurite service as a child of this process (tests and benchmarks): persistent under `location`, or
 * in memory. `npm start` uses {@link LocalAzurite} instead, whose Azurite outlives the host.
 */
export async function startAzurite(options: {
  port: number;
  location?: string;
  host?: string;
  service?: AzuriteService;
}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const service = options.service ?? 'table';
  if (!(await isPortFree(options.port, host))) throw portTaken(service, options.port, host);
  const child: ChildProcess = spawn(process.execPath, azuriteArgs(service, options.port, host, options.location), {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(options.port, host, () =>
    child.exitCode !== null ? `exited with code ${child.exitCode}: ${stderr}` : undefined,
  );
  return {
    connectionString: azuriteConnectionString(host, { [service]: options.port }),
    port: options.port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT is the signal on which every Azurite service closes cleanly (saves its store; writes a --cpu-prof).
        child.kill('SIGINT');
      }),
  };
}

/** Table, blob and queue services on free ports, as children of this process, with one connection string. */
export async function startAzuriteServices(services: AzuriteService[], location?: string): Promise<RunningAzurite> {
  const running: Array<RunningAzurite & { service: AzuriteService }> = [];
  try {
    for (const service of services)
      running.push({ ...(await startAzurite({ port: await freePort(), service, location })), service });
  } catch (error) {
    await Promise.all(running.map((r) => r.stop()));
    throw error;
  }
  const ports = Object.fromEntries(running.map((r) => [r.service, r.port]));
  return {
    connectionString: azuriteConnectionString('127.0.0.1', ports),
    port: ports['table'] ?? running[0]?.port ?? 0,
    stop: async () => {
      await Promise.all(running.map((r) => r.stop()));
    },
  };
}

function portTaken(service: AzuriteService, port: number, host: string): PortTakenError {
  return new PortTakenError(
    `Port ${port} on ${host} is taken by another program, so Azurite's ${service} service cannot start there. ` +
      `Stop that program, set ${AZURITE_PORTS[service].env} to another port, or point AzureWebJobsStorage at a running storage emulator.`,
  );
}

async function waitForPort(port: number, host: string, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const failure = failed();
    if (failure) throw new Error(`Azurite ${failure}`);
    if (await isListening(port, host)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Azurite did not open port ${port} within 20 s. ${failed() ?? ''}`);
}

function isListening(port: number, host: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// ---- Azurite as its own long-lived process (npm start) ----------------------------------------------------------

/** What `npm start` records about an Azurite service it started, in `<state dir>/azurite-<service>.json`. */
export interface AzuriteRecord {
  service: AzuriteService;
  pid: number;
  host: string;
  port: number;
  /** The data folder, or null for --in-memory. */
  location: string | null;
  startedAt: string;
}

/** What a running host records in `<state dir>/host-<pid>.json`, so `npm stop` finds it. */
export interface HostRecord {
  pid: number;
  port: number;
  /** PIDs of the Azurite services it uses. */
  azurite: number[];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // An exited process its new parent has not reaped yet (state Z) is gone for our purposes.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux)
  }
}

/** A live PID that still runs what the record says (guards against a PID the system gave to another program). */
function runs(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return true; // no /proc (not Linux): the PID check alone
  }
}

const azuriteMarker = (service: AzuriteService) => path.join('azurite', 'dist', 'src', service, 'main.js');

function readRecord<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeRecord(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** Stops an Azurite process with SIGINT, the signal on which Azurite saves its store before it exits. */
export async function stopAzuriteProcess(pid: number): Promise<'flushed' | 'killed'> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return 'flushed';
  }
  if (await waitForExit(pid, 20_000)) return 'flushed';
  process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 5_000);
  return 'killed';
}

/** Live hosts recorded in `stateDir` (stale records of crashed hosts are removed). */
export function liveHosts(stateDir: string): HostRecord[] {
  const hosts: HostRecord[] = [];
  if (!fs.existsSync(stateDir)) return hosts;
  for (const name of fs.readdirSync(stateDir)) {
    if (!/^host-\d+\.json$/.test(name)) continue;
    const file = path.join(stateDir, name);
    const record = readRecord<HostRecord>(file);
    if (record && runs(record.pid, 'main.js')) hosts.push(record);
    else fs.rmSync(file, { force: true });
  }
  return hosts;
}

export interface LocalAzuriteOptions {
  /** Where the state files (and, unless in memory, the data) live: `.azurite/` by default. */
  stateDir: string;
  inMemory: boolean;
  host?: string;
  ports: Record<AzuriteService, number>;
  log: (message: string) => void;
}

/**
 * The Azurite services of `npm start`, each its own detached, long-lived process: started when none is running,
 * found again (by its record and PID) and reused after a host crash, and stopped with SIGINT when the host stops.
 */
export class LocalAzurite {
  private readonly records = new Map<AzuriteService, AzuriteRecord>();
  private readonly startedHere = new Set<AzuriteService>();
  private readonly host: string;

  constructor(private readonly options: LocalAzuriteOptions) {
    this.host = options.host ?? '127.0.0.1';
  }

  get location(): string | null {
    return this.options.inMemory ? null : this.options.stateDir;
  }

  connectionString(): string {
    return azuriteConnectionString(
      this.host,
      Object.fromEntries([...this.records.values()].map((r) => [r.service, r.port])),
    );
  }

  pids(): number[] {
    return [...this.records.values()].map((r) => r.pid);
  }

  /** Reuses this project's running Azurite for `service`, or starts one. */
  async ensure(service: AzuriteService): Promise<AzuriteRecord> {
    const known = this.records.get(service);
    if (known) return known;
    fs.mkdirSync(this.options.stateDir, { recursive: true });
    const file = this.recordFile(service);
    const port = this.options.ports[service];
    const where = this.location ? `data in ${this.describeDir()}` : 'in memory';
    const existing = readRecord<AzuriteRecord>(file);
    if (existing && runs(existing.pid, azuriteMarker(service))) {
      if (existing.port !== port || existing.location !== this.location)
        throw new PortTakenError(
          `Azurite's ${service} service from an earlier start is still running (PID ${existing.pid}, port ${existing.port}, ` +
            `${existing.location ? `data in ${existing.location}` : 'in memory'}), but this start asks for port ${port}, ${where}. ` +
            'Run `npm stop` first.',
        );
      if (await isListening(existing.port, existing.host)) {
        this.records.set(service, existing);
        this.options.log(
          `Reusing Azurite's ${service} service left running by an earlier start: PID ${existing.pid}, port ${existing.port}, ${where}.`,
        );
        return existing;
      }
    }
    if (existing) {
      fs.rmSync(file, { force: true });
      this.options.log(
        `Azurite's ${service} service from an earlier start (PID ${existing.pid}) is gone; starting a new one ${this.location ? 'on the saved files' : 'in memory'}.`,
      );
      // Its port can stay bound for a moment after the process is gone (seen on a loaded machine).
      for (const deadline = Date.now() + 5_000; Date.now() < deadline && !(await isPortFree(port, this.host));)
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!(await isPortFree(port, this.host))) throw portTaken(service, port, this.host);

    const logFile = path.join(this.options.stateDir, `azurite-${service}.log`);
    const out = fs.openSync(logFile, 'a');
    // Detached (own process group): a Ctrl-C or kill of the host's group does not reach it; the host stops it.
    const child = spawn(process.execPath, azuriteArgs(service, port, this.host, this.location ?? undefined), {
      detached: true,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`Azurite's ${service} service could not be started.`);
    let exited: string | undefined;
    child.once('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
    try {
      await waitForPort(port, this.host, () =>
        exited ? `${exited}; its log ${logFile} ends: ${tail(logFile)}` : undefined,
      );
    } catch (error) {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      throw error;
    }
    const record: AzuriteRecord = {
      service,
      pid,
      host: this.host,
      port,
      location: this.location,
      startedAt: new Date().toISOString(),
    };
    writeRecord(file, record);
    this.records.set(service, record);
    this.startedHere.add(service);
    this.options.log(`Azurite's ${service} service started: PID ${pid}, port ${port}, ${where}.`);
    return record;
  }

  /**
   * Stops the services this host used, with SIGINT so Azurite saves its store first; a service another live host
   * still uses keeps running. `onlyStartedHere`: after a failed start, stop only what this start began.
   */
  async release(options: { onlyStartedHere?: boolean } = {}): Promise<void> {
    const others = liveHosts(this.options.stateDir).filter((h) => h.pid !== process.pid);
    const stopping = [...this.records.values()].map(async (record) => {
      if (options.onlyStartedHere && !this.startedHere.has(record.service)) return;
      const user = others.find((h) => h.azurite.includes(record.pid));
      if (user) {
        this.options.log(
          `Azurite's ${record.service} service (PID ${record.pid}) keeps running for the host PID ${user.pid}.`,
        );
        return;
      }
      const how = await stopAzuriteProcess(record.pid);
      const file = this.recordFile(record.service);
      if (readRecord<AzuriteRecord>(file)?.pid === record.pid) fs.rmSync(file, { force: true });
      this.options.log(
        how === 'flushed'
          ? `Azurite's ${record.service} service (PID ${record.pid}) stopped with SIGINT, its store saved.`
          : `Azurite's ${record.service} service (PID ${record.pid}) did not stop within 20 s of SIGINT and was killed.`,
      );
    });
    await Promise.all(stopping);
    this.records.clear();
  }

  /** Records this host (its PID, port and the Azurite it uses) for `npm stop`; removed again by {@link forgetHost}. */
  recordHost(port: number): void {
    fs.mkdirSync(this.options.stateDir, { recursive: true });
    writeRecord(this.hostFile(), { pid: process.pid, port, azurite: this.pids() } satisfies HostRecord);
  }

  forgetHost(): void {
    fs.rmSync(this.hostFile(), { force: true });
  }

  private hostFile(): string {
    return path.join(this.options.stateDir, `host-${process.pid}.json`);
  }

  private recordFile(service: AzuriteService): string {
    return path.join(this.options.stateDir, `azurite-${service}.json`);
  }

  private describeDir(): string {
    const relative = path.relative(process.cwd(), this.options.stateDir);
    return relative && !relative.startsWith('..') ? `${relative}/` : this.options.stateDir;
  }
}

/**
 * `npm stop`: stops the local hosts recorded in `stateDir` (each stops its Azurite) and then any Azurite a crashed
 * host left running. Returns one line per process stopped.
 */
export async function stopEverything(stateDir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const host of liveHosts(stateDir)) {
    process.kill(host.pid, 'SIGTERM');
    const gone = await waitForExit(host.pid, 30_000);
    lines.push(
      gone
        ? `Stopped the local host (PID ${host.pid}, port ${host.port}).`
        : `The local host (PID ${host.pid}) did not stop within 30 s.`,
    );
  }
  if (!fs.existsSync(stateDir)) return lines;
  for (const name of fs.readdirSync(stateDir)) {
    const match = /^azurite-(table|blob|queue)\.json$/.exec(name);
    if (!match) continue;
    const file = path.join(stateDir, name);
    const record = readRecord<AzuriteRecord>(file);
    if (record && runs(record.pid, azuriteMarker(record.service))) {
      const how = await stopAzuriteProcess(record.pid);
      lines.push(
        how === 'flushed'
          ? `Stopped Azurite's ${record.service} service (PID ${record.pid}, port ${record.port}) with SIGINT, its store saved.`
          : `Azurite's ${record.service} service (PID ${record.pid}) did not stop on SIGINT and was killed.`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  return lines;
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no log)';
  }
}
