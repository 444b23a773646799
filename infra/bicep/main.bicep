// Entry point for `azd up`: one resource group with the Function App (Flex Consumption), Storage (tables, durable
// task hub, deployment), Service Bus queues, Application Insights, and least-privilege role assignments for the
// app's managed identity. No connection strings with keys anywhere.
targetScope = 'resourceGroup'

@description('Short environment name, used in resource names (azd sets it).')
param environmentName string
param location string = resourceGroup().location

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }

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

module app 'modules/app.bicep' = {
  name: 'app'
  params: {
    name: 'usl-${token}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    serviceBusNamespace: messaging.outputs.fullyQualifiedNamespace
    appInsightsConnectionString: monitoring.outputs.connectionString
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: app.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: messaging.outputs.name
  }
}

output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output AZURE_FUNCTION_APP_URL string = app.outputs.url
