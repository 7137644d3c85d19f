using System.Text.Json;
using System.Text.Json.Serialization;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Queues;

namespace HotelAgent.Core.Audio;

/// <summary>Queue names of the audio functions (Azure Storage queue names; standalone: the SQLite queue).</summary>
public static class AudioQueues
{
    /// <summary>Queue of <see cref="TranscriptionJob"/>s, consumed by the <c>TranscribeAudio</c> function.</summary>
    public const string Transcribe = "audio-transcribe";

    /// <summary>Queue of <see cref="SynthesisJob"/>s, consumed by the <c>SynthesizeAudio</c> function.</summary>
    public const string Synthesize = "audio-synthesize";

    /// <summary>Puts a transcription job on <see cref="Transcribe"/>.</summary>
    public static Task<string> EnqueueTranscriptionAsync(this IQueueSender queue, TranscriptionJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.EnqueueAsync(Transcribe, AudioJobJson.Serialize(job), cancellationToken);
    }

    /// <summary>Puts a synthesis job on <see cref="Synthesize"/>.</summary>
    public static Task<string> EnqueueSynthesisAsync(this IQueueSender queue, SynthesisJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.EnqueueAsync(Synthesize, AudioJobJson.Serialize(job), cancellationToken);
    }
}

/// <summary>A voice note to download, transcribe and feed into the guest's conversation.</summary>
public sealed record TranscriptionJob
{
    /// <summary>The conversation id when the caller knows it (informational; the sink derives it from channel + guest).</summary>
    public string? ConversationId { get; init; }

    public required Channel Channel { get; init; }

    public required string GuestId { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>The provider's media id (WhatsApp media id).</summary>
    public required string MediaId { get; init; }

    /// <summary>MIME type from the webhook (e.g. <c>audio/ogg; codecs=opus</c>).</summary>
    public string? MimeType { get; init; }

    /// <summary>The inbound message id (wamid): the idempotency key of the transcribed message.</summary>
    public required string ProviderMessageId { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public IReadOnlyDictionary<string, string> ChannelContext { get; init; } = new Dictionary<string, string>();

    /// <summary>The job for an inbound audio message (which must carry a media id).</summary>
    public static TranscriptionJob FromInbound(InboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.MediaId))
        {
            throw new ArgumentException("The message carries no media id.", nameof(message));
        }

        return new TranscriptionJob
        {
            ConversationId = message.ConversationId,
            Channel = message.Channel,
            GuestId = message.GuestId,
            DisplayName = message.DisplayName,
            MediaId = message.MediaId,
            ProviderMessageId = message.ProviderMessageId,
            Timestamp = message.Timestamp,
            ChannelContext = message.ChannelContext,
        };
    }
}

/// <summary>A reply to speak and send as a voice note (the text reply is sent separately).</summary>
public sealed record SynthesisJob
{
    public required Channel Channel { get; init; }

    public required string GuestId { get; init; }

    public required string Text { get; init; }

    /// <summary>Reply language (<c>es</c>, <c>en</c>).</summary>
    public string Language { get; init; } = "es";

    /// <summary>Stable key so a retried send never reaches the guest twice (e.g. the text reply's key + <c>:voice</c>).</summary>
    public required string IdempotencyKey { get; init; }
}

/// <summary>JSON (de)serialization of audio jobs (System.Text.Json web defaults, enums as strings).</summary>
public static class AudioJobJson
{
    /// <summary>Options used for job messages.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(TranscriptionJob job) => JsonSerializer.Serialize(job, Options);

    public static string Serialize(SynthesisJob job) => JsonSerializer.Serialize(job, Options);

    /// <exception cref="JsonException">Not a transcription job (the message ends in the poison queue).</exception>
    public static TranscriptionJob DeserializeTranscription(string messageText) =>
        JsonSerializer.Deserialize<TranscriptionJob>(Unwrap(messageText), Options) ?? throw new JsonException("Empty transcription job.");

    /// <exception cref="JsonException">Not a synthesis job (the message ends in the poison queue).</exception>
    public static SynthesisJob DeserializeSynthesis(string messageText) =>
        JsonSerializer.Deserialize<SynthesisJob>(Unwrap(messageText), Options) ?? throw new JsonException("Empty synthesis job.");

    /// <summary>Accepts the message text itself or a JSON string that contains it (the host may encode strings once more).</summary>
    private static string Unwrap(string messageText)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var trimmed = messageText.TrimStart();
        return trimmed.StartsWith('"') ? JsonSerializer.Deserialize<string>(trimmed) ?? string.Empty : messageText;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
