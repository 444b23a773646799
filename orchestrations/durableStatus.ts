import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

/** The client's 404 ("no instance") as undefined; any other failure propagates. */
export async function statusOrMissing(
  client: DurableClient,
  instanceId: string,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  return /\b404\b|No instance with ID/.test(String((error as Error | undefined)?.message));
}
