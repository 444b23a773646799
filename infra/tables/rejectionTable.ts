import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { RejectedMessage, RejectionStore } from '../../domain/incidents/incidentStore';

const MAX_MS = 9_999_999_999_999;

/**
 * Rejected ticket messages, newest first: PK = 'rejections', RK = inverted receive time | messageId.
 * Recording is idempotent per message (the same message rejected twice is one row).
 */
export class RejectionTable implements RejectionStore {
  constructor(private readonly table: TableClient) {}

  async record(rejection: RejectedMessage): Promise<void> {
    const inverted = String(MAX_MS - Date.parse(rejection.receivedAt)).padStart(13, '0');
    await this.table.upsertEntity(
      {
        partitionKey: 'rejections',
        rowKey: `${inverted}|${encodeURIComponent(rejection.messageId)}`,
        messageId: rejection.messageId,
        receivedAt: rejection.receivedAt,
        reason: rejection.reason,
        errors: JSON.stringify(rejection.errors),
        body: JSON.stringify(rejection.body ?? null),
      },
      'Replace',
    );
  }

  async listNewestFirst(options: { limit: number; continuationToken?: string }) {
    const pages = this.table
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq 'rejections'` } })
      .byPage({ maxPageSize: options.limit, continuationToken: options.continuationToken });
    const page = await pages.next();
    if (page.done) return { items: [], continuationToken: null };
    return { items: page.value.map((row) => rejectionRow.parse(row)), continuationToken: page.value.continuationToken ?? null };
  }
}

const rejectionRow = z
  .object({
    messageId: z.string(),
    receivedAt: z.string(),
    reason: z.string(),
    errors: z.string().transform((t) => JSON.parse(t) as RejectedMessage['errors']),
    body: z.string().transform((t) => JSON.parse(t) as unknown),
  })
  .loose()
  .transform(({ messageId, receivedAt, reason, errors, body }): RejectedMessage => ({ messageId, receivedAt, reason, errors, body }));
