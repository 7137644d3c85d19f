using System.Reflection;
using System.Text.RegularExpressions;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Functions.WebChat;

/// <summary>
/// Standalone-only web chat: the page at <c>/</c> and its small API. Messages enter through the same
/// <see cref="IInboundMessageSink"/> as WhatsApp and email, so what a newcomer tries is what guests get.
/// </summary>
public static partial class WebChatEndpoints
{
    public sealed record PostedMessage(string? Text, string? Name, string? Id);

    public static void MapWebChat(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));

        endpoints.MapPost("/api/webchat/{sessionId}/messages", async (string sessionId, PostedMessage? body, IInboundMessageSink sink, TimeProvider time, CancellationToken ct) =>
        {
            if (!SessionIdPattern().IsMatch(sessionId))
            {
                return Results.Problem(title: "Invalid session id", detail: "Use 8-64 letters, digits or dashes.", statusCode: 400);
            }

            var text = body?.Text?.Trim();
            if (string.IsNullOrEmpty(text) || text.Length > 4096)
            {
                return Results.Problem(title: "Invalid message", detail: "Send {\"text\": \"...\"} with 1-4096 characters.", statusCode: 400);
            }

            var id = string.IsNullOrWhiteSpace(body!.Id) ? Guid.NewGuid().ToString("N") : body.Id.Trim();
            var message = new InboundMessage(Channel.WebChat, sessionId, string.IsNullOrWhiteSpace(body.Name) ? null : body.Name.Trim(), text, "webchat." + id, time.GetUtcNow());
            await sink.AcceptAsync(message, ct);
            return Results.Accepted(value: new { id });
        });

        endpoints.MapGet("/api/webchat/{sessionId}/messages", async (string sessionId, long? after, int? waitSeconds, WebChatHub hub, CancellationToken ct) =>
        {
            if (!SessionIdPattern().IsMatch(sessionId))
            {
                return Results.Problem(title: "Invalid session id", statusCode: 400);
            }

            var wait = TimeSpan.FromSeconds(Math.Clamp(waitSeconds ?? 0, 0, 30));
            var replies = await hub.ReadAsync(sessionId, after ?? 0, wait, ct);
            return Results.Ok(replies);
        });
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("HotelAgent.Functions.WebChat.index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    [GeneratedRegex("^[A-Za-z0-9-]{8,64}$")]
    private static partial Regex SessionIdPattern();
}
