import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestAzurite } from './azurite';
import { startHostProcess, type HostProcess } from './hostProcess';

export interface RefusingStorageProxy {
  /** The storage connection string that goes through the proxy. */
  readonly connectionString: string;
  /** Refuses the next `count` requests that `matches` accepts, with a 403 the SDK does not retry itself. */
  refuse(count: number, matches: (request: { method: string; url: string; body: string }) => boolean): void;
  /** How many requests were refused so far. */
  readonly refused: number;
  close(): void;
}

/**
 * A proxy in front of Azurite that can refuse chosen requests, as storage does while a role assignment propagates
 * (403 AuthorizationFailure), to prove that the host retries what it stored instead of waiting for a restart.
 */
export async function startRefusingStorageProxy(azuriteConnectionString: string): Promise<RefusingStorageProxy> {
  const upstream = new URL(/TableEndpoint=([^;]+)/.exec(azuriteConnectionString)?.[1] ?? '');
  let remaining = 0;
  let refused = 0;
  let matches: (request: { method: string; url: string; body: string }) => boolean = () => false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (remaining > 0 && matches({ method: req.method ?? 'GET', url: req.url ?? '', body: body.toString('utf8') })) {
        remaining--;
        refused++;
        res.writeHead(403, { 'content-type': 'application/json;odata=minimalmetadata' });
        res.end(
          JSON.stringify({
            'odata.error': { code: 'AuthorizationFailure', message: { lang: 'en-US', value: 'Refused by the test.' } },
          }),
        );
        return;
      }
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          up.pipe(res);
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    connectionString: azuriteConnectionString.replace(`:${upstream.port}/`, `:${port}/`),
    refuse(count, match) {
      remaining = count;
      matches = match;
    },
    get refused() {
      return refused;
    },
    close: () => server.close(),
  };
}

/** Azurite, the refusing proxy in front of it and a host process on it; `run` gets both, everything stops after. */
export async function withHostBehindRefusingStorage(
  options: { app: string; clockStart: string },
  run: (host: HostProcess, proxy: RefusingStorageProxy) => Promise<void>,
): Promise<void> {
  const azurite = await startTestAzurite();
  const proxy = await startRefusingStorageProxy(azurite.connectionString);
  try {
    const host = await startHostProcess({
      app: options.app,
      storageConnectionString: proxy.connectionString,
      clockStart: options.clockStart,
    });
    try {
      await run(host, proxy);
    } finally {
      await host.stop();
    }
  } finally {
    proxy.close();
    await azurite.stop();
  }
}
