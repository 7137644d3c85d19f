namespace HotelAgent.Core.Messaging;

/// <summary>What kind of content a guest sent.</summary>
public enum InboundKind
{
    Text,
    Interactive,
    Audio,
    Image,
    Document,
    Location,
    Contacts,
    Sticker,
    Reaction,
    Unsupported,
}

/// <summary>
/// A guest message normalized from any channel. Everything downstream (idempotency, rate limits,
/// the conversation orchestration) works on this shape only.
/// </summary>
/// <param name="Channel">Where the message came from.</param>
/// <param name="GuestId">The normalized contact: E.164 phone for WhatsApp, lower-case address for email, session id for web chat.</param>
/// <param name="DisplayName">The guest's profile name when the channel gives one.</param>
/// <param name="Text">The text to understand (typed text, the title of an interactive reply, or an audio transcript).</param>
/// <param name="ProviderMessageId">The provider's id (wamid, email Message-ID): the idempotency key.</param>
/// <param name="Timestamp">When the provider says the guest sent it.</param>
public sealed record InboundMessage(
    Channel Channel,
    string GuestId,
    string? DisplayName,
    string Text,
    string ProviderMessageId,
    DateTimeOffset Timestamp)
{
    /// <summary>The kind of content; non-text kinds may carry no text.</summary>
    public InboundKind Kind { get; init; } = InboundKind.Text;

    /// <summary>For interactive replies: the id of the button or list row the guest picked.</summary>
    public string? ReplyId { get; init; }

    /// <summary>For media: the provider's media id (downloaded later by the audio pipeline).</summary>
    public string? MediaId { get; init; }

    /// <summary>True when the text is a transcript of a voice note (the reply is then also spoken).</summary>
    public bool IsVoice { get; init; }

    /// <summary>Channel-specific data needed to answer in context (email thread id, subject, Message-ID).</summary>
    public IReadOnlyDictionary<string, string> ChannelContext { get; init; } = new Dictionary<string, string>();

    /// <summary>The stable key of the guest's conversation: one per channel and contact.</summary>
    public string ConversationId => ConversationIds.For(Channel, GuestId);
}
