import http from 'node:http';
import { TableClient } from '@azure/data-tables';
import { freePort, startAzurite } from '../infra/local/azurite';
import { cpuMs, createWorkOrder, hostClient, incidentEventTrios, startHost } from './support';

/**
 * Incident events processed per second end to end on the local host (queue → ingestion → incident store → durable
 * clock), against what Azurite allows: every request to Azurite is counted at a counting proxy in front of it (the
 * product's tables, the local Service Bus's queue rows, the durable engine's hub, the timer monitor, table
 * creation: all of it; an entity-group transaction is one request), and the same proxy then carries raw TableClient
 * point writes and reads, in the product's read/write mix and with its concurrency (maxConcurrentCalls 16), to give
 * Azurite's request rate in the same run. ratio = events/s × requests per event ÷ raw requests/s: the share of
 * Azurite's rate the host turns into incident events. CPU per event of host and Azurite, and Azurite's CPU per raw
 * request, tell which process bounds the rate (the host runs on one thread). writesPerEvent (the product's own tables, the Service Bus
 * emulation not counted) is kept for comparison with earlier runs.
 */
export async function benchIncidentEvents(incidents = 100): Promise<Record<string, number | string>> {
  const azurite = await startAzurite({ port: await freePort() });
  let counting = false;
  const azuriteUrl = new URL(/TableEndpoint=([^;]+)/.exec(azurite.connectionString)?.[1] ?? '');
  const writesByTable = new Map<string, number>();
  const readsByTable = new Map<string, number>();
  let rawRequests = 0;
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      rawRequests++;
      if (counting && req.method !== 'GET') {
        // One write request = one write (an entity-group transaction counts once); attributed to its table.
        const target = req.url?.includes('$batch')
          ? /\/devstoreaccount1\/([A-Za-z0-9]+)[(\s?]/.exec(body.toString('utf8'))?.[1]
          : /\/devstoreaccount1\/([A-Za-z0-9]+)/.exec(req.url ?? '')?.[1];
        const table = target ?? 'unknown';
        writesByTable.set(table, (writesByTable.get(table) ?? 0) + 1);
      } else if (counting) {
        const table = /\/devstoreaccount1\/([A-Za-z0-9]+)/.exec(req.url ?? '')?.[1] ?? 'unknown';
        readsByTable.set(table, (readsByTable.get(table) ?? 0) + 1);
      }
      const upstream = http.request(
        { host: azuriteUrl.hostname, port: azuriteUrl.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        },
      );
      upstream.end(body);
    });
  });
  const proxyPort = await freePort();
  await new Promise<void>((r) => proxy.listen(proxyPort, '127.0.0.1', r));
  const proxied = azurite.connectionString.replace(`:${azuriteUrl.port}/`, `:${proxyPort}/`);
  // After the opening and severity change, 5 minutes before the response (RESP-LATE rejects events dated more than
  // 10 minutes ahead), before any due or warning time.
  const host = await startHost({ storage: proxied, clockStart: '2027-03-01T08:15:00Z' });
  const base = host.base;
  const { post } = hostClient(base);
  try {
    const { id: workOrderId } = await createWorkOrder(base, {
      customerId: 'bench',
      number: 'WO-B',
      entitlements: [{ serviceCode: 'UER' }],
      proactiveCredits: { NL: 10 },
    });
    const events = incidentEventTrios(workOrderId, incidents, 'B', 'x');
    counting = true;
    const [hostCpu0, azuriteCpu0] = [cpuMs(host.child.pid), cpuMs(azurite.pid)];
    const started = performance.now();
    for (const stage of [0, 1, 2]) {
      await Promise.all(
        events
          .filter((_, i) => i % 3 === stage)
          .map((body) => post('/admin/servicebus/ticket-events/messages', { messageId: body['eventId'], body })),
      );
      await post('/admin/settle', {});
    }
    const seconds = (performance.now() - started) / 1000;
    const [hostCpu, azuriteCpu] = [cpuMs(host.child.pid) - hostCpu0, cpuMs(azurite.pid) - azuriteCpu0];
    counting = false;
    const eventsPerSec = events.length / seconds;
    // The local Service Bus emulation keeps its queues in Azurite; in Azure that is Service Bus, not storage.
    const storageWrites = [...writesByTable]
      .filter(([t]) => t !== 'LocalHostServiceBus' && t !== 'Tables')
      .reduce((sum, [, n]) => sum + n, 0);
    const writesPerEvent = storageWrites / events.length;

    const writes = [...writesByTable.values()].reduce((sum, n) => sum + n, 0);
    const reads = [...readsByTable.values()].reduce((sum, n) => sum + n, 0);
    const requestsPerEvent = (writes + reads) / events.length;

    // Raw Azurite through the same proxy: point writes and reads in the product's mix, 16 at a time.
    const table = TableClient.fromConnectionString(proxied, 'RawBaseline', { allowInsecureConnection: true });
    await table.createTable();
    const rawCount = Math.max(600, Math.round(writes + reads) / 4);
    const readShare = reads / Math.max(writes + reads, 1);
    const rawAzuriteCpu0 = cpuMs(azurite.pid);
    const rawStart = performance.now();
    rawRequests = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        let created: [string, string] | undefined;
        for (let i = worker; i < rawCount; i += 16) {
          // The i-th request is a read when the running read share says so (Bresenham), else a new entity.
          if (created && Math.floor((i + 1) * readShare) > Math.floor(i * readShare)) await table.getEntity(...created);
          else {
            created = [`p${i % 10}`, String(i)];
            await table.createEntity({ partitionKey: created[0], rowKey: created[1], value: i });
          }
        }
      }),
    );
    const rawSeconds = (performance.now() - rawStart) / 1000;
    const rawRequestsPerSec = rawRequests / rawSeconds;
    const rawAzuriteCpu = cpuMs(azurite.pid) - rawAzuriteCpu0;
    return {
      events: events.length,
      eventsPerSec: Math.round(eventsPerSec),
      requestsPerEvent: Number(requestsPerEvent.toFixed(2)),
      writesAndReadsPerEvent: `${(writes / events.length).toFixed(2)} + ${(reads / events.length).toFixed(2)}`,
      rawRequestsPerSec: Math.round(rawRequestsPerSec),
      ratio: Number(((eventsPerSec * requestsPerEvent) / rawRequestsPerSec).toFixed(2)),
      hostCpuMsPerEvent: Number((hostCpu / events.length).toFixed(2)),
      azuriteCpuMsPerEvent: Number((azuriteCpu / events.length).toFixed(2)),
      azuriteCpuMsPerRawRequest: Number((rawAzuriteCpu / Math.max(rawRequests, 1)).toFixed(3)),
      writesPerEvent: Number(writesPerEvent.toFixed(2)),
      ...Object.fromEntries([...writesByTable].map(([t, n]) => [`writes_${t}`, n])),
      ...Object.fromEntries([...readsByTable].map(([t, n]) => [`reads_${t}`, n])),
    };
  } finally {
    await host.stop();
    proxy.close();
    await azurite.stop();
  }
}
