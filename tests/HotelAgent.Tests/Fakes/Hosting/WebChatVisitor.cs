using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// An anonymous visitor of the standalone web chat: posts messages to a session and reads its replies once the
/// session's conversation has handled the message (the same positive signal as <see cref="GuestSimulator"/>).
/// </summary>
public sealed class WebChatVisitor(StandaloneHost host, string sessionId)
{
    private readonly ConversationProbe _conversation = new(host, ConversationIds.For(Channel.WebChat, WebChatSessions.GuestId(sessionId)));
    private long _after;

    public string SessionId => sessionId;

    /// <summary>Every reply text this visitor has received.</summary>
    public List<string> Heard { get; } = [];

    /// <summary>Posts <paramref name="text"/> and returns the replies to it.</summary>
    /// <param name="text">What the guest types (or the title of the button pressed).</param>
    /// <param name="replyId">The id of the option button pressed, when the guest pressed one.</param>
    public async Task<IReadOnlyList<string>> SayAsync(string text, string? replyId = null)
    {
        using var http = host.CreateClient();
        var handled = await _conversation.HandledAsync();
        using var posted = await http.PostAsJsonAsync($"/api/webchat/{sessionId}/messages", new { text, replyId });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await _conversation.WaitForHandledAsync(handled + 1, () => string.Join("\n---\n", Heard));

        var replies = await ReadNewAsync(http, waitSeconds: 0);
        Assert.True(replies.Count > 0, $"The web chat session {sessionId} got no reply to: {text}");
        return replies;
    }

    /// <summary>
    /// Long-polls the session until a message containing <paramref name="expected"/> arrives (e.g. a staff answer, sent
    /// outside any guest turn): the positive signal that it reached the guest's channel.
    /// </summary>
    public async Task WaitToHearAsync(string expected, TimeSpan? timeout = null)
    {
        using var http = host.CreateClient();
        var deadline = DateTime.UtcNow + (timeout ?? Eventually.DefaultTimeout);
        while (!Heard.Any(h => h.Contains(expected, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"The web chat session {sessionId} never received \"{expected}\". Heard:\n{string.Join("\n---\n", Heard)}");
            }

            await ReadNewAsync(http, waitSeconds: 5);
        }
    }

    private async Task<List<string>> ReadNewAsync(HttpClient http, int waitSeconds)
    {
        var replies = new List<string>();
        foreach (var reply in await http.GetFromJsonAsync<JsonElement[]>($"/api/webchat/{sessionId}/messages?after={_after}&waitSeconds={waitSeconds}") ?? [])
        {
            _after = Math.Max(_after, reply.GetProperty("sequence").GetInt64());
            replies.Add(reply.GetProperty("text").GetString() + string.Join(' ', reply.GetProperty("options").EnumerateArray().Select(o => o.GetRawText())));
        }

        Heard.AddRange(replies);
        return replies;
    }
}
