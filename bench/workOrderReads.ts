import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, startAzurite } from '../infra/local/azurite';

const root = path.resolve(__dirname, '../..');

function load(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections: 10, duration: seconds }, (error, result) =>
      error ? reject(error) : resolve(result.requests.average),
    );
  });
}

/**
 * Requests per second for GET /api/work-orders/{id} through the local host (principal check, Table read,
 * JSON, ETag), next to a bare node:http server doing the same Table point read (same row, same Azurite, its own
 * TableClient) and answering the Work Order's JSON with its ETag: same load generator, same run. The ratio is what
 * the host costs on top of the storage it waits on.
 */
export async function benchWorkOrderReads(seconds = 5): Promise<Record<string, number>> {
  const azurite = await startAzurite({ port: await freePort() });
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(process.env['HOST_NODE_ARGS'] ?? '').split(' ').filter(Boolean), path.join(root, 'dist/infra/local/main.js')],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        AzureWebJobsStorage: azurite.connectionString,
        CLOCK_START: '2027-02-01T09:00:00Z',
        LOCAL_HOST_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    },
  );
  const base = `http://localhost:${port}`;
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
  // Only the provider registers a Work Order; the customer reads it.
  const provider = {
    'x-ms-client-principal': Buffer.from(JSON.stringify({ claims: [{ typ: 'roles', val: 'Provider.Csam' }] })).toString(
      'base64',
    ),
  };
  let bare: ChildProcess | undefined;
  try {
    for (;;) {
      if (
        await fetch(`${base}/admin/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const created = await fetch(`${base}/api/work-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...provider },
      body: JSON.stringify({
        customerId: 'contoso',
        number: 'WO-1',
        signedAt: '2026-12-15',
        term: { start: '2027-01-01', end: '2028-12-31' },
        host: { country: 'NL', timeZone: 'Europe/Amsterdam' },
        downstream: [],
        currency: 'USD',
        basePackage: { listPrice: 1200000, flexAllowancePerYear: 150000 },
        flexAllocations: [
          { year: 1, target: 'proactiveCredits', amount: 50000 },
          { year: 1, target: 'service', serviceCode: 'RAP_AS_A_SERVICE', amount: 100000 },
        ],
        entitlements: [{ serviceCode: 'EDE', hours: 400 }],
        proactiveCredits: { NL: 200 },
      }),
    });
    const view = (await created.json()) as { id: string };
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
    let hostRps = 0;
    let bareRps = 0;
    for (let round = 0; round < 2; round++) {
      hostRps += (await load(`${base}/api/work-orders/${view.id}`, principal, seconds)) / 2;
      bareRps += (await load(`http://localhost:${barePort}/api/work-orders/${view.id}`, principal, seconds)) / 2;
    }
    return {
      hostRps: Math.round(hostRps),
      bareRps: Math.round(bareRps),
      ratio: Number((hostRps / bareRps).toFixed(3)),
    };
  } finally {
    bare?.kill('SIGTERM');
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await azurite.stop();
  }
}
