namespace HotelAgent.Core.Channels.Gmail;

/// <summary>Outcome of one poll of the hotel inbox.</summary>
/// <param name="Fetched">Messages listed and downloaded.</param>
/// <param name="Accepted">Messages handed to the sink (and then marked processed).</param>
/// <param name="Skipped">Own messages, auto-replies, bounces and bulk mail (labelled, left unread for staff).</param>
/// <param name="Failed">Messages left unread for the next tick.</param>
/// <param name="Error">A batch-level failure (auth, quota, network) with its reason; null when the poll ran.</param>
public sealed record GmailPollResult(int Fetched, int Accepted, int Skipped, int Failed, string? Error)
{
    /// <summary>The kind of the batch-level failure, when <see cref="Error"/> is set.</summary>
    public GmailErrorKind? ErrorKind { get; init; }

    public static GmailPollResult Disabled { get; } = new(0, 0, 0, 0, "Gmail is disabled (Gmail__Enabled=false)");
}

/// <summary>Keys of <see cref="Messaging.InboundMessage.ChannelContext"/> / <see cref="Messaging.OutboundMessage.ChannelContext"/> for email.</summary>
public static class GmailContextKeys
{
    /// <summary>Gmail thread id: replies are sent into it.</summary>
    public const string ThreadId = "threadId";

    /// <summary>The guest's subject (decoded).</summary>
    public const string Subject = "subject";

    /// <summary>The guest's Message-ID header, with angle brackets.</summary>
    public const string MessageId = "messageId";

    /// <summary>The guest's References header (space-separated ids).</summary>
    public const string References = "references";
}
