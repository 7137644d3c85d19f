// HotelAgent on Azure: Flex Consumption function app (.NET isolated worker) + storage (task hub, queues and HotelAgent's shared tables) +
// monitoring + Key Vault (+ optional Azure OpenAI by managed identity, + optional Azure Managed Redis). Deploy with `azd up` (see azure.yaml) or `az deployment sub create`
// (see docs/deploy.md). The canonical list of app settings is infra/bicep/app-settings.json.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Environment name (azd AZURE_ENV_NAME); part of every resource name.')
param environmentName string

@minLength(1)
@description('Region for all resources (must offer Flex Consumption: az functionapp list-flexconsumption-locations).')
param location string

@description('Resource group name; empty for rg-{environmentName}.')
param resourceGroupName string = ''

@description('Object id of the deploying user (azd AZURE_PRINCIPAL_ID): gets Key Vault Secrets Officer to populate secrets. Empty for none.')
param principalId string = ''

@description('Type of principalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

// ---------- Azure OpenAI ----------
@description('Deploy an Azure OpenAI account with chat, transcription and TTS deployments, called with the app identity (no key). false: use openAIEndpoint + openAIApiKey (e.g. api.openai.com).')
param deployOpenAI bool = true

@description('Region of the Azure OpenAI account; empty for the main location.')
param openAILocation string = ''

@description('OpenAI-compatible endpoint used when deployOpenAI is false.')
param openAIEndpoint string = 'https://api.openai.com/v1'

@description('Chat model (and Azure deployment name).')
param chatModel string = 'gpt-4o-mini'

@description('Speech-to-text model (and Azure deployment name).')
param transcriptionModel string = 'gpt-4o-mini-transcribe'

@description('Text-to-speech model (and Azure deployment name).')
param speechModel string = 'gpt-4o-mini-tts'

@description('Text-to-speech voice.')
param openAIVoice string = 'alloy'

// ---------- Shared state ----------
@description('Deploy an Azure Managed Redis (Entra authentication, no access keys) so the per-guest rate limit and the PMS availability cache are shared by every instance. false: each instance limits and caches on its own.')
param deployRedis bool = false

// ---------- Channels, PMS, app ----------
@description('WhatsApp Cloud API phone number id.')
param whatsAppPhoneNumberId string = ''

@description('Graph API base URL.')
param whatsAppGraphBaseUrl string = 'https://graph.facebook.com'

@description('Graph API version.')
param whatsAppGraphVersion string = 'v23.0'

@description('Poll the hotel mailbox (IMAP) and answer by SMTP.')
param emailEnabled bool = false

@description('Mailbox the agent reads and answers (From of replies).')
param emailAddress string = ''

@description('Sign-in: Password (app password), Google (OAuth2) or Microsoft (Entra app or managed identity).')
@allowed([ 'Password', 'Google', 'Microsoft' ])
param emailAuth string = 'Password'

@description('IMAP server (empty with Google / Microsoft: imap.gmail.com / outlook.office365.com).')
param emailImapHost string = ''

@description('IMAP port (0 = 993 with SslOnConnect).')
param emailImapPort int = 0

@description('IMAP security: Auto, SslOnConnect or StartTls.')
param emailImapSecurity string = 'Auto'

@description('SMTP submission server (empty with Google / Microsoft: smtp.gmail.com / smtp.office365.com).')
param emailSmtpHost string = ''

@description('SMTP port (0 = 587 with StartTls; 465 = SslOnConnect).')
param emailSmtpPort int = 0

@description('SMTP security: Auto, StartTls or SslOnConnect.')
param emailSmtpSecurity string = 'Auto'

@description('OAuth client id (Google) or Entra application / managed identity client id (Microsoft); not secret.')
param emailClientId string = ''

@description('Entra tenant of the mail app (Microsoft only).')
param emailTenantId string = ''

@description('NCRONTAB schedule of the mailbox poll timer.')
param emailPollSchedule string = '0 */2 * * * *'

@description('PMS provider: Embedded (in Azure Tables, shared by every instance) or QloApps.')
param pmsProvider string = 'Embedded'

@description('QloApps base URL when pmsProvider is QloApps.')
param qloAppsBaseUrl string = ''

@description('Folder for local files (QloApps booking index, audio cache). On Flex only /tmp is writable and it is per instance; shared state lives in Azure Tables.')
param dataDirectory string = '/tmp/hotelagent'

@description('Path of the hotel profile JSON inside the package; empty for the embedded sample hotel.')
param hotelProfilePath string = ''

@description('Time zone that cuts days in the interaction statistics (empty = the hotel profile time zone).')
param analyticsTimeZone string = ''

@description('OTLP endpoint for HotelAgent metrics (e.g. an OpenTelemetry Collector); empty disables export.')
param otlpEndpoint string = ''

@description('Flex Consumption maximum instance count.')
param maximumInstanceCount int = 40

@description('Always-ready instances for the durable group (1 per Microsoft guidance; 0 scales to zero).')
param durableAlwaysReadyInstances int = 1

// ---------- Secrets (written to Key Vault only when non-empty; see docs/deploy.md) ----------
@secure()
param whatsAppAccessToken string = ''
@secure()
param whatsAppAppSecret string = ''
@secure()
param whatsAppVerifyToken string = ''
@secure()
param emailPassword string = ''
@secure()
param emailClientSecret string = ''
@secure()
param emailRefreshToken string = ''
@secure()
param staffApiKey string = ''
@description('Key of the conversation-id and one-time-code hashes (e.g. openssl rand -base64 32). Changing it changes every conversation id.')
@secure()
param conversationIdKey string = ''
@secure()
param openAIApiKey string = ''
@secure()
param qloAppsApiKey string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  app: 'hotelagent'
}
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    secrets: {
      items: [
        {
          name: 'WhatsApp-AccessToken'
          value: whatsAppAccessToken
        }
        {
          name: 'WhatsApp-AppSecret'
          value: whatsAppAppSecret
        }
        {
          name: 'WhatsApp-VerifyToken'
          value: whatsAppVerifyToken
        }
        {
          name: 'Email-Password'
          value: emailPassword
        }
        {
          name: 'Email-ClientSecret'
          value: emailClientSecret
        }
        {
          name: 'Email-RefreshToken'
          value: emailRefreshToken
        }
        {
          name: 'Staff-ApiKey'
          value: staffApiKey
        }
        {
          name: 'Security-ConversationIdKey'
          value: conversationIdKey
        }
        // Only for a non-Azure endpoint: the deployed Azure OpenAI account is called with the app identity.
        {
          name: 'OpenAI-ApiKey'
          value: deployOpenAI ? '' : openAIApiKey
        }
        {
          name: 'Pms-QloApps-ApiKey'
          value: qloAppsApiKey
        }
      ]
    }
  }
}

