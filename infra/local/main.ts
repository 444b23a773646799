import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppEntryError } from './appLoader';
import { PortTakenError, startAzurite, type RunningAzurite } from './azurite';
import { LocalHost } from './host';
import { HostLogger } from './logger';

/**
 * `npm start [-- --app <entry.js | app folder>] [--port N] [--in-memory]`: starts Azurite (unless AzureWebJobsStorage names
 * a running storage account) and the local host, prints the URL and every function with its trigger.
 */
async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      port: { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
    },
  });
  const logger = new HostLogger();
  const cwd = process.cwd();
  const port = Number(values.port ?? process.env['PORT'] ?? 7071);
  const clockStart = process.env['CLOCK_START'] ? new Date(process.env['CLOCK_START']) : undefined;
  if (clockStart && Number.isNaN(clockStart.getTime()))
    throw new Error(`CLOCK_START '${process.env['CLOCK_START']}' is not an ISO instant.`);

  let azurite: RunningAzurite | undefined;
  let connectionString = process.env['AzureWebJobsStorage'];
  if (!connectionString || connectionString === 'UseDevelopmentStorage=true') {
    azurite = await startAzurite({
      port: Number(process.env['AZURITE_TABLE_PORT'] ?? 10002),
      location: values['in-memory'] ? undefined : path.join(cwd, '.azurite'),
    });
    connectionString = azurite.connectionString;
    logger.info(`Azurite (tables) on port ${azurite.port}, ${values['in-memory'] ? 'in memory' : 'data in .azurite/'}`);
  }

  let host: LocalHost;
  try {
    host = await LocalHost.start({
      entry: values.app,
      cwd,
      port,
      storageConnectionString: connectionString,
      clockStart,
      logger,
    });
  } catch (error) {
    await azurite?.stop();
    throw error;
  }
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  console.log(
    `\nLocal Functions host listening on ${host.url} (started in ${ms.toFixed(0)} ms; clock ${host.clock.isVirtual ? 'virtual' : 'real'} at ${host.clock.now().toISOString()})\n`,
  );
  console.log('Functions:');
  for (const fn of host.functionList()) console.log(`  ${fn.name}: [${fn.trigger}] ${fn.detail}`);
  console.log(`\nOperator endpoints: ${host.url}/admin/health, /admin/clock, /admin/servicebus/{queue}/messages\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    await host.stop();
    await azurite?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof PortTakenError || error instanceof AppEntryError) console.error(`\n${error.message}\n`);
  else console.error('The local host failed to start:', error);
  process.exit(1);
});
