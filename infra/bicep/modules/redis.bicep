// Optional Azure Managed Redis shared by every instance of the function app: the per-guest rate limit and the PMS
// availability cache (Redis__HostName). Microsoft Entra authentication only: access keys are disabled and the app's
// managed identity gets the database's default access policy; HotelAgent signs in with a token for
// https://redis.azure.com/.default (user = the identity's object id) and renews it before it expires.
@description('Cluster name (also the host name: {name}.{region}.redis.azure.net).')
param name string

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Azure Managed Redis SKU (Balanced_B0 is the smallest; limits and cache need little memory).')
param skuName string = 'Balanced_B0'

@description('Object id of the function app identity, added as a Redis user.')
param principalId string

resource cluster 'Microsoft.Cache/redisEnterprise@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    clusteringPolicy: 'EnterpriseCluster'
    evictionPolicy: 'VolatileLRU'
    accessKeysAuthentication: 'Disabled'
  }
}

resource appUser 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-04-01' = {
  parent: database
  name: take(replace(guid(database.id, principalId), '-', ''), 60)
  properties: {
    accessPolicyName: 'default'
    user: {
      objectId: principalId
    }
  }
}

output hostName string = cluster.properties.hostName
output port int = database.properties.port
