using System.Globalization;
using System.Text.Json;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// Turns a WhatsApp Cloud API webhook body (<c>entry[].changes[].value.{metadata, contacts, messages, statuses}</c>)
/// into normalized inbound messages and status updates. Unknown shapes are reported in
/// <see cref="WhatsAppWebhookBatch.Ignored"/>, never thrown, so one odd message never loses the others.
/// </summary>
public static class WhatsAppWebhookParser
{
    private const string BusinessAccountObject = "whatsapp_business_account";

    /// <exception cref="WhatsAppPayloadException">Not JSON, or not a WhatsApp Business Account webhook.</exception>
    public static WhatsAppWebhookBatch Parse(string body, TimeProvider? timeProvider = null)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new WhatsAppPayloadException("Empty body.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new WhatsAppPayloadException("Body is not valid JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new WhatsAppPayloadException("Body is not a JSON object.");
            }

            if (!string.Equals(GetString(root, "object"), BusinessAccountObject, StringComparison.Ordinal))
            {
                throw new WhatsAppPayloadException("Not a WhatsApp Business Account webhook (object != whatsapp_business_account).");
            }

            var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
            var messages = new List<InboundMessage>();
            var statuses = new List<WhatsAppStatusUpdate>();
            var ignored = new List<string>();

            if (!Prop(root, "entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                ignored.Add("no entry array");
                return new WhatsAppWebhookBatch(messages, statuses, ignored);
            }

            foreach (var entry in entries.EnumerateArray())
            {
                if (!Prop(entry, "changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
                {
                    ignored.Add("entry without changes");
                    continue;
                }

                foreach (var change in changes.EnumerateArray())
                {
                    ParseChange(change, now, messages, statuses, ignored);
                }
            }

            return new WhatsAppWebhookBatch(messages, statuses, ignored);
        }
    }

    private static void ParseChange(
        JsonElement change,
        DateTimeOffset now,
        List<InboundMessage> messages,
        List<WhatsAppStatusUpdate> statuses,
        List<string> ignored)
    {
        var field = GetString(change, "field");
        if (field is not null && !string.Equals(field, "messages", StringComparison.Ordinal))
        {
            ignored.Add($"change field '{Sanitize(field)}' not handled");
            return;
        }

        if (!Prop(change, "value", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            ignored.Add("change without value");
            return;
        }

        string? phoneNumberId = null;
        if (Prop(value, "metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            phoneNumberId = GetString(metadata, "phone_number_id");
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Prop(value, "contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array)
        {
            foreach (var contact in contacts.EnumerateArray())
            {
                var waId = GetString(contact, "wa_id");
                var name = Prop(contact, "profile", out var profile) ? GetString(profile, "name") : null;
                if (waId is not null && !string.IsNullOrWhiteSpace(name))
                {
                    names.TryAdd(waId, name);
                }
            }
        }

        if (Prop(value, "messages", out var messageArray) && messageArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messageArray.EnumerateArray())
            {
                try
                {
                    var parsed = ParseMessage(message, phoneNumberId, names, now, out var reason);
                    if (parsed is null)
                    {
                        ignored.Add(reason ?? "message ignored");
                    }
                    else
                    {
                        messages.Add(parsed);
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
                {
                    ignored.Add($"message {Sanitize(GetString(message, "id"))} malformed: {ex.GetType().Name}");
                }
            }
        }

        if (Prop(value, "statuses", out var statusArray) && statusArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var status in statusArray.EnumerateArray())
            {
                var parsed = ParseStatus(status, now);
                if (parsed is null)
                {
                    ignored.Add("status without id or status");
                }
                else
                {
                    statuses.Add(parsed);
                }
            }
        }

        if (Prop(value, "errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray())
            {
                ignored.Add($"webhook error {GetInt(error, "code")?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {Sanitize(GetString(error, "title"))}");
            }
        }
    }

    private static InboundMessage? ParseMessage(
        JsonElement message,
        string? phoneNumberId,
        Dictionary<string, string> names,
        DateTimeOffset now,
        out string? reason)
    {
        reason = null;
        var id = GetString(message, "id");
        var from = GetString(message, "from");
        var type = GetString(message, "type");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(from) || string.IsNullOrEmpty(type))
        {
            reason = "message without id, from or type";
            return null;
        }

        if (!ContactNormalizer.TryNormalizePhone(from, out var guestId))
        {
            reason = $"message {Sanitize(id)}: sender is not a phone number";
            return null;
        }

        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WhatsAppContextKeys.MessageType] = type,
        };
        if (phoneNumberId is not null)
        {
            context[WhatsAppContextKeys.PhoneNumberId] = phoneNumberId;
        }

        if (Prop(message, "context", out var quoted) && GetString(quoted, "id") is { } quotedId)
        {
            context[WhatsAppContextKeys.ContextMessageId] = quotedId;
        }

        string text;
        var kind = InboundKind.Text;
        string? replyId = null;
        string? mediaId = null;
        JsonElement content;

        switch (type)
        {
            case "text":
                text = Child(message, "text", out content) ? GetString(content, "body") ?? string.Empty : string.Empty;
                break;

            case "interactive":
                if (!Child(message, "interactive", out content))
                {
                    reason = $"message {Sanitize(id)}: interactive without content";
                    return null;
                }

                var interactiveType = GetString(content, "type");
                if (interactiveType is "button_reply" or "list_reply" && Child(content, interactiveType, out var picked))
                {
                    kind = InboundKind.Interactive;
                    replyId = GetString(picked, "id");
                    text = GetString(picked, "title") ?? string.Empty;
                    if (GetString(picked, "description") is { } description)
                    {
                        context[WhatsAppContextKeys.ListReplyDescription] = description;
                    }
                }
                else
                {
                    reason = $"message {Sanitize(id)}: interactive type '{Sanitize(interactiveType)}' not supported";
                    return null;
                }

                break;

            case "button":
                // Quick-reply button of a template message.
                Child(message, "button", out content);
                kind = InboundKind.Interactive;
                replyId = GetString(content, "payload");
                text = GetString(content, "text") ?? string.Empty;
                if (replyId is not null)
                {
                    context[WhatsAppContextKeys.ButtonPayload] = replyId;
                }

                break;

            case "audio":
                Child(message, "audio", out content);
                kind = InboundKind.Audio;
                mediaId = ReadMedia(content, context);
                text = string.Empty;
                if (content.ValueKind == JsonValueKind.Object && Prop(content, "voice", out var voice)
                    && voice.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    context[WhatsAppContextKeys.Voice] = voice.GetBoolean() ? "true" : "false";
                }

                break;

            case "image":
            case "document":
            case "sticker":
            case "video":
                Child(message, type, out content);
                kind = type switch
                {
                    "image" => InboundKind.Image,
                    "document" => InboundKind.Document,
                    "sticker" => InboundKind.Sticker,
                    // No video kind downstream: delivered as Unsupported so the receptionist can say it cannot watch it.
                    _ => InboundKind.Unsupported,
                };
                mediaId = ReadMedia(content, context);
                text = GetString(content, "caption") ?? string.Empty;
                if (GetString(content, "filename") is { } fileName)
                {
                    context[WhatsAppContextKeys.FileName] = fileName;
                }

                break;

            case "location":
                Child(message, "location", out content);
                kind = InboundKind.Location;
                text = string.Empty;
                AddNumber(content, "latitude", WhatsAppContextKeys.Latitude, context);
                AddNumber(content, "longitude", WhatsAppContextKeys.Longitude, context);
                AddString(content, "name", WhatsAppContextKeys.LocationName, context);
                AddString(content, "address", WhatsAppContextKeys.LocationAddress, context);
                AddString(content, "url", WhatsAppContextKeys.LocationUrl, context);
                break;

            case "contacts":
                kind = InboundKind.Contacts;
                text = string.Empty;
                if (Prop(message, "contacts", out var shared) && shared.ValueKind == JsonValueKind.Array
                    && shared.GetArrayLength() > 0)
                {
                    var first = shared[0];
                    if (Prop(first, "name", out var sharedName) && GetString(sharedName, "formatted_name") is { } formatted)
                    {
                        context[WhatsAppContextKeys.SharedContactName] = formatted;
                    }

                    if (Prop(first, "phones", out var phones) && phones.ValueKind == JsonValueKind.Array
                        && phones.GetArrayLength() > 0)
                    {
                        var phone = GetString(phones[0], "wa_id") ?? GetString(phones[0], "phone");
                        if (phone is not null)
                        {
                            context[WhatsAppContextKeys.SharedContactPhone] =
                                ContactNormalizer.TryNormalizePhone(phone, out var e164) ? e164 : phone;
                        }
                    }
                }

                break;

            case "reaction":
                Child(message, "reaction", out content);
                kind = InboundKind.Reaction;
                text = GetString(content, "emoji") ?? string.Empty; // empty = reaction removed
                AddString(content, "message_id", WhatsAppContextKeys.ReactionMessageId, context);
                break;

            default:
                // "unsupported"/"unknown" (Meta's own marker), "system", "order", "ephemeral", future types…
                reason = $"message {Sanitize(id)}: type '{Sanitize(type)}' not supported";
                return null;
        }

        return new InboundMessage(
            Channel.WhatsApp,
            guestId,
            names.TryGetValue(from, out var name) ? name : null,
            text,
            id,
            ParseTimestamp(message, now))
        {
            Kind = kind,
            ReplyId = replyId,
            MediaId = mediaId,
            ChannelContext = context,
        };
    }

    private static WhatsAppStatusUpdate? ParseStatus(JsonElement status, DateTimeOffset now)
    {
        var id = GetString(status, "id");
        var state = GetString(status, "status");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(state))
        {
            return null;
        }

        var recipient = GetString(status, "recipient_id") ?? string.Empty;
        if (ContactNormalizer.TryNormalizePhone(recipient, out var e164))
        {
            recipient = e164;
        }

        var errors = new List<WhatsAppStatusError>();
        if (Prop(status, "errors", out var errorArray) && errorArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errorArray.EnumerateArray())
            {
                string? details = null;
                if (Prop(error, "error_data", out var data))
                {
                    details = GetString(data, "details");
                }

                errors.Add(new WhatsAppStatusError(
                    GetInt(error, "code") ?? 0,
                    GetString(error, "title"),
                    GetString(error, "message"),
                    details));
            }
        }

        var callbackData = GetString(status, "biz_opaque_callback_data");
        return new WhatsAppStatusUpdate(
            id,
            state.ToLowerInvariant(),
            recipient,
            ParseTimestamp(status, now),
            errors,
            string.IsNullOrEmpty(callbackData) ? null : callbackData);
    }

    private static string? ReadMedia(JsonElement content, Dictionary<string, string> context)
    {
        if (content.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        AddString(content, "mime_type", WhatsAppContextKeys.MimeType, context);
        AddString(content, "sha256", WhatsAppContextKeys.Sha256, context);
        return GetString(content, "id");
    }

    private static DateTimeOffset ParseTimestamp(JsonElement element, DateTimeOffset now)
    {
        if (Prop(element, "timestamp", out var ts))
        {
            long seconds;
            if (ts.ValueKind == JsonValueKind.String
                && long.TryParse(ts.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds)
                && IsRepresentable(seconds))
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }

            if (ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out seconds) && IsRepresentable(seconds))
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
        }

        return now;
    }

