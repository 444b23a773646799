import { output } from '@azure/functions';

/**
 * The `lifecycle-notifications` Service Bus output binding: notifications for people and downstream systems.
 * Consumers de-duplicate on `notificationId`. Activities declare it in `extraOutputs` and set one message.
 */
export const lifecycleNotifications = output.serviceBusQueue({
  queueName: 'lifecycle-notifications',
  connection: 'ServiceBusConnection',
});
