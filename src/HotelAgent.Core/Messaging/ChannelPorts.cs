namespace HotelAgent.Core.Messaging;

/// <summary>Media bytes fetched from a channel provider.</summary>
public sealed record DownloadedMedia(byte[] Content, string MimeType);

/// <summary>Thrown when media exceeds the configured size limit (detected before the download completes).</summary>
public sealed class MediaTooLargeException(long limitBytes)
    : Exception($"The media is larger than the {limitBytes} byte limit.")
{
    public long LimitBytes { get; } = limitBytes;
}

/// <summary>Downloads inbound media (WhatsApp: media id → URL → bytes with the bearer token).</summary>
public interface IMediaDownloader
{
    /// <exception cref="MediaTooLargeException">The media is larger than <paramref name="maxBytes"/>.</exception>
    Task<DownloadedMedia> DownloadAsync(Channel channel, string mediaId, long maxBytes, CancellationToken cancellationToken);
}

/// <summary>Sends a synthesized voice note (Ogg/Opus) to a guest (WhatsApp: upload media, then send audio).</summary>
public interface IVoiceNoteSender
{
    Task SendVoiceNoteAsync(Channel channel, string guestId, byte[] oggOpus, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>
/// The single entry of guest messages into the receptionist: every channel (WhatsApp, email, web chat,
/// transcribed voice notes) hands its normalized messages here, and this is where exactly-once and the per-guest
/// rate limit are decided for all of them. Throws when the message could not be handed on (the provider's retry
/// will be processed).
/// </summary>
public interface IInboundMessageSink
{
    Task<InboundOutcome> AcceptAsync(InboundMessage message, CancellationToken cancellationToken);
}

/// <summary>What the inbound gate did with a message.</summary>
public enum InboundOutcome
{
    /// <summary>Handed to the guest's conversation (or to the transcription queue).</summary>
    Accepted,

    /// <summary>Already processed (a provider redelivery): dropped.</summary>
    Duplicate,

    /// <summary>Over the guest's rate limit: one polite notice, then silence.</summary>
    RateLimited,
}
