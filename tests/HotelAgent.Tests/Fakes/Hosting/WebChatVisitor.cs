using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>An anonymous visitor of the standalone web chat: posts messages to a session and long-polls its replies.</summary>
public sealed class WebChatVisitor(HttpClient http, string sessionId)
{
    private long _after;

    public string SessionId => sessionId;

    /// <summary>Every reply text this visitor has received.</summary>
    public List<string> Heard { get; } = [];

    /// <summary>Posts <paramref name="text"/> and returns the replies that arrive (waits for the first, then drains).</summary>
    /// <param name="text">What the guest types (or the title of the button pressed).</param>
    /// <param name="replyId">The id of the option button pressed, when the guest pressed one.</param>
    public async Task<IReadOnlyList<string>> SayAsync(string text, string? replyId = null)
    {
        using var posted = await http.PostAsJsonAsync($"/api/webchat/{sessionId}/messages", new { text, replyId });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var replies = new List<string>();
        var waitSeconds = 20;
        while (true)
        {
            var batch = await http.GetFromJsonAsync<JsonElement[]>($"/api/webchat/{sessionId}/messages?after={_after}&waitSeconds={waitSeconds}") ?? [];
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var reply in batch)
            {
                _after = Math.Max(_after, reply.GetProperty("sequence").GetInt64());
                replies.Add(reply.GetProperty("text").GetString() + string.Join(' ', reply.GetProperty("options").EnumerateArray().Select(o => o.GetRawText())));
            }

            waitSeconds = 1;
        }

        Assert.True(replies.Count > 0, $"The web chat session {sessionId} got no reply to: {text}");
        Heard.AddRange(replies);
        return replies;
    }
}
