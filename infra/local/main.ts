import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppEntryError } from './appLoader';
import { AZURITE_PORTS, LocalAzurite, PortTakenError, isPortFree, type AzuriteService } from './azurite';
import { AppStartError, LocalHost } from './host';
import { HostLogger } from './logger';

/**
 * `npm start [-- --app <entry.js | app folder>] [--port N] [--host 0.0.0.0] [--in-memory]`: the local host, and Azurite as its own
 * long-lived process (unless AzureWebJobsStorage names a running storage account). Ctrl-C, SIGTERM and SIGHUP stop
 * both, Azurite with SIGINT so it saves its store; after a crash of the host the next start reuses the Azurite.
 */
async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
    },
  });
  const logger = new HostLogger();
  const storageLog = (message: string) => console.log(`[storage] ${message}`);
  const cwd = process.cwd();
  const port = Number(values.port ?? process.env['PORT'] ?? 7071);
  const clockStart = process.env['CLOCK_START'] ? new Date(process.env['CLOCK_START']) : undefined;
  if (clockStart && Number.isNaN(clockStart.getTime()))
    throw new Error(`CLOCK_START '${process.env['CLOCK_START']}' is not an ISO instant.`);
  // The host's own port first, so a second `npm start` says so in one line and touches no storage.
  if (!(await isPortFree(port)))
    throw new PortTakenError(`Port ${port} is taken (another local host?); set PORT or --port to another port.`);

  let azurite: LocalAzurite | undefined;
  let connectionString = process.env['AzureWebJobsStorage'];
  if (!connectionString || connectionString === 'UseDevelopmentStorage=true') {
    const ports = Object.fromEntries(
      (Object.keys(AZURITE_PORTS) as AzuriteService[]).map((s) => [
        s,
        Number(process.env[AZURITE_PORTS[s].env] ?? AZURITE_PORTS[s].port),
      ]),
    ) as Record<AzuriteService, number>;
    azurite = new LocalAzurite({
      stateDir: path.resolve(cwd, process.env['AZURITE_LOCATION'] ?? '.azurite'),
      inMemory: values['in-memory'] ?? false,
      ports,
      log: storageLog,
    });
    await azurite.ensure('table');
    connectionString = azurite.connectionString();
  }

  let host: LocalHost;
  try {
    host = await LocalHost.start({
      entry: values.app,
      cwd,
      port,
      hostname: values.host ?? '127.0.0.1',
      storageConnectionString: connectionString,
      startStorageServices: azurite
        ? async (services) => {
            await Promise.all(services.map((service) => azurite.ensure(service)));
            return azurite.connectionString();
          }
        : undefined,
      clockStart,
      logger,
    });
  } catch (error) {
    await azurite?.release({ onlyStartedHere: true });
    throw error;
  }
  azurite?.recordHost(port);
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  console.log(
    `\nLocal Functions host listening on ${host.url} (PID ${process.pid}, started in ${ms.toFixed(0)} ms; clock ${host.clock.isVirtual ? 'virtual' : 'real'} at ${host.clock.now().toISOString()})\n`,
  );
  console.log('Functions:');
  for (const fn of host.functionList()) console.log(`  ${fn.name}: [${fn.trigger}] ${fn.detail}`);
  console.log(`\nOperator endpoints: ${host.url}/admin/health, /admin/clock, /admin/servicebus/{queue}/messages\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    try {
      await host.stop();
    } catch (error) {
      logger.error('The host did not stop cleanly:', error);
    }
    await azurite?.release();
    azurite?.forgetHost();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));
}

main().catch((error: unknown) => {
  if (error instanceof PortTakenError || error instanceof AppEntryError || error instanceof AppStartError)
    console.error(`\n${error.message}\n`);
  else console.error('The local host failed to start:', error);
  process.exit(1);
});
