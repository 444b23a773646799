// Entry point for `azd up`, shaped like the Flex Consumption azd quickstarts: a user-assigned identity first, its
// least-privilege roles, then the Function App (Flex Consumption, Node 22) running as that identity, with Storage
// (tables, Durable task hub, deployment package), Service Bus queues and Application Insights. No keys anywhere:
// shared keys and local auth are off, every connection uses the identity, App Service Authentication is on.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Short environment name, used in resource names (azd sets it).')
param environmentName string
param location string = resourceGroup().location

@description('Application (client) ID of the API\'s Entra ID app registration (app roles Customer.Manager, Customer.Reader, Provider.Csam).')
param authClientId string
@description('OpenID issuer: the tenant\'s v2.0 endpoint.')
param authOpenIdIssuer string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
@description('Token audiences the API accepts; default: the app registration\'s Application ID URI and client ID.')
param authAllowedAudiences array = [ 'api://${authClientId}', authClientId ]
@description('Comma-separated object IDs of the ticketing systems\' principals (Service Bus Data Sender on ticket-events).')
param ticketingPrincipalIds string = ''
@description('Comma-separated object IDs of the notification consumers\' principals (Data Receiver on lifecycle-notifications).')
param notificationConsumerPrincipalIds string = ''

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'usl-${token}-id', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: 'usl-${token}', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: 'usl${token}', location: location, tags: tags }
}

module messaging 'modules/messaging.bicep' = {
  name: 'messaging'
  params: { name: 'usl-${token}', location: location, tags: tags }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    appPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: messaging.outputs.name
    appInsightsName: monitoring.outputs.name
    ticketingPrincipalIds: empty(ticketingPrincipalIds) ? [] : split(ticketingPrincipalIds, ',')
    notificationConsumerPrincipalIds: empty(notificationConsumerPrincipalIds) ? [] : split(notificationConsumerPrincipalIds, ',')
  }
}

module app 'modules/app.bicep' = {
  name: 'app'
  // The identity holds its roles before the app first starts.
  dependsOn: [ rbac ]
  params: {
    name: 'usl-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    serviceBusNamespace: messaging.outputs.fullyQualifiedNamespace
    appInsightsConnectionString: monitoring.outputs.connectionString
    authClientId: authClientId
    authOpenIdIssuer: authOpenIdIssuer
    authAllowedAudiences: authAllowedAudiences
  }
}

output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output AZURE_FUNCTION_APP_URL string = app.outputs.url
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
