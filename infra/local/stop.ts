import path from 'node:path';
import { stopEverything } from './azurite';

/**
 * `npm stop`: stops the local host(s) started from this folder and any Azurite a crashed host left running, Azurite
 * with SIGINT so it saves its store.
 */
async function main(): Promise<void> {
  const stateDir = path.resolve(process.cwd(), process.env['AZURITE_LOCATION'] ?? '.azurite');
  const lines = await stopEverything(stateDir);
  console.log(lines.length ? lines.join('\n') : `Nothing to stop: no local host or Azurite recorded in ${stateDir}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
