import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { RejectedMessage, RejectionStore } from '../../domain/incidents/incidentStore';
import { idSchema } from '../../domain/input';

const MAX_MS = 9_999_999_999_999;
/** A Table string property holds at most 32K UTF-16 characters; a larger body is kept truncated. */
export const MAX_KEPT_BODY_BYTES = 32 * 1024;
const KEPT_BODY_CHARS = 16 * 1024;
const MAX_ERRORS = 50;
const MAX_ERROR_TEXT = 256;

/**
 * Rejected ticket messages, newest first: PK = 'rejections', RK = inverted receive time | messageId.
 * Recording is idempotent per message (the same message rejected twice is one row).
 */
export class RejectionTable implements RejectionStore {
  constructor(private readonly table: TableClient) {}

  /** Whatever the message holds fits one row: a poison message must be kept, never fail into redelivery. */
  async record(rejection: RejectedMessage): Promise<void> {
    const body = JSON.stringify(rejection.body ?? null) ?? 'null';
    const bytes = Buffer.byteLength(body);
    const truncated = bytes > MAX_KEPT_BODY_BYTES;
    await this.table.upsertEntity(
      {
        partitionKey: 'rejections',
        rowKey: rowKeyOf(rejection),
        messageId: clip(rejection.messageId, 1024),
        receivedAt: rejection.receivedAt,
        reason: clip(rejection.reason, 4000),
        errors: JSON.stringify(
          rejection.errors
            .slice(0, MAX_ERRORS)
            .map((e) => ({ path: clip(e.path, MAX_ERROR_TEXT), message: clip(e.message, MAX_ERROR_TEXT) })),
        ),
        body: truncated ? body.slice(0, KEPT_BODY_CHARS) : body,
        ...(truncated ? { bodyLength: bytes, bodySha256: createHash('sha256').update(body).digest('hex') } : {}),
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

/** Newest first; a message id that cannot be a key (or part of one) is keyed by its hash. */
function rowKeyOf(rejection: Pick<RejectedMessage, 'messageId' | 'receivedAt'>): string {
  const id = idSchema.safeParse(rejection.messageId).success
    ? rejection.messageId
    : `sha256-${createHash('sha256').update(rejection.messageId).digest('hex')}`;
  return `${String(MAX_MS - Date.parse(rejection.receivedAt)).padStart(13, '0')}|${id}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const rejectionRow = z
  .object({
    messageId: z.string(),
    receivedAt: z.string(),
    reason: z.string(),
    errors: z.string().transform((t) => JSON.parse(t) as RejectedMessage['errors']),
    body: z.string(),
    bodyLength: z.number().optional(),
    bodySha256: z.string().optional(),
  })
  .loose()
  .transform(({ messageId, receivedAt, reason, errors, body, bodyLength, bodySha256 }): RejectedMessage => ({
    messageId,
    receivedAt,
    reason,
    errors,
    ...(bodyLength !== undefined && bodySha256 !== undefined
      ? { body, bodyTruncated: { length: bodyLength, sha256: bodySha256 } }
      : { body: JSON.parse(body) as unknown }),
  }));
