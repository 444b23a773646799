import {
  freePort,
  startAzurite,
  startAzuriteServices,
  type AzuriteService,
  type RunningAzurite,
} from '../../infra/local/azurite';

/** An in-memory Azurite (tables, or the services named) on free ports, for one test file. */
export async function startTestAzurite(services?: AzuriteService[]): Promise<RunningAzurite> {
  if (services) return startAzuriteServices(services);
  return startAzurite({ port: await freePort() });
}
