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
    await this.table.upsertEntity(
      {
        partitionKey: 'rejections',
        rowKey: rowKeyOf(rejection),
        messageId: rejection.messageId,
        receivedAt: rejection.receivedAt,
        reason: rejection.reason,
        errors: JSON.stringify(rejection.errors),
        body: JSON.stringify(rejection.body ?? null),
      },
      'Replace',
    );
  }

  async remove(rejection: Pick<RejectedMessage, 'messageId' | 'receivedAt'>): Promise<void> {
    try {
      await this.table.deleteEntity('rejections', rowKeyOf(rejection));
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }

  async listNewestFirst(options: { limit: number; continuationToken?: string }) {
    const pages = this.table
      .listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq 'rejections'` } })
      .byPage({ maxPageSize: options.limit, continuationToken: options.continuationToken });
    const page = await pages.next();
    if (page.done) return { items: [], continuationToken: null };
    return {
      items: page.value.map((row) => rejectionRow.parse(row)),
      continuationToken: page.value.continuationToken ?? null,
    };
  }
}

function rowKeyOf(rejection: Pick<RejectedMessage, 'messageId' | 'receivedAt'>): string {
  return `${String(MAX_MS - Date.parse(rejection.receivedAt)).padStart(13, '0')}|${encodeURIComponent(rejection.messageId)}`;
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
  .transform(({ messageId, receivedAt, reason, errors, body }): RejectedMessage => ({
    messageId,
    receivedAt,
    reason,
    errors,
    body,
  }));
