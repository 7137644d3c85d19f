using System.Globalization;
using System.Text.Json.Nodes;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// Builds Cloud API <c>/messages</c> payloads. Limits (Meta's): text body 4096; interactive body 1024; buttons ≤ 3
/// with titles ≤ 20 and ids ≤ 256; lists ≤ 10 rows with titles ≤ 24, descriptions ≤ 72, ids ≤ 200, button label ≤ 20.
/// Texts are cut on grapheme boundaries (never inside an emoji or accent) and end with "…" when cut.
/// </summary>
public static class WhatsAppMessageRenderer
{
    public const int MaxTextBody = 4096;
    public const int MaxInteractiveBody = 1024;
    public const int MaxButtons = 3;
    public const int MaxButtonTitle = 20;
    public const int MaxButtonId = 256;
    public const int MaxListRows = 10;
    public const int MaxRowTitle = 24;
    public const int MaxRowDescription = 72;
    public const int MaxRowId = 200;
    public const int MaxListButton = 20;
    public const int MaxHeader = 60;

    /// <summary>Meta's limit for <c>biz_opaque_callback_data</c> (echoed in the message's status webhooks).</summary>
    public const int MaxCallbackData = 512;

    /// <summary>Default label of the list button (Spanish, the hotel's first language).</summary>
    public const string DefaultListButton = "Ver opciones";

    /// <summary>Digits only, as the <c>to</c> field expects (<c>+54 9 11…</c> → <c>54911…</c>).</summary>
    public static string ToRecipient(string guestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        if (!ContactNormalizer.TryNormalizePhone(guestId, out var e164))
        {
            throw new ArgumentException("The guest id is not a phone number.", nameof(guestId));
        }

        return e164[1..];
    }

    /// <summary>Text, buttons (1–3 options) or a list (4+ options, first 10 kept) for a reply.</summary>
    public static JsonObject Render(string guestId, Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Options.Count switch
        {
            0 => Text(guestId, reply.Text),
            <= MaxButtons => Buttons(guestId, reply),
            _ => List(guestId, reply),
        };
    }

    public static JsonObject Text(string guestId, string text) =>
        Envelope(guestId, "text", new JsonObject
        {
            ["preview_url"] = false,
            ["body"] = Truncate(string.IsNullOrEmpty(text) ? "…" : text, MaxTextBody),
        });

    public static JsonObject Buttons(string guestId, Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var buttons = new JsonArray();
        var titles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (option, index) in reply.Options.Take(MaxButtons).Select((o, i) => (o, i)))
        {
            buttons.Add(new JsonObject
            {
                ["type"] = "reply",
                ["reply"] = new JsonObject
                {
                    ["id"] = Truncate(option.Id, MaxButtonId, ellipsis: false),
                    ["title"] = Unique(Truncate(option.Title, MaxButtonTitle), index, MaxButtonTitle, titles),
                },
            });
        }

