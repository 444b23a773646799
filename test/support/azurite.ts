import { freePort, startAzurite, type RunningAzurite } from '../../infra/local/azurite';

/** An in-memory Azurite (tables) on a free port, for one test file. */
export async function startTestAzurite(): Promise<RunningAzurite> {
  return startAzurite({ port: await freePort() });
}
