using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HotelAgent.Core.Channels.WhatsApp;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>
/// Builds signed WhatsApp webhook deliveries in the real Cloud API shape, for end-to-end tests. Timestamps default
/// to "now" so the customer-service window is open and replies go out as free text (an old timestamp correctly
/// closes the window and makes the client send the re-engagement template instead).
/// </summary>
public static class WhatsAppWebhookSamples
{
    public const string DefaultPhoneNumberId = "106540352242922";

    /// <summary>A text message from <paramref name="waId"/> (digits, no +).</summary>
    public static string Text(
        string text,
        string waId = "5491155551234",
        string? wamid = null,
        DateTimeOffset? sentAt = null,
        string profileName = "Lucía Gómez",
        string phoneNumberId = DefaultPhoneNumberId) =>
        Envelope(
            new JsonObject
            {
                ["from"] = waId,
                ["id"] = wamid ?? NewWamid(),
                ["timestamp"] = (sentAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["type"] = "text",
                ["text"] = new JsonObject { ["body"] = text },
            },
            waId,
            profileName,
            phoneNumberId);

    /// <summary>A voice note (audio with <c>voice: true</c>) referencing <paramref name="mediaId"/> (see <see cref="FakeGraphApi.AddMedia"/>).</summary>
    public static string VoiceNote(
        string mediaId,
        string waId = "5491155551234",
        string? wamid = null,
        DateTimeOffset? sentAt = null,
        string profileName = "Lucía Gómez",
        string phoneNumberId = DefaultPhoneNumberId) =>
        Envelope(
            new JsonObject
            {
                ["from"] = waId,
                ["id"] = wamid ?? NewWamid(),
                ["timestamp"] = (sentAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["type"] = "audio",
                ["audio"] = new JsonObject
                {
                    ["mime_type"] = "audio/ogg; codecs=opus",
                    ["sha256"] = "0000",
                    ["id"] = mediaId,
                    ["voice"] = true,
                },
            },
            waId,
            profileName,
            phoneNumberId);

    /// <summary>
    /// A status notification (<c>statuses[]</c>) for one of our sent messages, as Meta posts it: <c>sent</c> carries
    /// <c>conversation</c> and <c>pricing</c>, <c>failed</c> carries <c>errors</c>, and every status echoes the send's
    /// <c>biz_opaque_callback_data</c> when it had one.
    /// </summary>
    public static string Status(
        string wamid,
        string status = "sent",
        string recipientId = "5491155551234",
        string? callbackData = null,
        DateTimeOffset? at = null,
        string phoneNumberId = DefaultPhoneNumberId)
    {
        var entry = new JsonObject
        {
            ["id"] = wamid,
            ["status"] = status,
            ["timestamp"] = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["recipient_id"] = recipientId,
        };
        if (callbackData is not null)
        {
            entry["biz_opaque_callback_data"] = callbackData;
        }

        if (status == "sent")
        {
            entry["conversation"] = new JsonObject
            {
                ["id"] = "CONVERSATION_" + recipientId,
                ["origin"] = new JsonObject { ["type"] = "service" },
                ["expiration_timestamp"] = (at ?? DateTimeOffset.UtcNow).AddDays(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            };
            entry["pricing"] = new JsonObject { ["billable"] = true, ["pricing_model"] = "PMP", ["category"] = "service" };
        }
        else if (status == "failed")
        {
            entry["errors"] = new JsonArray
            {
                new JsonObject
                {
                    ["code"] = 131026,
                    ["title"] = "Message undeliverable",
                    ["message"] = "Message undeliverable",
                    ["error_data"] = new JsonObject { ["details"] = "Message Undeliverable." },
                },
            };
        }

        return Envelope(
            new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["metadata"] = new JsonObject
                {
                    ["display_phone_number"] = "5491140001234",
                    ["phone_number_id"] = phoneNumberId,
                },
                ["statuses"] = new JsonArray { entry },
            });
    }

    /// <summary>The <c>X-Hub-Signature-256</c> header value for <paramref name="body"/>.</summary>
    public static string Sign(string body, string appSecret = "test-app-secret") =>
        WhatsAppSignature.Compute(Encoding.UTF8.GetBytes(body), appSecret);

    public static string NewWamid() => "wamid.HBgN" + Guid.NewGuid().ToString("N").ToUpperInvariant();

    private static string Envelope(JsonObject message, string waId, string profileName, string phoneNumberId) =>
        Envelope(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject
            {
                ["display_phone_number"] = "5491140001234",
                ["phone_number_id"] = phoneNumberId,
            },
            ["contacts"] = new JsonArray
            {
                new JsonObject { ["profile"] = new JsonObject { ["name"] = profileName }, ["wa_id"] = waId },
            },
            ["messages"] = new JsonArray { message },
        });

    private static string Envelope(JsonObject value) =>
        new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray
            {
                new JsonObject
                {
                    ["id"] = "102290129340398",
                    ["changes"] = new JsonArray
                    {
                        new JsonObject
                        {
                            ["value"] = value,
                            ["field"] = "messages",
                        },
                    },
                },
            },
        }.ToJsonString();
}
