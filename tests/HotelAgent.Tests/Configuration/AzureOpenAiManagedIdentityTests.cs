using HotelAgent.Core.Audio;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Nlu;
using HotelAgent.Tests.Fakes.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Configuration;

/// <summary>
/// Azure OpenAI by managed identity: with <c>IDENTITY_ENDPOINT</c>/<c>IDENTITY_HEADER</c> set (as in a Functions app),
/// <c>DefaultAzureCredential</c> gets a token from the identity endpoint and chat and transcription reach the deployments
/// with <c>Authorization: Bearer</c> and no key. The environment variables are process-wide, so this collection runs alone.
/// </summary>
[Collection(ManagedIdentityEnvironmentCollection.Name)]
public sealed class AzureOpenAiManagedIdentityTests : IAsyncLifetime
{
    private FakeAzureOpenAiServer _azure = null!;
    private string? _endpointBefore;
    private string? _headerBefore;

    public async Task InitializeAsync()
    {
        _azure = await FakeAzureOpenAiServer.StartAsync();
        _endpointBefore = Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT");
        _headerBefore = Environment.GetEnvironmentVariable("IDENTITY_HEADER");
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _azure.IdentityEndpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", FakeAzureOpenAiServer.IdentityHeader);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _endpointBefore);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", _headerBefore);
        await _azure.DisposeAsync();
    }

    [Fact]
    public async Task Chat_and_transcription_are_called_with_a_managed_identity_token_and_no_key()
    {
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var http = services.GetRequiredService<IHttpClientFactory>();

        // The endpoint as an operator would paste it from the portal (".../openai/v1/"): the resource root is used.
        var classifier = new OpenAIIntentClassifier(
            Options.Create(new OpenAIOptions { Endpoint = new Uri(_azure.BaseUrl + "/openai/v1/"), Auth = OpenAiAuth.AzureIdentity, ChatModel = "chat-deployment" }), http);
        Assert.True(classifier.IsEnabled);
        var intent = await classifier.ClassifyAsync("cuánto sale la doble?", [], CancellationToken.None);
        Assert.Equal("ask_price", intent?.Intent);

        var transcriber = new OpenAiSpeechToText(
            Options.Create(new OpenAiAudioOptions { Endpoint = _azure.BaseUrl, Auth = OpenAiAuth.AzureIdentity, TranscriptionModel = "whisper-deployment" }),
            Options.Create(new AudioOptions()),
            http);
        Assert.Equal(_azure.TranscriptText, await transcriber.TranscribeAsync([0x4F, 0x67, 0x67, 0x53, 1, 2, 3], "audio/ogg", "es", CancellationToken.None));

        var calls = _azure.Calls.ToList();
        Assert.Equal(["/openai/deployments/chat-deployment/chat/completions", "/openai/deployments/whisper-deployment/audio/transcriptions"], calls.Select(c => c.Path));
        Assert.All(calls, c =>
        {
            Assert.Equal("Bearer " + FakeAzureOpenAiServer.AccessToken, c.Authorization);
            Assert.Null(c.ApiKey);
            Assert.False(string.IsNullOrEmpty(c.ApiVersion));
        });
        Assert.NotEmpty(_azure.TokenResources);
        Assert.All(_azure.TokenResources, r => Assert.Equal("https://cognitiveservices.azure.com", r.TrimEnd('/')));
    }

    [Fact]
    public void An_azure_resource_host_without_a_key_uses_the_managed_identity_and_anything_else_needs_a_key()
    {
        Assert.True(OpenAiClients.UsesAzureIdentity(new Uri("https://hotel-ai.openai.azure.com/openai/v1/"), OpenAiAuth.Auto, null));
        Assert.True(OpenAiClients.UsesAzureIdentity(new Uri("https://hotel-ai.cognitiveservices.azure.com/"), OpenAiAuth.Auto, ""));
        Assert.False(OpenAiClients.UsesAzureIdentity(new Uri("https://hotel-ai.openai.azure.com/"), OpenAiAuth.Auto, "a-key"));
        Assert.False(OpenAiClients.IsConfigured(new Uri("https://api.openai.com/v1"), OpenAiAuth.Auto, null));
        Assert.True(OpenAiClients.IsConfigured(new Uri("https://api.openai.com/v1"), OpenAiAuth.Auto, "sk-test"));
        Assert.Equal(new Uri("https://hotel-ai.openai.azure.com/"), OpenAiClients.ResourceRoot(new Uri("https://hotel-ai.openai.azure.com/openai/v1/")));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedIdentityEnvironmentCollection
{
    public const string Name = "Managed identity environment";
}
