// The Function App on Flex Consumption (Node 22) running as the user-assigned identity. Every connection is
// identity-based (`__credential` + `__clientId`); basic publishing (FTP, SCM) is off; App Service Authentication
// (Easy Auth) is on, so only the platform sets `x-ms-client-principal` (the app fails closed without it).
param name string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param serviceBusNamespace string
param appInsightsConnectionString string

@description('Application (client) ID of the API\'s Entra ID app registration.')
param authClientId string
@description('OpenID issuer of the tenant, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0.')
param authOpenIdIssuer string
@description('Token audiences the API accepts.')
param authAllowedAudiences array

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      runtime: { name: 'node', version: '22' }
      scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: serviceBusNamespace }
        { name: 'ServiceBusConnection__credential', value: 'managedidentity' }
        { name: 'ServiceBusConnection__clientId', value: identityClientId }
        // DefaultAzureCredential in the app's own Table clients picks the user-assigned identity by this.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
      ]
    }
  }
}

// No publishing with user names and passwords: deployments go through Entra ID (azd) only.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

// Easy Auth: the platform validates Entra ID tokens, strips any client-sent principal header and forwards its own
// (api-contract.md, Conventions). The OpenAPI document and the operator page's static files stay public.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true, runtimeVersion: '~1' }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [ '/api/openapi.json', '/api/ui', '/api/ui/*' ]
    }
    httpSettings: { requireHttps: true }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: { clientId: authClientId, openIdIssuer: authOpenIdIssuer }
        validation: { allowedAudiences: authAllowedAudiences }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
