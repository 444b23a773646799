import { TableClient, TableServiceClient } from '@azure/data-tables';

/** Table access for the host's own state (durable history, local queues, timer status) in Azurite. */
export class HostStorage {
  private readonly clients = new Map<string, TableClient>();
  private readonly created = new Map<string, Promise<void>>();

  constructor(readonly connectionString: string) {}

  /** A client for `name`, creating the table once per process. */
  async table(name: string): Promise<TableClient> {
    let client = this.clients.get(name);
    if (!client) {
      client = TableClient.fromConnectionString(this.connectionString, name, { allowInsecureConnection: true });
      this.clients.set(name, client);
    }
    let creating = this.created.get(name);
    if (!creating) {
      const c = client;
      creating = c.createTable().catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 409) throw error;
      });
      this.created.set(name, creating);
    }
    await creating;
    return client;
  }

  serviceClient(): TableServiceClient {
    return TableServiceClient.fromConnectionString(this.connectionString, { allowInsecureConnection: true });
  }
}
