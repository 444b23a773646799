import * as df from 'durable-functions';
import * as ingestion from '../../domain/incidents/ingestion';
import { WorkOrderIncidentContext } from '../../domain/incidents/workOrderContext';
import { DurableIncidentLifecycle } from '../../orchestrations/incidentSla/lifecycle';
import { services } from '../../infra/compositionRoot';

/**
 * Ticketing systems' incident events (queue `ticket-events`, messageId = eventId). Rejected messages are stored
 * and completed; a transient failure throws, so Service Bus redelivers and finally dead-letters (max delivery count).
 */
export const ingestTicketEvent: df.ServiceBusQueueDurableClientHandler = async (message, client, context) => {
  const messageId = String((context.triggerMetadata?.['messageId'] as string | undefined) ?? 'unknown');
  const { incidents, eventClaims, rejections, workOrders, catalogue, dueIndex, clock } = services();
  const result = await ingestion.ingestTicketEvent(
    message,
    { messageId },
    {
      incidents,
      claims: eventClaims,
      rejections,
      workOrders: new WorkOrderIncidentContext(workOrders, catalogue),
      lifecycle: new DurableIncidentLifecycle(client),
      dueIndex,
      catalogue,
      now: () => clock.now(),
    },
  );
  if (result.outcome === 'rejected') context.warn(`Ticket message ${messageId} rejected: ${result.reason}`);
  else context.log(`Ticket message ${messageId}: ${result.outcome}`);
};

df.app.client.serviceBusQueue('ingestTicketEvent', {
  queueName: 'ticket-events',
  connection: 'ServiceBusConnection',
  handler: ingestTicketEvent,
});
