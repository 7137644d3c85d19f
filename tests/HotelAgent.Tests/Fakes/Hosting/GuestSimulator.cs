using System.Net;
using System.Text;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// A WhatsApp guest talking to the standalone host through signed Cloud API webhooks, reading the receptionist's
/// answers from the fake Graph API. A turn is over when the guest's conversation says it handled the message (its
/// custom status counts the guest messages it handled, set after the turn's last reply was sent): the positive signal
/// that every reply of the turn has reached the Graph API, however slow the machine is.
/// </summary>
public sealed class GuestSimulator(StandaloneHost host, FakeGraphApi graph, string waId, string profileName = "Lucía Fernández")
{
    private readonly ConversationProbe _conversation = new(host, ConversationIds.For(Channel.WhatsApp, "+" + waId));

    public string WaId => waId;

    public string Phone => "+" + waId;

    /// <summary>The durable conversation of this guest.</summary>
    public string ConversationId => _conversation.ConversationId;

    /// <summary>Sends a text and returns what the guest received in answer (the turn's replies).</summary>
    /// <param name="expectReply">False when the turn may end without a reply (a handed-off conversation).</param>
    public async Task<IReadOnlyList<string>> SayAsync(string text, string? wamid = null, bool expectReply = true)
    {
        var turn = await SendAsync(text, wamid);
        var replies = await RepliesAsync(turn);
        if (expectReply)
        {
            Assert.True(replies.Count > 0, $"The guest got no reply to \"{text}\".");
        }

        return replies;
    }

    /// <summary>Posts a text the conversation will handle; <see cref="RepliesAsync"/> waits for its turn to end.</summary>
    public async Task<PendingGuestTurn> SendAsync(string text, string? wamid = null)
    {
        wamid ??= WhatsAppWebhookSamples.NewWamid();
        var turn = new PendingGuestTurn(await HandledAsync() + 1, Received().Count, wamid);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(WhatsAppWebhookSamples.Text(text, waId, wamid, profileName: profileName)));
        return turn;
    }

    /// <summary>
    /// The texts sent to the guest from the turn's start until the conversation handled its message, or until the
    /// rate-limit notice for it was sent (a rate-limited message never reaches the conversation).
    /// </summary>
    public async Task<IReadOnlyList<string>> RepliesAsync(PendingGuestTurn turn)
    {
        var noticeKey = turn.Wamid + ":rate-limit";
        var handled = 0;
        if (!await Eventually.TrueAsync(async () => (handled = await HandledAsync()) >= turn.Handled || Received().Any(m => m.CallbackData == noticeKey)))
        {
            Assert.Fail($"The conversation {ConversationId} handled {handled} of {turn.Handled} messages. Sent to the guest:\n"
                + string.Join("\n---\n", Received().Select(TextOf)));
        }

        return Received().Skip(turn.SentBefore).Select(TextOf).ToArray();
    }

    /// <summary>
    /// Meta redelivering a message it already delivered (same wamid): acknowledged with 200, dropped by the exactly-once
    /// gate before the conversation (so no turn follows; the test proves the absence with a later turn).
    /// </summary>
    public async Task RedeliverAsync(string text, string wamid) =>
        Assert.Equal(HttpStatusCode.OK, await PostAsync(WhatsAppWebhookSamples.Text(text, waId, wamid, profileName: profileName)));

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

    /// <summary>The conversation's custom status (null before its first turn).</summary>
    public Task<ConversationStatus?> StatusAsync() => _conversation.StatusAsync();

    /// <summary>Guest messages the conversation has handled (replies sent), over all its generations.</summary>
    public Task<int> HandledAsync() => _conversation.HandledAsync();

    /// <summary>Waits until the conversation has handled <paramref name="messages"/> guest messages.</summary>
    public Task WaitForHandledAsync(int messages, TimeSpan? timeout = null) =>
        _conversation.WaitForHandledAsync(messages, () => string.Join("\n---\n", Received().Select(TextOf)), timeout);

    /// <summary>Waits until the conversation's status satisfies <paramref name="condition"/> (e.g. released by staff).</summary>
    public Task<ConversationStatus> WaitForStatusAsync(Func<ConversationStatus, bool> condition, string what) => _conversation.WaitForStatusAsync(condition, what);

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

/// <summary>A guest message on its way: the conversation's handled count that ends it, the guest's sends before it, its wamid.</summary>
public sealed record PendingGuestTurn(int Handled, int SentBefore, string Wamid);
