import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(host: string, tablePort: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};TableEndpoint=http://${host}:${tablePort}/devstoreaccount1;`;
}

export class PortTakenError extends Error {}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
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
  stop(): Promise<void>;
}

/** Starts Azurite's table service from the npm package: persistent under `location`, or in memory. */
export async function startAzurite(options: {
  port: number;
  location?: string;
  host?: string;
}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  if (!(await isPortFree(options.port, host))) {
    throw new PortTakenError(
      `Port ${options.port} on ${host} is taken, so Azurite cannot start there. Stop whatever listens on it (another 'npm start'?), ` +
        'set AZURITE_TABLE_PORT to another port, or point AzureWebJobsStorage at a running storage emulator.',
    );
  }
  const bin = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table', 'main.js');
  const args = [
    ...(process.env['AZURITE_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
    bin,
    '--tableHost',
    host,
    '--tablePort',
    String(options.port),
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
  ];
  if (options.location) args.push('--location', options.location);
  else args.push('--inMemoryPersistence');
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(options.port, host, child, () => stderr);
  return {
    connectionString: azuriteConnectionString(host, options.port),
    port: options.port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT closes Azurite gracefully, so a --cpu-prof given in AZURITE_NODE_ARGS gets written.
        child.kill(process.env['AZURITE_NODE_ARGS'] ? 'SIGINT' : 'SIGTERM');
      }),
  };
}

async function waitForPort(port: number, host: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}: ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Azurite did not open port ${port} within 20 s: ${stderr()}`);
}
