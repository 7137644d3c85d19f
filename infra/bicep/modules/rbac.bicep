// Least-privilege role assignments for the function app's system-assigned identity.
//   Storage Blob Data Owner       host storage (AzureWebJobsStorage: leases, keys, deployment package)
//   Storage Queue Data Contributor Durable control/work-item queues, audio queues and their poison queues
//   Storage Table Data Contributor Durable task hub tables and HotelAgent's shared state tables ({prefix}Processed, {prefix}Pms...)
//   Key Vault Secrets User        resolve Key Vault references
//   Monitoring Metrics Publisher  Entra-authenticated Application Insights ingestion
//   Cognitive Services OpenAI User keyless calls to Azure OpenAI (only when deployed)
// Storage Account Contributor is NOT granted: Durable Functions with the Azure Storage provider needs only the
// three data roles (Microsoft's durable identity guidance), and that role would expose the account keys.
@description('Object id of the function app identity.')
param principalId string

@description('Storage account name.')
param storageAccountName string

@description('Key Vault name.')
param keyVaultName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Azure OpenAI account name; empty when not deployed.')
param openAIAccountName string = ''

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
}

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Only referenced by the conditional assignment below (an existing reference deploys nothing).
resource openAI 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: empty(openAIAccountName) ? 'none' : openAIAccountName
}

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, principalId, role)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource openAIUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(openAIAccountName)) {
  name: guid(openAI.id, principalId, roles.cognitiveServicesOpenAIUser)
  scope: openAI
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesOpenAIUser)
  }
}
