namespace HotelAgent.Core.Messaging;

/// <summary>A choice offered to the guest (WhatsApp button or list row; a numbered line elsewhere).</summary>
public sealed record ReplyOption(string Id, string Title, string? Description = null);

/// <summary>A file sent with a reply (e.g. the .ics of a booking confirmation by email).</summary>
public sealed record ReplyAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>What the receptionist says in one message, channel-agnostic.</summary>
public sealed record Reply(string Text)
{
    /// <summary>Choices to render as buttons (≤ 3) or a list (≤ 10) on WhatsApp; numbered options elsewhere.</summary>
    public IReadOnlyList<ReplyOption> Options { get; init; } = [];

    /// <summary>Header of the option list (WhatsApp list button label).</summary>
    public string? OptionsTitle { get; init; }

    public IReadOnlyList<ReplyAttachment> Attachments { get; init; } = [];
}

/// <summary>A reply addressed to a guest on a channel.</summary>
/// <param name="Channel">Channel to send on.</param>
/// <param name="GuestId">Recipient contact.</param>
/// <param name="Reply">Content.</param>
/// <param name="IdempotencyKey">Stable key (e.g. inbound message id + index) so a retried send never reaches the guest twice.</param>
public sealed record OutboundMessage(Channel Channel, string GuestId, Reply Reply, string IdempotencyKey)
{
    /// <summary>Context copied from the inbound message (email thread, subject, Message-ID).</summary>
    public IReadOnlyDictionary<string, string> ChannelContext { get; init; } = new Dictionary<string, string>();

    /// <summary>The language the reply is written in ("es", "en"), when known: channels that show a page follow it.</summary>
    public string? Language { get; init; }
}
