// Service Bus: `ticket-events` from ticketing systems (duplicate detection on messageId = eventId, dead-letter after
// 10 deliveries) and `lifecycle-notifications` to people and downstream systems.
param name string
param location string
param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { disableLocalAuth: true, minimumTlsVersion: '1.2' }
}

resource ticketEvents 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'ticket-events'
  properties: {
    maxDeliveryCount: 10
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT1M'
  }
}

resource notifications 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'lifecycle-notifications'
  properties: { maxDeliveryCount: 10, deadLetteringOnMessageExpiration: true }
}

output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
