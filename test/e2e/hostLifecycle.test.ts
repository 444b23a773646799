import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalAzurite, freePort, isAlive, stopEverything } from '../../infra/local/azurite';
import { startHostProcess, projectRoot, type HostProcess } from '../support/hostProcess';

// `npm start` as a user runs it: the host with Azurite as its own long-lived process (data under AZURITE_LOCATION),
// crashed with kill -9, stopped with SIGTERM, cleaned up with `npm stop`. The app is the small Durable fixture: an
// orchestration it started (202) is an acknowledged write, and it waits on a timer, so it stays to be read back.
const run = promisify(execFile);
const clockStart = '2027-02-01T09:00:00Z';
let dir: string;
let env: Record<string, string>;

const tableRecord = () =>
  JSON.parse(fs.readFileSync(path.join(dir, 'azurite-table.json'), 'utf8')) as { pid: number; port: number };
const hostRecordPids = () =>
  fs
    .readdirSync(dir)
    .filter((f) => /^host-\d+\.json$/.test(f))
    .map((f) => Number(/\d+/.exec(f)?.[0]));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const app = 'test/fixtures/durableHostApp/index.js';
const start = (options: { viaNpm?: boolean } = {}) =>
  startHostProcess({ app, clockStart, env, startTimeoutMs: 60_000, ...options });

async function startOrchestration(host: HostProcess, id: string): Promise<string> {
  const response = await host.post(`/api/orchestrators/approval/${id}`, 'Ada');
  expect(response.status).toBe(202);
  return id;
}

/** The orchestration's status from storage ('' when the instance does not exist). */
const read = async (host: HostProcess, id: string) => {
  const response = await host.get(`/api/instances/${id}`);
  return response.status === 200 ? ((await response.json()) as { runtimeStatus: string }).runtimeStatus : '';
};

describe('local host lifecycle: storage that outlives the host, clean stops, no manual cleanup', () => {
  beforeAll(async () => {
    // What `npm start` runs first; done here so the timed starts below do not include a type-check.
    await run(process.execPath, [path.join(projectRoot, 'infra/local/buildIfNeeded.mjs')], { cwd: projectRoot });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-'));
    env = {
      AZURITE_LOCATION: dir,
      AZURITE_TABLE_PORT: String(await freePort()),
      LOCAL_HOST_LOG_LEVEL: 'warning',
    };
  }, 180_000);

  afterAll(async () => {
    await stopEverything(dir); // whatever a failed test left running
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('kill -9 of the host: Azurite keeps running and the restart reuses it (naming its PID), nothing lost; npm stop stops the one a crash left', async () => {
    const first = await start();
    const azurite = tableRecord().pid;
    const before = await startOrchestration(first, 'crash-1');
    await first.crash();
    expect(isAlive(azurite)).toBe(true);

    const second = await start();
    expect(second.output()).toContain(
      `Reusing Azurite's table service left running by an earlier start: PID ${azurite}`,
    );
    expect(await read(second, before)).toBe('Running');
    const justBefore = await startOrchestration(second, 'crash-2');
    await second.crash();

    const { stdout } = await run('npm', ['stop', '--silent'], { cwd: projectRoot, env: { ...process.env, ...env } });
    expect(stdout).toContain(`Stopped Azurite's table service (PID ${azurite}`);
    expect(isAlive(azurite)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'azurite-table.json'))).toBe(false);

    const third = await start();
    const fresh = tableRecord().pid;
    expect(fresh).not.toBe(azurite);
    expect(third.output()).toContain(`Azurite's table service started: PID ${fresh}`);
    // Written a moment before the crash; npm stop stopped Azurite with SIGINT, so its store was saved.
    expect(await read(third, before)).toBe('Running');
    expect(await read(third, justBefore)).toBe('Running');

    await third.signal('SIGTERM');
    await until(() => !isAlive(fresh), 'Azurite to stop with the host');
    expect(fs.existsSync(path.join(dir, 'azurite-table.json'))).toBe(false);
    expect(hostRecordPids()).toEqual([]);
  });

  it('SIGTERM to `npm start` reaches the host, which stops Azurite with SIGINT: an orchestration started a moment before is there after the restart', async () => {
    const viaNpm = await start({ viaNpm: true });
    const azurite = tableRecord().pid;
    const [hostPid] = hostRecordPids();
    expect(hostPid).toBeDefined();
    const id = await startOrchestration(viaNpm, 'sigterm-1');
    await viaNpm.signal('SIGTERM');
    await until(() => !isAlive(hostPid as number) && !isAlive(azurite), 'the host and Azurite to stop');
    expect(fs.existsSync(path.join(dir, 'azurite-table.json'))).toBe(false);

    const again = await start();
    expect(again.output()).not.toContain('Reusing');
    expect(await read(again, id)).toBe('Running');
    await again.stop();
  });

  it('a taken port is one clear line, without a stack trace', async () => {
    const own = { ...env, AZURITE_LOCATION: fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-ports-')) };
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, resolve));
    try {
      const main = path.join(projectRoot, 'dist/infra/local/main.js');
      const failure = await run(process.execPath, [main], {
        cwd: projectRoot,
        env: { ...process.env, ...own, PORT: String(port) },
      }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr.trim()).toBe(
        `Port ${port} is taken (another local host?); set PORT or --port to another port.`,
      );

      const azuritePort = await freePort();
      const blockAzurite = net.createServer();
      await new Promise<void>((resolve) => blockAzurite.listen(azuritePort, '127.0.0.1', resolve));
      const clash = await run(process.execPath, [main], {
        cwd: projectRoot,
        env: { ...process.env, ...own, PORT: String(await freePort()), AZURITE_TABLE_PORT: String(azuritePort) },
      }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      blockAzurite.close();
      expect(clash?.code).toBe(1);
      expect(clash?.stderr.trim().split('\n')).toHaveLength(1);
      expect(clash?.stderr).toContain(`Port ${azuritePort} on 127.0.0.1 is taken by another program`);
    } finally {
      blocker.close();
      fs.rmSync(own.AZURITE_LOCATION, { recursive: true, force: true });
    }
  });

  // retry: under a full parallel run its freshly freed port is sometimes taken by another file's process (known
  // flake, see the closing note); the behaviour it checks passes alone every time.
  it(
    'a crash of Azurite itself needs no cleanup: the next start finds its record stale and starts a fresh Azurite',
    { retry: 2 },
    async () => {
      const own = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-azurite-'));
      const ports = { table: await freePort(), blob: await freePort(), queue: await freePort() };
      const logs: string[] = [];
      const make = () => new LocalAzurite({ stateDir: own, inMemory: false, ports, log: (m) => logs.push(m) });
      try {
        const crashed = await make().ensure('table');
        process.kill(crashed.pid, 'SIGKILL');
        await until(() => !isAlive(crashed.pid), 'Azurite to die');

        const next = make();
        const fresh = await next.ensure('table');
        expect(fresh.pid).not.toBe(crashed.pid);
        expect(logs).toContain(
          `Azurite's table service from an earlier start (PID ${crashed.pid}) is gone; starting a new one on the saved files.`,
        );
        expect(logs.at(-1)).toBe(
          `Azurite's table service started: PID ${fresh.pid}, port ${ports.table}, data in ${own}.`,
        );
        await next.release();
        expect(isAlive(fresh.pid)).toBe(false);
        expect(logs.at(-1)).toBe(`Azurite's table service (PID ${fresh.pid}) stopped with SIGINT, its store saved.`);
      } finally {
        await stopEverything(own);
        fs.rmSync(own, { recursive: true, force: true });
      }
    },
  );
});
