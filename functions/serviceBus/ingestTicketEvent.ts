import * as df from 'durable-functions';
import { ingestTicketEvent } from '../../domain/incidents/ingestion';
import { WorkOrderIncidentContext } from '../../domain/incidents/workOrderContext';
import { clock } from '../../infra/clock';
import { DurableIncidentLifecycle } from '../../orchestrations/incidentSla/lifecycle';
import { catalogue, dueIndex, incidentStore, rejectionStore, workOrderStore } from '../../infra/compositionRoot';

/**
 * Ticketing systems' incident events (queue `ticket-events`, messageId = eventId). Rejected messages are stored
 * and completed; a transient failure throws, so Service Bus redelivers and finally dead-letters (max delivery count).
 */
df.app.client.serviceBusQueue('ingestTicketEvent', {
  queueName: 'ticket-events',
  connection: 'ServiceBusConnection',
  handler: async (message, client, context) => {
    const messageId = String((context.triggerMetadata?.['messageId'] as string | undefined) ?? 'unknown');
    const result = await ingestTicketEvent(
      message,
      { messageId },
      {
        incidents: await incidentStore(),
        rejections: await rejectionStore(),
        workOrders: new WorkOrderIncidentContext(await workOrderStore(), catalogue()),
        lifecycle: new DurableIncidentLifecycle(client),
        dueIndex: await dueIndex(),
        now: () => clock.now(),
      },
    );
    if (result.outcome === 'rejected') context.warn(`Ticket message ${messageId} rejected: ${result.reason}`);
    else context.log(`Ticket message ${messageId}: ${result.outcome}`);
  },
});
