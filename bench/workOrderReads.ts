import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../infra/local/azurite';
import { createWorkOrder, FLEX_YEAR_1, root, startAzuriteAndHost } from './support';

function load(url: string, headers: Record<string, string>, seconds: number): Promise<{ rps: number; total: number }> {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections: 10, duration: seconds }, (error, result) =>
      error ? reject(error) : resolve({ rps: result.requests.average, total: result.requests.total }),
    );
  });
}

/** CPU time (user + system, ms) a process has used so far, from /proc (0 where there is none). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/**
 * Requests per second for GET /api/work-orders/{id} through the local host (principal check, Table read,
 * JSON, ETag), next to a bare node:http server doing the same Table point read (same row, same Azurite, its own
 * TableClient) and answering the Work Order's JSON with its ETag: same load generator, same run. The ratio is what
 * the host costs on top of the storage it waits on.
 */
export async function benchWorkOrderReads(seconds = 5): Promise<Record<string, number>> {
  const { azurite, base, child, stop } = await startAzuriteAndHost({ clockStart: '2027-02-01T09:00:00Z' });
  const principal = {
    'x-ms-client-principal': Buffer.from(
      JSON.stringify({
        claims: [
          { typ: 'roles', val: 'Customer.Reader' },
          { typ: 'roles', val: 'Customer.Manager' },
          { typ: 'customer_id', val: 'contoso' },
        ],
      }),
    ).toString('base64'),
  };
  let bare: ChildProcess | undefined;
  try {
    // Only the provider registers a Work Order; the customer reads it.
    const view = await createWorkOrder(base, {
      number: 'WO-1',
      flexAllocations: FLEX_YEAR_1,
      entitlements: [{ serviceCode: 'EDE', hours: 400 }],
    });
    const barePort = await freePort();
    bare = spawn(process.execPath, [path.join(root, 'dist/bench/bareWorkOrderServer.js')], {
      cwd: root,
      env: { ...process.env, PORT: String(barePort), AzureWebJobsStorage: azurite.connectionString },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      bare!.stdout!.once('data', () => resolve());
      bare!.once('exit', () => reject(new Error('The bare server stopped.')));
    });
    // Alternating rounds, so a burst of load from elsewhere on the machine falls on both sides alike.
    // CPU per request of each server and of Azurite tells where the time goes when the machine is the limit.
    const azuritePid = azurite.pid;
    const side = { host: { rps: 0, n: 0, cpu: 0, storage: 0 }, bare: { rps: 0, n: 0, cpu: 0, storage: 0 } };
    const measure = async (which: 'host' | 'bare', url: string, pid: number | undefined) => {
      const [cpu0, storage0] = [cpuMs(pid), cpuMs(azuritePid)];
      const { rps, total } = await load(url, principal, seconds);
      side[which].rps += rps / 2;
      side[which].n += total;
      side[which].cpu += cpuMs(pid) - cpu0;
      side[which].storage += cpuMs(azuritePid) - storage0;
    };
    for (let round = 0; round < 2; round++) {
      await measure('host', `${base}/api/work-orders/${view.id}`, child.pid);
      await measure('bare', `http://localhost:${barePort}/api/work-orders/${view.id}`, bare.pid);
    }
    const perRequest = (ms: number, n: number) => Number((ms / Math.max(n, 1)).toFixed(3));
    return {
      hostRps: Math.round(side.host.rps),
      bareRps: Math.round(side.bare.rps),
      ratio: Number((side.host.rps / side.bare.rps).toFixed(3)),
      hostCpuMsPerRequest: perRequest(side.host.cpu, side.host.n),
      bareCpuMsPerRequest: perRequest(side.bare.cpu, side.bare.n),
      azuriteCpuMsPerHostRequest: perRequest(side.host.storage, side.host.n),
      azuriteCpuMsPerBareRequest: perRequest(side.bare.storage, side.bare.n),
    };
  } finally {
    bare?.kill('SIGTERM');
    await stop();
  }
}
