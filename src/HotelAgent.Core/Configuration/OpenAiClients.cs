using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using HotelAgent.Core.Storage;
using OpenAI;

namespace HotelAgent.Core.Configuration;

/// <summary>How HotelAgent signs in to the model endpoint (<c>OpenAI__Auth</c>).</summary>
public enum OpenAiAuth
{
    /// <summary>An Azure OpenAI resource (<c>*.openai.azure.com</c>, <c>*.cognitiveservices.azure.com</c>, <c>*.services.ai.azure.com</c>) with the app's managed identity unless <c>OpenAI__ApiKey</c> is set; anything else with the API key.</summary>
    Auto,

    /// <summary><c>OpenAI__ApiKey</c> (OpenAI, compatible servers, or an Azure resource's key).</summary>
    ApiKey,

    /// <summary>Azure OpenAI with <c>DefaultAzureCredential</c> (managed identity in Azure), whatever the host name.</summary>
    AzureIdentity,
}

/// <summary>
/// The one place OpenAI SDK clients are built: <see cref="AzureOpenAIClient"/> (Azure.AI.OpenAI) with a bearer token from
/// <c>DefaultAzureCredential</c> for an Azure OpenAI resource — no key in app settings — and the OpenAI client with the API
/// key for api.openai.com and OpenAI-compatible servers. Chat (the LLM second opinion), transcription and speech all get
/// their clients here. Azure deployments are addressed by name: the model settings hold deployment names.
/// </summary>
public static class OpenAiClients
{
    /// <summary>Token scope of Azure OpenAI (Cognitive Services).</summary>
    public const string AzureScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>True when the endpoint is an Azure OpenAI resource.</summary>
    public static bool IsAzureHost(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host;
        return host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".cognitiveservices.azure.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".services.ai.azure.com", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when calls go to Azure OpenAI with a managed-identity token.</summary>
    public static bool UsesAzureIdentity(Uri endpoint, OpenAiAuth auth, string? apiKey) => auth switch
    {
        OpenAiAuth.AzureIdentity => true,
        OpenAiAuth.ApiKey => false,
        _ => IsAzureHost(endpoint) && string.IsNullOrWhiteSpace(apiKey),
    };

    /// <summary>True when a model endpoint can be called at all (a key, or Azure identity); otherwise HotelAgent stays offline.</summary>
    public static bool IsConfigured(Uri endpoint, OpenAiAuth auth, string? apiKey) =>
        UsesAzureIdentity(endpoint, auth, apiKey) || !string.IsNullOrWhiteSpace(apiKey);

    /// <summary>The client for <paramref name="endpoint"/>; its <c>GetChatClient</c> / <c>GetAudioClient</c> take model or deployment names.</summary>
    public static OpenAIClient Create(
        Uri endpoint, OpenAiAuth auth, string? apiKey, string? managedIdentityClientId, HttpClient http, TimeSpan? networkTimeout = null, int? maxRetries = null, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(http);
        var transport = new HttpClientPipelineTransport(http);
        var retry = maxRetries is { } n ? new ClientRetryPolicy(n) : null;
        if (UsesAzureIdentity(endpoint, auth, apiKey) || IsAzureHost(endpoint))
        {
            var options = new AzureOpenAIClientOptions { Transport = transport };
            if (networkTimeout is { } timeout)
            {
                options.NetworkTimeout = timeout;
            }

            if (retry is not null)
            {
                options.RetryPolicy = retry;
            }

            var resource = ResourceRoot(endpoint);
            return UsesAzureIdentity(endpoint, auth, apiKey)
                ? new AzureOpenAIClient(resource, credential ?? AzureCredentials.Create(managedIdentityClientId), options)
                : new AzureOpenAIClient(resource, new ApiKeyCredential(apiKey!), options);
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new InvalidOperationException("OpenAI__ApiKey is not set (or point OpenAI__Endpoint at an Azure OpenAI resource to use the managed identity).");
        }

        var openAi = new OpenAIClientOptions { Endpoint = endpoint, Transport = transport };
        if (networkTimeout is { } t)
        {
            openAi.NetworkTimeout = t;
        }

        if (retry is not null)
        {
            openAi.RetryPolicy = retry;
        }

        return new OpenAIClient(new ApiKeyCredential(apiKey), openAi);
    }

    /// <summary>
    /// The resource URL Azure.AI.OpenAI expects (it adds <c>/openai/deployments/...</c> itself): an endpoint written as
    /// <c>https://{resource}.openai.azure.com/openai/v1/</c> is cut back to <c>https://{resource}.openai.azure.com/</c>.
    /// </summary>
    public static Uri ResourceRoot(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var path = endpoint.AbsolutePath;
        var cut = path.IndexOf("/openai", StringComparison.OrdinalIgnoreCase);
        var root = cut >= 0 ? path[..cut] : path.TrimEnd('/');
        return new UriBuilder(endpoint) { Path = root + "/", Query = string.Empty }.Uri;
    }
}
