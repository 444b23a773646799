import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../infra/local/azurite';
import { cpuMs, createWorkOrder, FLEX_YEAR_1, root, startAzuriteAndHost, startHost, type BenchHost } from './support';

function load(url: string, headers: Record<string, string>, seconds: number): Promise<{ rps: number; total: number }> {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections: 10, duration: seconds }, (error, result) =>
      error ? reject(error) : resolve({ rps: result.requests.average, total: result.requests.total }),
    );
  });
}

/** Starts bench/bareWorkOrderServer.js (BARE_NODE_ARGS passed to node) and resolves once it listens. */
async function startBare(
  storage: string,
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env['BARE_NODE_ARGS'] ?? '').split(' ').filter(Boolean),
      path.join(root, 'dist/bench/bareWorkOrderServer.js'),
    ],
    {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port), AzureWebJobsStorage: storage },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => reject(new Error('The bare server stopped.')));
  });
  return { url: `http://localhost:${port}`, child };
}

/**
 * Requests per second for GET /api/work-orders/{id} through the local host (principal check, Table read,
 * JSON, ETag), next to a bare node:http server doing the same Table point read (same row, same Azurite, its own
 * TableClient) and answering the Work Order's JSON with its ETag: same load generator, same run. The ratio is what
 * the host costs on top of the storage it waits on.
 *
 * Two more sides measure the floor that no app code can go below: the host serving a function that does nothing
 * (test/fixtures/basicApp `GET /api/text`: the host's HTTP handling and the @azure/functions request and response
 * objects the Node worker builds for every invocation) and a bare node:http server answering the same text. Their
 * CPU difference per request is the host's fixed cost. `ceilingRatio` estimates the ratio the Work Order read would
 * reach if the app's own code cost nothing: the host's rate scaled by its CPU per request, down to bare + fixed cost.
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
  const bares: ChildProcess[] = [];
  let noopHost: BenchHost | undefined;
  try {
    // Only the provider registers a Work Order; the customer reads it.
    const view = await createWorkOrder(base, {
      number: 'WO-1',
      flexAllocations: FLEX_YEAR_1,
      entitlements: [{ serviceCode: 'EDE', hours: 400 }],
    });
    const bare = await startBare(azurite.connectionString);
    const bareNoop = await startBare(azurite.connectionString, { BARE_NOOP: '1' });
    bares.push(bare.child, bareNoop.child);
    noopHost = await startHost({
      storage: azurite.connectionString,
      clockStart: '2027-02-01T09:00:00Z',
      args: ['--app', 'test/fixtures/basicApp/index.js'],
    });
    // Alternating rounds, so a burst of load from elsewhere on the machine falls on all sides alike.
    // CPU per request of each server and of Azurite tells where the time goes when the machine is the limit.
    const azuritePid = azurite.pid;
    const sides = {
      host: { url: `${base}/api/work-orders/${view.id}`, pid: child.pid },
      bare: { url: `${bare.url}/api/work-orders/${view.id}`, pid: bare.child.pid },
      hostNoop: { url: `${noopHost.base}/api/text`, pid: noopHost.child.pid },
      bareNoop: { url: `${bareNoop.url}/text`, pid: bareNoop.child.pid },
    };
    type Side = keyof typeof sides;
    const totals = Object.fromEntries(
      Object.keys(sides).map((k) => [k, { rps: 0, n: 0, cpu: 0, storage: 0 }]),
    ) as Record<Side, { rps: number; n: number; cpu: number; storage: number }>;
    const rounds = 2;
    for (let round = 0; round < rounds; round++) {
      for (const which of Object.keys(sides) as Side[]) {
        const { url, pid } = sides[which];
        const [cpu0, storage0] = [cpuMs(pid), cpuMs(azuritePid)];
        const { rps, total } = await load(url, principal, seconds);
        totals[which].rps += rps / rounds;
        totals[which].n += total;
        totals[which].cpu += cpuMs(pid) - cpu0;
        totals[which].storage += cpuMs(azuritePid) - storage0;
      }
    }
    const perRequest = (side: Side, of: 'cpu' | 'storage' = 'cpu') =>
      Number((totals[side][of] / Math.max(totals[side].n, 1)).toFixed(3));
    const fixedCost = perRequest('hostNoop') - perRequest('bareNoop');
    return {
      hostRps: Math.round(totals.host.rps),
      bareRps: Math.round(totals.bare.rps),
      ratio: Number((totals.host.rps / totals.bare.rps).toFixed(3)),
      hostCpuMsPerRequest: perRequest('host'),
      bareCpuMsPerRequest: perRequest('bare'),
      azuriteCpuMsPerHostRequest: perRequest('host', 'storage'),
      azuriteCpuMsPerBareRequest: perRequest('bare', 'storage'),
      hostNoopRps: Math.round(totals.hostNoop.rps),
      bareNoopRps: Math.round(totals.bareNoop.rps),
      hostNoopCpuMsPerRequest: perRequest('hostNoop'),
      bareNoopCpuMsPerRequest: perRequest('bareNoop'),
      hostFixedCpuMsPerRequest: Number(fixedCost.toFixed(3)),
      ceilingRatio: Number(
        (((totals.host.rps / totals.bare.rps) * perRequest('host')) / (perRequest('bare') + fixedCost)).toFixed(3),
      ),
    };
  } finally {
    for (const bare of bares) bare.kill('SIGTERM');
    await noopHost?.stop();
    await stop();
  }
}
