// Key Vault in RBAC mode holding the app's secrets. App settings point at the secrets with Key Vault
// references (@Microsoft.KeyVault(SecretUri=...)) resolved by the platform with the app's managed identity.
//
// A secret is written only when a value is passed: an empty value leaves the secret untouched, so values
// set later with `az keyvault secret set` survive every re-deployment.
@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Values to write: { items: [{ name, value }] }. Entries with an empty value are skipped.')
@secure()
param secrets object = {}

@description('Principal (user or group) that gets Key Vault Secrets Officer to populate the vault; empty for none.')
param deployerPrincipalId string = ''

@description('Type of deployerPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = 'User'

var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for item in (secrets.?items ?? []): if (!empty(item.value)) {
  parent: vault
  name: item.name
  properties: {
    value: item.value
    contentType: 'text/plain'
  }
}]

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
