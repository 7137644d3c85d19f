using System.Net;
using System.Text;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// A WhatsApp guest talking to the standalone host through signed Cloud API webhooks, reading the receptionist's
/// answers from the fake Graph API.
/// </summary>
public sealed class GuestSimulator(StandaloneHost host, FakeGraphApi graph, string waId, string profileName = "Lucía Fernández")
{
    public string WaId => waId;

    public string Phone => "+" + waId;

    /// <summary>Sends a text and returns the texts the guest receives until replies stop arriving.</summary>
    public async Task<IReadOnlyList<string>> SayAsync(string text, string? wamid = null, bool expectReply = true)
    {
        var before = Received().Count;
        var response = await PostAsync(WhatsAppWebhookSamples.Text(text, waId, wamid, profileName: profileName));
        Assert.Equal(HttpStatusCode.OK, response);
        return await CollectAsync(before, expectReply);
    }

    public async Task<HttpStatusCode> PostAsync(string body)
    {
        using var client = host.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.Add("X-Hub-Signature-256", WhatsAppWebhookSamples.Sign(body, StandaloneHost.AppSecret));
        using var response = await client.PostAsync("/api/webhooks/whatsapp", content);
        return response.StatusCode;
    }

    /// <summary>Everything sent to this guest so far (text bodies, interactive bodies, template names).</summary>
    public IReadOnlyList<FakeSentMessage> Received() => graph.SentMessages.Where(m => m.To == waId).ToArray();

    public async Task<IReadOnlyList<string>> CollectAsync(int before, bool expectReply, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        var quietSince = DateTime.UtcNow;
        var count = before;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            var now = Received().Count;
            if (now != count)
            {
                count = now;
                quietSince = DateTime.UtcNow;
            }
            else if ((count > before || !expectReply) && DateTime.UtcNow - quietSince > TimeSpan.FromMilliseconds(expectReply ? 400 : 1500))
            {
                break;
            }
        }

        var texts = Received().Skip(before).Select(TextOf).ToArray();
        if (expectReply)
        {
            Assert.True(texts.Length > 0, "The guest got no reply.");
        }

        return texts;
    }

    /// <summary>The visible text of a sent message (plain text or an interactive body).</summary>
    public static string TextOf(FakeSentMessage message)
    {
        if (message.Text is { } text)
        {
            return text;
        }

        if (message.Type == "interactive" && message.Body.TryGetProperty("interactive", out var interactive)
            && interactive.TryGetProperty("body", out var body) && body.TryGetProperty("text", out var bodyText))
        {
            return bodyText.GetString() ?? string.Empty;
        }

        return message.TemplateName is { } template ? "[template " + template + "]" : "[" + message.Type + "]";
    }
}
