using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// Forged and tampered webhook deliveries through the real standalone host: none may be accepted, none may cause a
/// send to the Graph API.
/// </summary>
public sealed class WebhookAuthReliabilityTests : GraphHostTestBase
{
    [Fact]
    public async Task Hundreds_of_forged_or_tampered_deliveries_are_all_rejected_and_nothing_is_sent()
    {
        var random = new Random(20261121);
        var variants = new List<(string Name, byte[] Body, string? Signature)>();
        for (var i = 0; i < 60; i++)
        {
            var body = WhatsAppWebhookSamples.Text("hola, quiero reservar " + i, "54911555" + (70000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var bytes = Encoding.UTF8.GetBytes(body);
            var good = WhatsAppSignature.Compute(bytes, StandaloneHost.AppSecret);

            // Replayed signature, body with one flipped byte.
            var flipped = (byte[])bytes.Clone();
            var at = random.Next(flipped.Length);
            flipped[at] ^= (byte)(1 << random.Next(8));
            variants.Add(("flipped byte", flipped, good));

            // Replayed signature, body with appended / removed content.
            variants.Add(("appended", [.. bytes, (byte)' '], good));
            variants.Add(("truncated body", bytes[..^1], good));

            // Wrong secret.
            variants.Add(("wrong secret", bytes, WhatsAppSignature.Compute(bytes, StandaloneHost.AppSecret + "x")));
            variants.Add(("empty secret", bytes, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Array.Empty<byte>(), bytes))));

            // Truncated / malformed signatures.
            variants.Add(("truncated signature", bytes, good[..^(1 + random.Next(good.Length - 8))]));
            variants.Add(("no prefix", bytes, good["sha256=".Length..]));
            variants.Add(("sha1 prefix", bytes, "sha1=" + good["sha256=".Length..]));
            variants.Add(("flipped signature char", bytes, FlipHex(good, random)));
            variants.Add(("missing", bytes, null));
            variants.Add(("empty", bytes, string.Empty));

            // Signature of another (valid) body.
            var other = Encoding.UTF8.GetBytes(WhatsAppWebhookSamples.Text("otro " + i));
            variants.Add(("signature of another body", bytes, WhatsAppSignature.Compute(other, StandaloneHost.AppSecret)));
        }

        using var client = Host.CreateClient();
        var accepted = new List<string>();
        foreach (var (name, body, signature) in variants)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (signature is not null)
            {
                content.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
            }

            using var response = await client.PostAsync("/api/webhooks/whatsapp", content);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                accepted.Add($"{name}: {(int)response.StatusCode}");
            }
        }

        Assert.True(variants.Count >= 600, "Too few variants: " + variants.Count);
        Assert.Empty(accepted);

        // One of those guests then writes for real: the host answers that message (and marks it read) and nothing else.
        var guest = new GuestSimulator(Host, Graph, "5491155570000");
        Assert.NotEmpty(await guest.SayAsync("hola, quiero reservar", "wamid.real-after-forgeries"));
        Assert.Equal(1, await guest.HandledAsync());
        Assert.All(Graph.SentMessages, m => Assert.StartsWith("wamid.real-after-forgeries:", m.CallbackData, StringComparison.Ordinal));
        var receipt = Assert.Single(await Graph.WaitForReadReceiptsAsync());
        Assert.Equal("wamid.real-after-forgeries", receipt.Body.GetProperty("message_id").GetString());
    }

    private static string FlipHex(string signature, Random random)
    {
        var chars = signature.ToCharArray();
        var at = "sha256=".Length + random.Next(chars.Length - "sha256=".Length);
        chars[at] = chars[at] == '0' ? '1' : '0';
        return new string(chars);
    }
}
