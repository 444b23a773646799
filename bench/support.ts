import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort, startAzurite, type RunningAzurite } from '../infra/local/azurite';

/** CPU time (user + system, ms) a process has used so far, from /proc (0 where there is none). */
export function cpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** The repository root (benchmarks run from dist/bench). */
export const root = path.resolve(__dirname, '../..');

/** A local host a benchmark started: its URL and how to stop it (waits for the process to exit). */
export interface BenchHost {
  base: string;
  /** The host's process (its pid for CPU figures). */
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the local host (dist/infra/local/main.js, `HOST_NODE_ARGS` passed to node) on a free port against `storage`
 * with the virtual clock at `clockStart`, and resolves once /admin/health answers (at most 60 s).
 */
export async function startHost(options: { storage: string; clockStart: string; args?: string[] }): Promise<BenchHost> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env['HOST_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
      path.join(root, 'dist/infra/local/main.js'),
      ...(options.args ?? []),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        AzureWebJobsStorage: options.storage,
        CLOCK_START: options.clockStart,
        LOCAL_HOST_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const host: BenchHost = {
    base: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${host.base}/admin/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return host;
    if (child.exitCode !== null || Date.now() > deadline) {
      await host.stop();
      throw new Error(`The local host on port ${port} did not start.`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A fresh Azurite and a local host on it; `stop` ends both. With `countRequests` the host talks to Azurite through
 * a counting proxy (which adds its own latency: for finding where requests go, not for the ratio).
 */
export async function startAzuriteAndHost(options: {
  clockStart: string;
  args?: string[];
  countRequests?: boolean;
}): Promise<BenchHost & { azurite: RunningAzurite; counts?: RequestCounts }> {
  const azurite = await startAzurite({ port: await freePort() });
  const proxy = options.countRequests ? await countingProxy(azurite) : undefined;
  try {
    const host = await startHost({ ...options, storage: proxy?.connectionString ?? azurite.connectionString });
    return {
      azurite,
      counts: proxy?.counts,
      base: host.base,
      child: host.child,
      stop: async () => {
        await host.stop();
        proxy?.close();
        await azurite.stop();
      },
    };
  } catch (error) {
    proxy?.close();
    await azurite.stop();
    throw error;
  }
}

/** Easy Auth principal headers, as App Service forwards them. */
export function principalHeader(roles: string[], customerId?: string): { 'x-ms-client-principal': string } {
  const claims = [
    ...roles.map((val) => ({ typ: 'roles', val })),
    ...(customerId !== undefined ? [{ typ: 'customer_id', val: customerId }] : []),
  ];
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', role_typ: 'roles', claims })).toString(
      'base64',
    ),
  };
}

/** The provider's principal: only a CSAM registers a Work Order. */
export const CSAM_HEADER = principalHeader(['Provider.Csam']);

/** Year 1 of the flex allowance fully allocated within FLEX-2. */
export const FLEX_YEAR_1 = [
  { year: 1, target: 'proactiveCredits', amount: 50000 },
  { year: 1, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
];

/**
 * A valid POST /api/work-orders body shaped like the api-contract example: a two-year term with both flex years
 * fully allocated within FLEX-2, Host NL. Callers override what they are about.
 */
export function workOrderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId: 'contoso',
    number: 'WO-1001',
    signedAt: '2026-12-15',
    term: { start: '2027-01-01', end: '2028-12-31' },
    host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
    downstream: [],
    currency: 'USD',
    basePackage: { listPrice: 1200000, flexAllowancePerYear: 150000 },
    flexAllocations: [
      ...FLEX_YEAR_1,
      { year: 2, target: 'proactiveCredits', amount: 50000 },
      { year: 2, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
    ],
    entitlements: [],
    proactiveCredits: { NL: 200 },
    ...overrides,
  };
}

/** Registers a Work Order as the provider; the answer (its view, with its `id`). */
export async function createWorkOrder(
  base: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string } & Record<string, unknown>> {
  const response = await fetch(`${base}/api/work-orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...CSAM_HEADER },
    body: JSON.stringify(workOrderBody(overrides)),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /api/work-orders answered ${response.status}: ${text}`);
  return JSON.parse(text) as { id: string } & Record<string, unknown>;
}

/** Debian's chromium package (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Flags for a machine without outside network: without them Chromium's own background connections (updates, sync,
 * QUIC probes) are refused many at a time.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** For each incident: opened (B), raised to A five minutes later, first response at 20 minutes: three ticket events. */
export function incidentEventTrios(
  workOrderId: string,
  incidents: number,
  prefix: string,
  description: string,
): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = [];
  for (let i = 0; i < incidents; i++) {
    const incidentId = `${prefix}-${i}`;
    events.push({
      eventId: `o-${i}`,
      type: 'IncidentOpened',
      occurredAt: '2027-03-01T09:00:00+01:00',
      incidentId,
      workOrderId,
      severity: 'B',
      product: { family: 'Azure', service: 'Azure SQL Database' },
      channel: 'web',
      description,
      location: 'NL',
    });
    events.push({
      eventId: `s-${i}`,
      type: 'SeverityChanged',
      occurredAt: '2027-03-01T09:05:00+01:00',
      incidentId,
      workOrderId,
      severity: 'A',
    });
    events.push({
      eventId: `f-${i}`,
      type: 'FirstResponse',
      occurredAt: '2027-03-01T09:20:00+01:00',
      incidentId,
      workOrderId,
      automated: false,
    });
  }
  return events;
}

/** What a counting proxy saw: requests, and the milliseconds they took, by table and kind. */
export interface RequestCounts {
  total: number;
  /** Prefixed to each key while set (a bench names its phases). */
  phase?: string;
  byKind: Map<string, { n: number; ms: number }>;
}

/**
 * A proxy in front of Azurite that counts every request by table and kind (point read, query, write, transaction)
 * with the time Azurite took to answer it. `connectionString` points at the proxy.
 */
export async function countingProxy(
  azurite: RunningAzurite,
): Promise<{ connectionString: string; counts: RequestCounts; close(): void }> {
  const upstreamUrl = new URL(/TableEndpoint=([^;]+)/.exec(azurite.connectionString)?.[1] ?? '');
  const counts: RequestCounts = { total: 0, byKind: new Map() };
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = req.url ?? '';
      const batch = url.includes('$batch');
      const table =
        (batch
          ? /\/devstoreaccount1\/([A-Za-z0-9]+)[(\s?]/.exec(body.toString('utf8'))?.[1]
          : /\/devstoreaccount1\/([A-Za-z0-9]+)/.exec(url)?.[1]) ?? 'unknown';
      const kind = batch
        ? 'transaction'
        : req.method === 'GET'
          ? /\(PartitionKey=/.test(url)
            ? 'pointRead'
            : 'query'
          : `${req.method?.toLowerCase()}`;
      const key = `${counts.phase ? `${counts.phase} ` : ''}${table} ${kind}`;
      const started = performance.now();
      counts.total++;
      const upstream = http.request(
        { host: upstreamUrl.hostname, port: upstreamUrl.port, path: url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
          up.on('end', () => {
            const entry = counts.byKind.get(key) ?? { n: 0, ms: 0 };
            entry.n++;
            entry.ms += performance.now() - started;
            counts.byKind.set(key, entry);
          });
        },
      );
      upstream.end(body);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
  return {
    connectionString: azurite.connectionString.replace(`:${upstreamUrl.port}/`, `:${port}/`),
    counts,
    close: () => proxy.close(),
  };
}

/** The counts as one object for a bench's JSON line: `<table> <kind>` → "n, ms". */
export function countsSummary(counts: RequestCounts): Record<string, string> {
  return Object.fromEntries(
    [...counts.byKind]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([key, { n, ms }]) => [`req ${key}`, `${n} requests, ${Math.round(ms)} ms`]),
  );
}

/** JSON requests to a host at `base` (the body, when there is one, sent as JSON). */
export interface HostClient {
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
  post(pathname: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export function hostClient(base: string): HostClient {
  const request = (method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${pathname}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    get: (pathname, headers) => request('GET', pathname, undefined, headers),
    post: (pathname, body, headers) => request('POST', pathname, body, headers),
  };
}
