// Optional Azure OpenAI account with the three deployments the agent uses: chat, speech-to-text and
// text-to-speech. The app calls it with AzureOpenAIClient and its managed identity (role Cognitive Services
// OpenAI User, granted in rbac.bicep): key authentication is disabled and no key is stored anywhere.
// Deployment names equal model names so OpenAI__ChatModel etc. work unchanged.
@description('Account name; also the custom subdomain of the endpoint.')
param name string

@description('Azure region (must offer the three models).')
param location string

@description('Tags for every resource.')
param tags object = {}

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
    // Entra ID only: the function app's identity has Cognitive Services OpenAI User.
    disableLocalAuth: true
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

output name string = account.name
output endpoint string = 'https://${account.name}.openai.azure.com/openai/v1/'
output chatDeployment string = chat.name
output transcriptionDeployment string = transcription.name
output speechDeployment string = speech.name
