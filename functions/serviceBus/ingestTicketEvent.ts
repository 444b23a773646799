import * as df from 'durable-functions';
import * as incidents from '../../app/incidents';
import type { Services } from '../../app/services';
import { DurableIncidentLifecycle } from '../../orchestrations/incidentSla/lifecycle';

/**
 * Ticketing systems' incident events (queue `ticket-events`, messageId = eventId). Rejected messages are stored
 * and completed; a transient failure throws, so Service Bus redelivers and finally dead-letters (max delivery count).
 */
export const ingestTicketEvent =
  (services: Services): df.ServiceBusQueueDurableClientHandler =>
  async (message, client, context) => {
    const messageId = String((context.triggerMetadata?.['messageId'] as string | undefined) ?? 'unknown');
    const result = await incidents.ingestTicketEvent(
      services,
      new DurableIncidentLifecycle(client),
      message,
      messageId,
    );
    if (result.outcome === 'rejected') context.warn(`Ticket message ${messageId} rejected: ${result.reason}`);
    else context.log(`Ticket message ${messageId}: ${result.outcome}`);
  };

/** Registers the trigger with the host, on the services the entry point built. */
export function registerIngestTicketEvent(services: Services): void {
  df.app.client.serviceBusQueue('ingestTicketEvent', {
    queueName: 'ticket-events',
    connection: 'ServiceBusConnection',
    handler: ingestTicketEvent(services),
  });
}
