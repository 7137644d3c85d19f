using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace HotelAgent.Tests.Fakes.Hosting;

/// <summary>
/// The staff-key routes as a test (or a host in another process) sees them: a staff client, and the handled-message
/// count of a conversation from <c>GET /api/staff/conversations</c> — set after a turn's last reply was sent, so it is
/// the positive signal that a turn is over, however slow the machine.
/// </summary>
public static class StaffApi
{
    /// <summary>A client of the host's staff-key routes (the email poll, the conversations list).</summary>
    public static HttpClient Client(Uri baseAddress, string staffKey)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", staffKey);
        return client;
    }

    /// <summary>Whether conversation <paramref name="conversationId"/> handled <paramref name="messages"/> messages within the timeout (default 60 s).</summary>
    public static async Task<bool> HandledWithinAsync(HttpClient staff, string conversationId, int messages, TimeSpan? timeout = null) =>
        await Eventually.TrueAsync(async () => (await RowAsync(staff, conversationId))?.GetProperty("messages").GetInt32() >= messages, timeout);

    /// <summary>Waits until conversation <paramref name="conversationId"/> has handled <paramref name="messages"/> messages; fails with its last row.</summary>
    public static async Task WaitForHandledAsync(HttpClient staff, string conversationId, int messages, TimeSpan? timeout = null)
    {
        if (!await HandledWithinAsync(staff, conversationId, messages, timeout ?? TimeSpan.FromSeconds(90)))
        {
            var last = await RowAsync(staff, conversationId);
            throw new TimeoutException($"The conversation {conversationId} did not handle message {messages} in time: {last?.ToString() ?? "not listed"}");
        }
    }

    /// <summary>The conversation's row of the staff list; null when it is not listed yet or the host is (re)starting.</summary>
    private static async Task<JsonElement?> RowAsync(HttpClient staff, string conversationId)
    {
        try
        {
            var rows = await staff.GetFromJsonAsync<JsonElement[]>("api/staff/conversations") ?? [];
            return rows.Where(r => r.GetProperty("id").GetString() == conversationId).Select(r => (JsonElement?)r).FirstOrDefault();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null; // a host still starting (or restarting after a kill): ask again
        }
    }
}
