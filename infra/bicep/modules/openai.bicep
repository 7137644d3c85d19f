// Optional Azure OpenAI account with the three deployments the agent uses: chat, speech-to-text and
// text-to-speech. The app calls the v1 endpoint (https://{name}.openai.azure.com/openai/v1/) with the
// OpenAI .NET SDK; deployment names equal model names so OpenAI__ChatModel etc. work unchanged.
@description('Account name; also the custom subdomain of the endpoint.')
param name string

@description('Azure region (must offer the three models).')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Key Vault that receives the account key as secret OpenAI-ApiKey.')
param keyVaultName string

@description('Chat model and version.')
param chatModel string = 'gpt-4o-mini'
param chatModelVersion string = '2024-07-18'

@description('Speech-to-text model and version.')
param transcriptionModel string = 'gpt-4o-mini-transcribe'
param transcriptionModelVersion string = '2025-03-20'

@description('Text-to-speech model and version.')
param speechModel string = 'gpt-4o-mini-tts'
param speechModelVersion string = '2025-03-20'

@description('Deployment SKU.')
param deploymentSku string = 'GlobalStandard'

@description('Capacity (thousands of tokens per minute) of the chat deployment.')
param chatCapacity int = 30

@description('Capacity of the audio deployments.')
param audioCapacity int = 10

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    publicNetworkAccess: 'Enabled'
    // Key auth stays on: the app authenticates with OpenAI__ApiKey (from Key Vault).
    disableLocalAuth: false
  }
}

// Deployments on one account must be created one after the other.
resource chat 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: chatModel
  sku: {
    name: deploymentSku
    capacity: chatCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chatModel
      version: chatModelVersion
    }
  }
}

resource transcription 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: transcriptionModel
  dependsOn: [
    chat
  ]
  sku: {
    name: deploymentSku
    capacity: audioCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: transcriptionModel
      version: transcriptionModelVersion
    }
  }
}

resource speech 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: speechModel
  dependsOn: [
    transcription
  ]
  sku: {
    name: deploymentSku
    capacity: audioCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: speechModel
      version: speechModelVersion
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource apiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'OpenAI-ApiKey'
  properties: {
    value: account.listKeys().key1
    contentType: 'text/plain'
  }
}

output name string = account.name
output endpoint string = 'https://${account.name}.openai.azure.com/openai/v1/'
output chatDeployment string = chat.name
output transcriptionDeployment string = transcription.name
output speechDeployment string = speech.name
