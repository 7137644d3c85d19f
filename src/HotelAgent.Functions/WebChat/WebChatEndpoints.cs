using System.Reflection;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Security;
using HotelAgent.Functions.Security;

namespace HotelAgent.Functions.WebChat;

/// <summary>
/// Standalone-only web chat: the page at <c>/</c> and its small API. Messages enter through the same
/// <see cref="IInboundMessageSink"/> as WhatsApp and email, so what a newcomer tries is what guests get. A session is
/// anonymous (guest id <c>webchat:{session}</c>): it owns only what it created. Every request passes the
/// <see cref="WebChatGuard"/> first (rates per session and client address, session cap, field limits).
/// </summary>
public static class WebChatEndpoints
{
    public static void MapWebChat(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext http) =>
        {
            http.Response.Headers.ContentSecurityPolicy = PagePolicy.Value;
            return Results.Content(Page.Value, "text/html; charset=utf-8");
        });

        endpoints.MapPost("/api/webchat/{sessionId}/messages", async (string sessionId, HttpContext http, WebChatGuard guard, IInboundMessageSink sink, TimeProvider time) =>
        {
            if (!WebChatSessions.IsValidSessionId(sessionId))
            {
                return ProblemResponses.Result(400, "Invalid session id", "Use 8-64 letters, digits or dashes.");
            }

            var body = await BoundedBodyReader.ReadAsync(http.Request.Body, http.Request.ContentLength, guard.Options.MaxBodyBytes, null, http.RequestAborted);
            if (body.Status == BodyReadStatus.TooLarge)
            {
                return ProblemResponses.Result(413, "Message too large", $"A message body has at most {guard.Options.MaxBodyBytes} bytes.");
            }

            if (guard.Validate(body.Bytes, out var post) is { } rejected)
            {
                return ProblemResponses.Result(rejected.TooLarge ? 413 : 400, rejected.Title, rejected.Detail);
            }

            switch (guard.AdmitPost(ClientAddress(http), sessionId))
            {
                case WebChatAdmission.RateLimited:
                    http.Response.Headers.RetryAfter = "10";
                    return ProblemResponses.Result(429, "Too many messages", "Wait a moment before writing again.");
                case WebChatAdmission.Full:
                    http.Response.Headers.RetryAfter = "60";
                    return ProblemResponses.Result(503, "The chat is busy", "Try again in a minute.");
            }

            var id = post!.Id ?? Guid.NewGuid().ToString("N");
            var message = new InboundMessage(Channel.WebChat, WebChatSessions.GuestId(sessionId), post.Name, post.Text, "webchat." + id, time.GetUtcNow());
            await sink.AcceptAsync(message, http.RequestAborted);
            return Results.Accepted(value: new { id });
        });

        endpoints.MapGet("/api/webchat/{sessionId}/messages", async (string sessionId, HttpContext http, WebChatGuard guard, WebChatHub hub) =>
        {
            if (!WebChatSessions.IsValidSessionId(sessionId))
            {
                return ProblemResponses.Result(400, "Invalid session id", "Use 8-64 letters, digits or dashes.");
            }

            if (!long.TryParse(http.Request.Query["after"].FirstOrDefault() ?? "0", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var after)
                || !int.TryParse(http.Request.Query["waitSeconds"].FirstOrDefault() ?? "0", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var waitSeconds))
            {
                return ProblemResponses.Result(400, "Invalid query", "after and waitSeconds are non-negative whole numbers.");
            }

            if (guard.AdmitRead(ClientAddress(http)) != WebChatAdmission.Allowed)
            {
                http.Response.Headers.RetryAfter = "5";
                return ProblemResponses.Result(429, "Too many requests", "Poll less often.");
            }

            var replies = await hub.ReadAsync(WebChatSessions.GuestId(sessionId), after, TimeSpan.FromSeconds(Math.Min(waitSeconds, 30)), http.RequestAborted);
            return Results.Ok(replies);
        });
    }

    /// <summary>The caller's address (rates per client). The web chat is served directly by Kestrel (no proxy headers trusted).</summary>
    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("HotelAgent.Functions.WebChat.index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static readonly Lazy<string> PagePolicy = new(() => SecurityHeaders.ContentSecurityPolicyFor(Page.Value));
}
