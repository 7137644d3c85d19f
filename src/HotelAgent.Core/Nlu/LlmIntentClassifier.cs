using HotelAgent.Core.Configuration;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace HotelAgent.Core.Nlu;

/// <summary>An optional second opinion on the intent (e.g. an LLM). Returns null when it has no usable answer.</summary>
public interface ILlmIntentClassifier
{
    /// <summary>True when it can be called (e.g. an API key is configured).</summary>
    bool IsEnabled { get; }

    Task<IntentScore?> ClassifyAsync(string text, IReadOnlyList<IntentScore> offlineCandidates, CancellationToken cancellationToken);
}

/// <summary>OpenAI settings shared by every OpenAI use in the app (section <c>OpenAI</c>).</summary>
public sealed class OpenAIOptions
{
    public const string SectionName = "OpenAI";

    /// <summary>Base URL (<c>OpenAI__Endpoint</c>): OpenAI's, or an Azure OpenAI v1 endpoint https://{resource}.openai.azure.com/openai/v1/.</summary>
    public Uri Endpoint { get; set; } = new("https://api.openai.com/v1");

    /// <summary><c>OpenAI__ApiKey</c>; empty = offline only.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>OpenAI__ChatModel</c> (for Azure: the deployment name).</summary>
    public string ChatModel { get; set; } = "gpt-4o-mini";

    /// <summary><c>OpenAI__Auth</c>: Auto (managed identity for an Azure OpenAI resource without a key), ApiKey or AzureIdentity.</summary>
    public OpenAiAuth Auth { get; set; } = OpenAiAuth.Auto;

    /// <summary><c>OpenAI__ClientId</c>: a user-assigned managed identity for Azure OpenAI (empty: system-assigned).</summary>
    public string? ClientId { get; set; }

    /// <summary>True when the LLM second opinion can be called (a key, or Azure identity).</summary>
    public bool IsConfigured => OpenAiClients.IsConfigured(Endpoint, Auth, ApiKey);
}

/// <summary>Intent classification with the OpenAI .NET SDK: chat completion with a strict JSON schema over the label set.</summary>
public sealed class OpenAIIntentClassifier : ILlmIntentClassifier
{
    private static readonly BinaryData Schema = BinaryData.FromString($$"""
        {
          "type": "object",
          "properties": {
            "intent": { "type": "string", "enum": [{{string.Join(", ", NluLabels.Intents.Select(i => "\"" + i + "\""))}}] },
            "confidence": { "type": "number" }
          },
          "required": ["intent", "confidence"],
          "additionalProperties": false
        }
        """);

    private static readonly string SystemPrompt =
        "You classify one message a guest sent to a hotel receptionist chat (WhatsApp or email; Spanish, often " +
        "Rioplatense, or English) into exactly one intent. Intents: " +
        "check_availability (asks if rooms are free), make_reservation (wants to book), cancel_reservation, " +
        "modify_reservation (change dates, guests, room of an existing booking), check_reservation (status/details of an existing booking), " +
        "ask_price, ask_room_types, ask_amenities (services, pool, parking, pets...), ask_location, ask_policies (check-in/out times, " +
        "payment, cancellation policy, deposits), greeting, goodbye, affirm, deny, help (how this chat works), request_human " +
        "(wants a person, complaints, anger), out_of_scope. Answer with the intent and your confidence between 0 and 1.";

    private readonly ChatClient? _client;

    /// <summary>Name of the <see cref="IHttpClientFactory"/> client used for the OpenAI calls.</summary>
    public const string HttpClientName = "HotelAgent.Nlu.OpenAI";

    public OpenAIIntentClassifier(IOptions<OpenAIOptions> options, IHttpClientFactory? httpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        if (o.IsConfigured)
        {
            var http = httpClientFactory?.CreateClient(HttpClientName) ?? new HttpClient();
            _client = OpenAiClients.Create(o.Endpoint, o.Auth, o.ApiKey, o.ClientId, http).GetChatClient(o.ChatModel);
        }
    }

    public bool IsEnabled => _client is not null;

    public async Task<IntentScore?> ClassifyAsync(string text, IReadOnlyList<IntentScore> offlineCandidates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(offlineCandidates);
        if (_client is null)
            return null;
        var hint = string.Join(", ", offlineCandidates.Take(3).Select(c => $"{c.Intent} {c.Confidence:F2}"));
        List<ChatMessage> messages =
        [
            new SystemChatMessage(SystemPrompt),
            new UserChatMessage($"Guest message:\n{text}\n\nAn offline model guessed: {hint}."),
        ];
        // no temperature / token limit: reasoning models (o-series, gpt-5) reject or need them differently
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("intent_classification", Schema, jsonSchemaIsStrict: true),
        };
        ChatCompletion completion = await _client.CompleteChatAsync(messages, options, cancellationToken);
        if (completion.Content.Count == 0)
            return null;
        using var doc = JsonDocument.Parse(completion.Content[0].Text);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("intent", out var intentEl) || intentEl.ValueKind != JsonValueKind.String)
            return null;
        var confidence = root.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : 0.0;
        return new IntentScore(intentEl.GetString()!, Math.Clamp(confidence, 0.0, 1.0));
    }
}

/// <summary>No second opinion (used when nothing is configured).</summary>
public sealed class NoLlmIntentClassifier : ILlmIntentClassifier
{
    public bool IsEnabled => false;

    public Task<IntentScore?> ClassifyAsync(string text, IReadOnlyList<IntentScore> offlineCandidates, CancellationToken cancellationToken) =>
        Task.FromResult<IntentScore?>(null);
}
