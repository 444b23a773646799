import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { AzuriteService } from '../azurite';
import type { BindingInfo, RegisteredFunction } from '../functionsCore';

/** A binding whose connection names no storage account: the function is "in error", as in Azure. */
export class StorageConnectionError extends Error {}

/** The storage service each storage binding type talks to. */
export function storageServiceOf(binding: BindingInfo): AzuriteService | undefined {
  switch (binding.type.toLowerCase()) {
    case 'blob':
    case 'blobtrigger':
      return 'blob';
    case 'queue':
    case 'queuetrigger':
      return 'queue';
    default:
      return undefined;
  }
}

export function storageBindings(fn: RegisteredFunction): Array<[string, BindingInfo, AzuriteService]> {
  const out: Array<[string, BindingInfo, AzuriteService]> = [];
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    const service = storageServiceOf(binding);
    if (service) out.push([name, binding, service]);
  }
  return out;
}

/**
 * Resolves a binding's `connection` the way the Storage extension does (the app setting `<connection>` or
 * `AzureWebJobs<connection>`, default `AzureWebJobsStorage`) and hands out clients. The host's own storage (and
 * `UseDevelopmentStorage=true`) means the Azurite the host runs on.
 */
export class StorageAccounts {
  private readonly blobClients = new Map<string, BlobServiceClient>();
  private readonly queueClients = new Map<string, QueueServiceClient>();

  constructor(
    private readonly hostConnection: () => string,
    private readonly hostAliases: ReadonlySet<string>,
  ) {}

  resolve(connection: unknown): string {
    const name = typeof connection === 'string' && connection.trim() ? connection.trim() : 'AzureWebJobsStorage';
    const value = process.env[name] ?? process.env[`AzureWebJobs${name}`];
    if (value === undefined || value.trim() === '') {
      if (Object.keys(process.env).some((key) => key.toLowerCase().startsWith(`${name.toLowerCase()}__`)))
        throw new StorageConnectionError(
          `The connection '${name}' is identity-based (${name}__...), which the local host does not emulate; set '${name}' to a connection string (UseDevelopmentStorage=true for the local Azurite).`,
        );
      throw new StorageConnectionError(
        `Storage account connection string '${name}' does not exist. Make sure that it is a defined App Setting.`,
      );
    }
    return this.isHost(value) ? this.hostConnection() : value;
  }

  /** Does the binding's connection lead to the host's own storage (so the host must serve that service)? */
  isHostStorage(connection: unknown): boolean {
    const name = typeof connection === 'string' && connection.trim() ? connection.trim() : 'AzureWebJobsStorage';
    const value = process.env[name] ?? process.env[`AzureWebJobs${name}`];
    return value !== undefined && this.isHost(value);
  }

  blobService(connection: unknown): BlobServiceClient {
    const text = this.resolve(connection);
    let client = this.blobClients.get(text);
    if (!client) this.blobClients.set(text, (client = BlobServiceClient.fromConnectionString(text)));
    return client;
  }

  queueService(connection: unknown): QueueServiceClient {
    const text = this.resolve(connection);
    let client = this.queueClients.get(text);
    if (!client) this.queueClients.set(text, (client = QueueServiceClient.fromConnectionString(text)));
    return client;
  }

  private isHost(value: string): boolean {
    return (
      value.trim() === 'UseDevelopmentStorage=true' || this.hostAliases.has(value) || value === this.hostConnection()
    );
  }
}
