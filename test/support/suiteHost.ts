import { afterAll, beforeAll } from 'vitest';
import type { RunningAzurite } from '../../infra/local/azurite';
import { startTestAzurite } from './azurite';
import { startHostProcess, type HostProcess, type HostProcessOptions } from './hostProcess';

/**
 * A suite's own Azurite and local host: started before its tests, stopped after them. `started` receives the host
 * (assign it to the suite's variable).
 */
export function hostForSuite(
  options: Omit<HostProcessOptions, 'storageConnectionString'>,
  started: (host: HostProcess) => void,
): void {
  let azurite: RunningAzurite | undefined;
  let host: HostProcess | undefined;
  beforeAll(async () => {
    azurite = await startTestAzurite();
    host = await startHostProcess({ ...options, storageConnectionString: azurite.connectionString });
    started(host);
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });
}
