// Least privilege: data-plane roles only, each on the narrowest scope. The app's identity gets what the Functions
// host and the app need; the ticketing system may only send ticket events, consumers may only receive notifications.
param appPrincipalId string
param storageAccountName string
param serviceBusNamespaceName string
param appInsightsName string
@description('Object IDs of the ticketing systems\' principals: Data Sender on ticket-events.')
param ticketingPrincipalIds array = []
@description('Object IDs of the notification consumers\' principals: Data Receiver on lifecycle-notifications.')
param notificationConsumerPrincipalIds array = []

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // host leases, deployment package, Durable large payloads
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Durable control and work-item queues
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // app tables, Durable history and instances
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // App Insights with Entra-only ingestion
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource ticketEvents 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' existing = {
  parent: namespace
  name: 'ticket-events'
}

resource notifications 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' existing = {
  parent: namespace
  name: 'lifecycle-notifications'
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for r in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
  name: guid(account.id, appPrincipalId, r)
  scope: account
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', r) }
}]

resource appReceivesTicketEvents 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(ticketEvents.id, appPrincipalId, roles.serviceBusDataReceiver)
  scope: ticketEvents
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver) }
}

resource appSendsNotifications 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(notifications.id, appPrincipalId, roles.serviceBusDataSender)
  scope: notifications
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender) }
}

resource appPublishesMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: insights
  properties: { principalId: appPrincipalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher) }
}

resource ticketingSends 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in ticketingPrincipalIds: {
  name: guid(ticketEvents.id, principalId, roles.serviceBusDataSender)
  scope: ticketEvents
  properties: { principalId: principalId, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender) }
}]

resource consumersReceive 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in notificationConsumerPrincipalIds: {
  name: guid(notifications.id, principalId, roles.serviceBusDataReceiver)
  scope: notifications
  properties: { principalId: principalId, roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver) }
}]
