import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../infra/local/azurite';

export const projectRoot = path.resolve(__dirname, '../..');

export interface HostProcess {
  url: string;
  /** The spawned process: the host itself, or `npm` with `viaNpm`. */
  pid: number;
  /** Sends a signal and waits until the spawned process has exited. */
  signal(signal: NodeJS.Signals): Promise<void>;
  output(): string;
  /** kill -9: no shutdown hooks, nothing flushed. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
  post(pathname: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  advance(minutes: number): Promise<string>;
  settle(): Promise<void>;
}

export interface HostProcessOptions {
  /** App entry (relative to the project root); default: the project's own app. */
  app?: string;
  /** Without it the host runs its own long-lived Azurite (as `npm start` does), under AZURITE_LOCATION. */
  storageConnectionString?: string;
  clockStart?: string;
  /** Start through `npm start`, as a user does. */
  viaNpm?: boolean;
  /** How long to wait for /admin/health (default 30 s). */
  startTimeoutMs?: number;
  port?: number;
  env?: Record<string, string>;
}

/** Runs the built local host (dist/infra/local/main.js) as a child process, as `npm start` does. */
export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const port = options.port ?? (await freePort());
  const main = path.join(projectRoot, 'dist/infra/local/main.js');
  if (!fs.existsSync(main))
    throw new Error('dist/ is missing: run `npm run build` (npm test does this) before end-to-end tests.');
  const appArgs = options.app ? ['--app', options.app] : [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['AzureWebJobsStorage'];
  const [command, args] = options.viaNpm
    ? ['npm', ['start', '--silent', '--', ...appArgs]]
    : [process.execPath, [main, ...appArgs]];
  const child: ChildProcess = spawn(command, args, {
    cwd: projectRoot,
    env: {
      ...env,
      PORT: String(port),
      ...(options.storageConnectionString ? { AzureWebJobsStorage: options.storageConnectionString } : {}),
      ...(options.clockStart ? { CLOCK_START: options.clockStart } : {}),
      LOCAL_HOST_LOG_LEVEL: process.env['LOCAL_HOST_LOG_LEVEL'] ?? 'warning',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://localhost:${port}`;
  await waitUntilUp(url, child, () => output, options.startTimeoutMs ?? 30_000);
  const exited = () =>
    new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
    );
  const request =
    (method: string) =>
    (pathname: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${url}${pathname}`, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
  const host: HostProcess = {
    url,
    pid: child.pid ?? 0,
    async signal(signal) {
      child.kill(signal);
      await exited();
    },
    output: () => output,
    async crash() {
      child.kill('SIGKILL');
      await exited();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited();
    },
    get: (pathname, headers) => request('GET')(pathname, undefined, headers),
    post: (pathname, body, headers) => request('POST')(pathname, body, headers),
    async advance(minutes) {
      const response = await host.post('/admin/clock', { advanceMinutes: minutes });
      if (!response.ok) throw new Error(`advance failed: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { now: string }).now;
    },
    async settle() {
      const response = await host.post('/admin/settle');
      if (!response.ok) throw new Error(`settle failed: ${response.status}`);
    },
  };
  return host;
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The host exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/admin/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`The host did not answer within ${timeoutMs / 1000} s:\n${output()}`);
}