module openAI 'modules/openai.bicep' = if (deployOpenAI) {
  name: 'openai'
  scope: rg
  params: {
    name: 'oai-${resourceToken}'
    location: !empty(openAILocation) ? openAILocation : location
    tags: tags
    chatModel: chatModel
    transcriptionModel: transcriptionModel
    speechModel: speechModel
  }
}

var secretUriBase = '${keyVault.outputs.uri}secrets/'

// Azure Managed Redis host names are {name}.{region}.redis.azure.net: known before the cluster exists.
var redisName = 'redis-${resourceToken}'

var hotelAgentSettings = {
  ASPNETCORE_ENVIRONMENT: 'Production'
  // Shared state in Azure Tables of AzureWebJobsStorage (identity-based, like the host's own connection).
  HotelAgent__Storage: 'AzureStorage'
  Redis__HostName: deployRedis ? '${redisName}.${location}.redis.azure.net' : ''
  Redis__Port: '10000'
  HotelAgent__DataDirectory: dataDirectory
  HotelAgent__HotelProfilePath: hotelProfilePath
  Analytics__TimeZone: analyticsTimeZone
  WhatsApp__AccessToken: '@Microsoft.KeyVault(SecretUri=${secretUriBase}WhatsApp-AccessToken)'
  WhatsApp__AppSecret: '@Microsoft.KeyVault(SecretUri=${secretUriBase}WhatsApp-AppSecret)'
  WhatsApp__VerifyToken: '@Microsoft.KeyVault(SecretUri=${secretUriBase}WhatsApp-VerifyToken)'
  WhatsApp__PhoneNumberId: whatsAppPhoneNumberId
  WhatsApp__GraphBaseUrl: whatsAppGraphBaseUrl
  WhatsApp__GraphVersion: whatsAppGraphVersion
  WhatsApp__UnconfirmedSendWaitSeconds: '15'
  Email__Enabled: string(emailEnabled)
  Email__Address: emailAddress
  Email__Auth: emailAuth
  Email__Imap__Host: emailImapHost
  Email__Imap__Port: string(emailImapPort)
  Email__Imap__Security: emailImapSecurity
  Email__Smtp__Host: emailSmtpHost
  Email__Smtp__Port: string(emailSmtpPort)
  Email__Smtp__Security: emailSmtpSecurity
  Email__Password: '@Microsoft.KeyVault(SecretUri=${secretUriBase}Email-Password)'
  Email__ClientId: emailClientId
  Email__ClientSecret: '@Microsoft.KeyVault(SecretUri=${secretUriBase}Email-ClientSecret)'
  Email__RefreshToken: '@Microsoft.KeyVault(SecretUri=${secretUriBase}Email-RefreshToken)'
  Email__TenantId: emailTenantId
  Email__PollSchedule: emailPollSchedule
  Staff__ApiKey: '@Microsoft.KeyVault(SecretUri=${secretUriBase}Staff-ApiKey)'
  Security__ConversationIdKey: '@Microsoft.KeyVault(SecretUri=${secretUriBase}Security-ConversationIdKey)'
  OpenAI__Endpoint: deployOpenAI ? openAI!.outputs.endpoint : openAIEndpoint
  // No key for the deployed Azure OpenAI account: AzureOpenAIClient signs in with the app identity.
  OpenAI__ApiKey: deployOpenAI ? '' : '@Microsoft.KeyVault(SecretUri=${secretUriBase}OpenAI-ApiKey)'
  OpenAI__ChatModel: chatModel
  OpenAI__TranscriptionModel: transcriptionModel
  OpenAI__SpeechModel: speechModel
  OpenAI__Voice: openAIVoice
  Pms__Provider: pmsProvider
  Pms__QloApps__BaseUrl: qloAppsBaseUrl
  Pms__QloApps__ApiKey: '@Microsoft.KeyVault(SecretUri=${secretUriBase}Pms-QloApps-ApiKey)'
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    appSettings: hotelAgentSettings
    maximumInstanceCount: maximumInstanceCount
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
  }
}

module redis 'modules/redis.bicep' = if (deployRedis) {
  name: 'redis'
  scope: rg
  params: {
    name: redisName
    location: location
    tags: tags
    principalId: functionApp.outputs.principalId
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    openAIAccountName: deployOpenAI ? openAI!.outputs.name : ''
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output OPENAI_ENDPOINT string = deployOpenAI ? openAI!.outputs.endpoint : openAIEndpoint
output REDIS_HOST_NAME string = deployRedis ? redis!.outputs.hostName : ''

