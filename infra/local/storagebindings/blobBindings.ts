import type { BindingInfo, RpcTypedData } from '../functionsCore';
import { resolveBindingExpression } from './bindingData';
import type { StorageAccounts } from './storageAccounts';

function splitPath(path: string): { container: string; blob: string } {
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw new Error(`The blob path '${path}' must be '<container>/<blob name>'.`);
  return { container: path.slice(0, slash), blob: path.slice(slash + 1) };
}

/** Blob input (`input.storageBlob`): the blob's bytes (a string with dataType 'string'), nothing if it is missing. */
export async function readBlobInput(
  accounts: StorageAccounts,
  binding: BindingInfo,
  bindingData: Record<string, unknown>,
  now: Date,
): Promise<RpcTypedData | undefined> {
  const { container, blob } = splitPath(resolveBindingExpression(String(binding['path'] ?? ''), bindingData, now));
  const client = accounts.blobService(binding['connection']).getContainerClient(container).getBlobClient(blob);
  try {
    const content = await client.downloadToBuffer();
    return String(binding['dataType'] ?? '').toLowerCase() === 'string'
      ? { string: content.toString('utf8') }
      : { bytes: new Uint8Array(content) };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** Blob output (`output.storageBlob`): bytes as they are, a string as UTF-8, anything else as JSON; the container is created when missing. */
export async function writeBlobOutput(
  accounts: StorageAccounts,
  binding: BindingInfo,
  value: unknown,
  bindingData: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const { container, blob } = splitPath(resolveBindingExpression(String(binding['path'] ?? ''), bindingData, now));
  const containerClient = accounts.blobService(binding['connection']).getContainerClient(container);
  const content = Buffer.isBuffer(value)
    ? value
    : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
  const upload = () => containerClient.getBlockBlobClient(blob).uploadData(content);
  try {
    await upload();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    await containerClient.createIfNotExists();
    await upload();
  }
}