        var interactive = new JsonObject
        {
            ["type"] = "button",
            ["body"] = new JsonObject { ["text"] = Body(reply) },
            ["action"] = new JsonObject { ["buttons"] = buttons },
        };
        return Envelope(guestId, "interactive", interactive);
    }

    public static JsonObject List(string guestId, Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var rows = new JsonArray();
        var titles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (option, index) in reply.Options.Take(MaxListRows).Select((o, i) => (o, i)))
        {
            var row = new JsonObject
            {
                ["id"] = Truncate(option.Id, MaxRowId, ellipsis: false),
                ["title"] = Unique(Truncate(option.Title, MaxRowTitle), index, MaxRowTitle, titles),
            };
            if (!string.IsNullOrWhiteSpace(option.Description))
            {
                row["description"] = Truncate(option.Description, MaxRowDescription);
            }

            rows.Add(row);
        }

        var label = string.IsNullOrWhiteSpace(reply.OptionsTitle) ? DefaultListButton : reply.OptionsTitle;
        var interactive = new JsonObject
        {
            ["type"] = "list",
            ["body"] = new JsonObject { ["text"] = Body(reply) },
            ["action"] = new JsonObject
            {
                ["button"] = Truncate(label, MaxListButton),
                ["sections"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["title"] = Truncate(label, MaxRowTitle),
                        ["rows"] = rows,
                    },
                },
            },
        };
        return Envelope(guestId, "interactive", interactive);
    }

    /// <summary>An approved template with optional positional body parameters ({{1}}, {{2}}, …).</summary>
    public static JsonObject Template(string guestId, string name, string languageCode, IReadOnlyList<string>? bodyParameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(languageCode);
        var template = new JsonObject
        {
            ["name"] = name,
            ["language"] = new JsonObject { ["code"] = languageCode },
        };
        if (bodyParameters is { Count: > 0 })
        {
            var parameters = new JsonArray();
            foreach (var value in bodyParameters)
            {
                parameters.Add(new JsonObject { ["type"] = "text", ["text"] = value });
            }

            template["components"] = new JsonArray
            {
                new JsonObject { ["type"] = "body", ["parameters"] = parameters },
            };
        }

        return Envelope(guestId, "template", template);
    }

    public static JsonObject Audio(string guestId, string mediaId) =>
        Envelope(guestId, "audio", new JsonObject { ["id"] = mediaId });

    /// <summary>
    /// Tags a send with <c>biz_opaque_callback_data</c> (our idempotency key), which Meta echoes in every status webhook
    /// of that message, so a send whose answer was lost (process killed) can still be confirmed. Cut to
    /// <see cref="MaxCallbackData"/> UTF-16 units, never inside a surrogate pair. Returns <paramref name="payload"/>.
    /// </summary>
    public static JsonObject WithCallbackData(JsonObject payload, string? callbackData)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!string.IsNullOrEmpty(callbackData))
        {
            payload["biz_opaque_callback_data"] = CallbackData(callbackData);
        }

        return payload;
    }

    /// <summary>The <c>biz_opaque_callback_data</c> value sent for <paramref name="idempotencyKey"/> (cut to the limit).</summary>
    public static string CallbackData(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        if (idempotencyKey.Length <= MaxCallbackData)
        {
            return idempotencyKey;
        }

        var cut = char.IsHighSurrogate(idempotencyKey[MaxCallbackData - 1]) ? MaxCallbackData - 1 : MaxCallbackData;
        return idempotencyKey[..cut];
    }

    public static JsonObject MarkAsRead(string messageId) => new()
    {
        ["messaging_product"] = "whatsapp",
        ["status"] = "read",
        ["message_id"] = messageId,
    };

    /// <summary>Cuts <paramref name="value"/> to at most <paramref name="max"/> UTF-16 units on a grapheme boundary.</summary>
    public static string Truncate(string? value, int max, bool ellipsis = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        var text = (value ?? string.Empty).Trim();
        if (text.Length <= max)
        {
            return text;
        }

        var budget = ellipsis ? max - 1 : max;
        var cut = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var end = enumerator.ElementIndex + ((string)enumerator.Current).Length;
            if (end > budget)
            {
                break;
            }

            cut = end;
        }

        var head = text[..cut].TrimEnd();
        return ellipsis ? head + "…" : head;
    }

    private static string Body(Reply reply)
    {
        var body = string.IsNullOrWhiteSpace(reply.Text) ? reply.OptionsTitle : reply.Text;
        return Truncate(string.IsNullOrWhiteSpace(body) ? "Elegí una opción:" : body, MaxInteractiveBody);
    }

    /// <summary>WhatsApp rejects duplicate titles; truncation can create them, so suffix the position.</summary>
    private static string Unique(string title, int index, int max, HashSet<string> seen)
    {
        if (title.Length == 0)
        {
            title = (index + 1).ToString(CultureInfo.InvariantCulture);
        }

        if (seen.Add(title))
        {
            return title;
        }

        var suffix = " " + (index + 1).ToString(CultureInfo.InvariantCulture);
        var unique = Truncate(title, max - suffix.Length) + suffix;
        seen.Add(unique);
        return unique;
    }

    private static JsonObject Envelope(string guestId, string type, JsonObject content) => new()
    {
        ["messaging_product"] = "whatsapp",
        ["recipient_type"] = "individual",
        ["to"] = ToRecipient(guestId),
        ["type"] = type,
        [type] = content,
    };
}
