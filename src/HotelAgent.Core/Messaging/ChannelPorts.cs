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
/// The single entry of guest messages into the receptionist: every channel (WhatsApp, Gmail, web chat,
/// transcribed voice notes) hands its normalized messages here.
/// </summary>
public interface IInboundMessageSink
{
    Task AcceptAsync(InboundMessage message, CancellationToken cancellationToken);
}
