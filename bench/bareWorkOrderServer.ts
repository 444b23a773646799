import http from 'node:http';
import { TableClient } from '@azure/data-tables';

/**
 * The baseline of `workOrderReads`, in its own process as the host is: a bare node:http server doing the product's
 * Work Order point read (PK = workOrderId, RK = 'workOrder') from the same Azurite and answering its JSON with the
 * row's ETag. With BARE_NOOP=1 it answers a fixed text without storage (the floor of a node:http server).
 * Env: AzureWebJobsStorage, PORT. Prints "listening" when ready.
 */
const noop = process.env['BARE_NOOP'] === '1';
const table = TableClient.fromConnectionString(process.env['AzureWebJobsStorage'] ?? '', 'UslWorkOrders', {
  allowInsecureConnection: true,
});
const server = http.createServer((req, res) => {
  if (noop) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('plain text');
    return;
  }
  const id = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
  table.getEntity<{ view: string }>(id, 'workOrder').then(
    (row) => {
      res.writeHead(200, { 'content-type': 'application/json', etag: row.etag });
      res.end(JSON.stringify(JSON.parse(row.view)));
    },
    (error: { statusCode?: number }) => {
      res.writeHead(error.statusCode === 404 ? 404 : 500);
      res.end();
    },
  );
});
server.listen(Number(process.env['PORT']), () => console.log('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
