import type { TableClient } from '@azure/data-tables';
import { readEntity } from './tableRows';
import { ConcurrencyConflict, type EventClaim, type EventClaims } from '../../domain/incidents/incidentStore';

/**
 * Product-wide claims on ticket eventIds, in the `WorkOrders` table but each in its own partition (so no Work
 * Order's partition decides alone): PK = ticketEvent|{eventId}, RK = '' → the incident it was accepted for.
 */
export class EventClaimTable implements EventClaims {
  constructor(private readonly table: TableClient) {}

  async claim(
    eventId: string,
    target: { workOrderId: string; incidentId: string },
    at: string,
  ): Promise<{ claimed: true } | { claimed: false; holder: EventClaim }> {
    try {
      await this.table.createEntity({ partitionKey: claimKey(eventId), rowKey: '', ...target, claimedAt: at });
      return { claimed: true };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
    const holder = await this.holderOf(eventId);
    if (holder) return { claimed: false, holder };
    // Gone between the create and the read (claims are never deleted today): a lost race, which the caller's one
    // retry policy (app/retryOnConflict.ts) runs again on fresh data.
    throw new ConcurrencyConflict(`The claim on event ${eventId} vanished while it was read.`);
  }

  async takeOver(
    eventId: string,
    target: { workOrderId: string; incidentId: string },
    at: string,
    etag: string,
  ): Promise<boolean> {
    try {
      await this.table.updateEntity(
        { partitionKey: claimKey(eventId), rowKey: '', ...target, claimedAt: at },
        'Replace',
        {
          etag,
        },
      );
      return true;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 404) return false;
      throw error;
    }
  }

  async holderOf(eventId: string): Promise<EventClaim | undefined> {
    const row = await readEntity(this.table, claimKey(eventId), '');
    if (!row) return undefined;
    return {
      workOrderId: String(row['workOrderId']),
      incidentId: String(row['incidentId']),
      claimedAt: String(row['claimedAt']),
      etag: String(row['etag']),
    };
  }
}

const claimKey = (eventId: string) => `ticketEvent|${encodeURIComponent(eventId)}`;
