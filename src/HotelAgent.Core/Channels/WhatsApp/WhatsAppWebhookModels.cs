using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>Everything one webhook delivery carried, normalized.</summary>
/// <param name="Messages">Guest messages to process (after idempotency and rate-limit checks).</param>
/// <param name="Statuses">Delivery receipts for messages we sent: record, never answer.</param>
/// <param name="Ignored">Why parts of the payload were skipped (for logs; no message bodies).</param>
public sealed record WhatsAppWebhookBatch(
    IReadOnlyList<InboundMessage> Messages,
    IReadOnlyList<WhatsAppStatusUpdate> Statuses,
    IReadOnlyList<string> Ignored);

/// <summary>A <c>statuses[]</c> entry: sent / delivered / read / failed for a message we sent.</summary>
/// <param name="MessageId">The wamid of our outbound message.</param>
/// <param name="Status">Lower-case status as sent by Meta (<c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c>, …).</param>
/// <param name="RecipientId">The guest, E.164 (or the raw recipient id when it is not a phone number).</param>
/// <param name="Timestamp">When the status happened.</param>
/// <param name="Errors">For <c>failed</c>: the reasons Meta gives.</param>
/// <param name="CallbackData">
/// The <c>biz_opaque_callback_data</c> the send carried (our idempotency key), echoed by Meta; null when absent.
/// </param>
public sealed record WhatsAppStatusUpdate(
    string MessageId,
    string Status,
    string RecipientId,
    DateTimeOffset Timestamp,
    IReadOnlyList<WhatsAppStatusError> Errors,
    string? CallbackData = null)
{
    public bool IsFailed => string.Equals(Status, "failed", StringComparison.Ordinal);

    /// <summary>True for <c>sent</c>, <c>delivered</c> and <c>read</c>: proof that the message went out.</summary>
    public bool ProvesSent => Status is "sent" or "delivered" or "read";
}

/// <summary>An error entry of a failed status.</summary>
public sealed record WhatsAppStatusError(int Code, string? Title, string? Message, string? Details);

/// <summary>The webhook body is not JSON or not a WhatsApp Business Account notification (answer 400).</summary>
public sealed class WhatsAppPayloadException : Exception
{
    public WhatsAppPayloadException()
    {
    }

    public WhatsAppPayloadException(string message)
        : base(message)
    {
    }

    public WhatsAppPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Keys of <see cref="InboundMessage.ChannelContext"/> filled by the WhatsApp parser.</summary>
public static class WhatsAppContextKeys
{
    /// <summary>The WhatsApp message type as received (<c>text</c>, <c>audio</c>, <c>video</c>, …).</summary>
    public const string MessageType = "whatsapp.type";

    /// <summary>The business phone number id that received the message.</summary>
    public const string PhoneNumberId = "whatsapp.phone_number_id";

    /// <summary>The wamid the guest replied to (quoted message), when any.</summary>
    public const string ContextMessageId = "whatsapp.context_message_id";

    public const string MimeType = "whatsapp.mime_type";
    public const string Sha256 = "whatsapp.sha256";

    /// <summary><c>true</c> when an audio is a recorded voice note (PTT).</summary>
    public const string Voice = "whatsapp.voice";

    public const string FileName = "whatsapp.filename";
    public const string Latitude = "whatsapp.latitude";
    public const string Longitude = "whatsapp.longitude";
    public const string LocationName = "whatsapp.location_name";
    public const string LocationAddress = "whatsapp.location_address";
    public const string LocationUrl = "whatsapp.location_url";

    /// <summary>For reactions: the wamid reacted to.</summary>
    public const string ReactionMessageId = "whatsapp.reaction_message_id";

    /// <summary>For template quick-reply buttons: the developer-defined payload.</summary>
    public const string ButtonPayload = "whatsapp.button_payload";

    /// <summary>For interactive list replies: the row description.</summary>
    public const string ListReplyDescription = "whatsapp.list_reply_description";

    /// <summary>For shared contacts: the first shared contact's phone (E.164 when parseable).</summary>
    public const string SharedContactPhone = "whatsapp.shared_contact_phone";

    /// <summary>For shared contacts: the first shared contact's formatted name.</summary>
    public const string SharedContactName = "whatsapp.shared_contact_name";
}