    /// <summary>A timestamp outside DateTimeOffset's range is treated as absent: the message is kept, not crashed on.</summary>
    private static bool IsRepresentable(long unixSeconds) =>
        unixSeconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && unixSeconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary><see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> that is false (not a throw) on non-objects.</summary>
    private static bool Prop(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private static bool Child(JsonElement parent, string name, out JsonElement child)
    {
        if (parent.ValueKind == JsonValueKind.Object && Prop(parent, name, out child)
            && child.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        child = default;
        return false;
    }

    private static string? GetString(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !Prop(element, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static int? GetInt(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !Prop(element, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String
            && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)
            ? number
            : null;
    }

    private static void AddString(JsonElement element, string name, string key, Dictionary<string, string> context)
    {
        if (GetString(element, name) is { } value)
        {
            context[key] = value;
        }
    }

    private static void AddNumber(JsonElement element, string name, string key, Dictionary<string, string> context)
    {
        if (element.ValueKind == JsonValueKind.Object && Prop(element, name, out var value)
            && value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
        {
            context[key] = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString()!;
        }
    }

    /// <summary>Ids and type names only, shortened and stripped of control characters (they end up in logs).</summary>
    private static string Sanitize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "?";
        }

        var clean = new string(value.Where(c => !char.IsControl(c)).Take(80).ToArray());
        return clean.Length == 0 ? "?" : clean;
    }
}
