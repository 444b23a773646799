import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import type { AppConfig } from '../config';

/** Builds Table clients from configuration, creating each table once per process. */
export class TableClients {
  private readonly clients = new Map<string, Promise<TableClient>>();
  private credential: DefaultAzureCredential | undefined;

  constructor(private readonly config: AppConfig) {}

  /** `name` is the logical table name; the configured prefix keeps environments and tests apart. */
  table(name: string): Promise<TableClient> {
    const fullName = `${this.config.tableNamePrefix}${name}`;
    let client = this.clients.get(fullName);
    if (!client) {
      client = this.create(fullName);
      this.clients.set(fullName, client);
      client.catch(() => this.clients.delete(fullName)); // retry creation on the next call
    }
    return client;
  }

  /** A client of a table that is not created when missing (tools that must change nothing when there is nothing). */
  existing(name: string): TableClient {
    return this.client(`${this.config.tableNamePrefix}${name}`);
  }

  private client(fullName: string): TableClient {
    const storage = this.config.storage;
    return storage.kind === 'connectionString'
      ? TableClient.fromConnectionString(storage.connectionString, fullName, {
          allowInsecureConnection:
            storage.connectionString.includes('http://') ||
            storage.connectionString.startsWith('UseDevelopmentStorage'),
        })
      : new TableClient(storage.tableServiceUri, fullName, (this.credential ??= new DefaultAzureCredential()));
  }

  private async create(fullName: string): Promise<TableClient> {
    const client = this.client(fullName);
    try {
      await client.createTable();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
    return client;
  }
}
