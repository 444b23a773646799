import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, startAzurite } from '../infra/local/azurite';

const root = path.resolve(__dirname, '../..');

/** Wall time from spawning `node dist/infra/local/main.js` to the first answered /admin/health (Azurite already up). */
export async function measureHostStartup(
  options: { app?: string; runs?: number } = {},
): Promise<{ medianMs: number; runsMs: number[] }> {
  const azurite = await startAzurite({ port: await freePort() });
  const runsMs: number[] = [];
  try {
    for (let i = 0; i < (options.runs ?? 3); i++) {
      const port = await freePort();
      const started = performance.now();
      const args = [path.join(root, 'dist/infra/local/main.js'), ...(options.app ? ['--app', options.app] : [])];
      const child = spawn(process.execPath, args, {
        cwd: root,
        env: {
          ...process.env,
          PORT: String(port),
          AzureWebJobsStorage: azurite.connectionString,
          LOCAL_HOST_LOG_LEVEL: 'error',
        },
        stdio: 'ignore',
      });
      for (;;) {
        const ok = await fetch(`http://localhost:${port}/admin/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (child.exitCode !== null) throw new Error('host exited during start-up');
        await new Promise((r) => setTimeout(r, 10));
      }
      runsMs.push(performance.now() - started);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await azurite.stop();
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, runsMs };
}
