using System.Net;
using System.Reflection;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Hotel;
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
        ArgumentNullException.ThrowIfNull(endpoints);
        var page = new Lazy<string>(() => RenderPage(endpoints.ServiceProvider.GetRequiredService<HotelProfile>()));
        var icon = new Lazy<string>(() => RenderIcon(endpoints.ServiceProvider.GetRequiredService<HotelProfile>()));
        // Plain RequestDelegates (no parameter binding): a Delegate handler is compiled by RequestDelegateFactory (expression
        // trees, JIT) when routing first builds its endpoints, i.e. inside the first request of any route (issue 19).
        endpoints.MapGet("/", http =>
        {
            http.Response.Headers.ContentSecurityPolicy = PagePolicy.Value;
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Content(page.Value, "text/html; charset=utf-8").ExecuteAsync(http);
        });

        // The page links /favicon.svg; /favicon.ico is what browsers and crawlers ask for without a link.
        foreach (var path in new[] { "/favicon.svg", "/favicon.ico" })
        {
            endpoints.MapGet(path, http =>
            {
                http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
                http.Response.Headers.CacheControl = "public, max-age=86400";
                return Results.Content(icon.Value, "image/svg+xml; charset=utf-8").ExecuteAsync(http);
            });
        }

        endpoints.MapPost("/api/webchat/{sessionId}/messages", async http => await (await PostMessageAsync(http)).ExecuteAsync(http));
        endpoints.MapGet("/api/webchat/{sessionId}/messages", async http => await (await ReadMessagesAsync(http)).ExecuteAsync(http));
    }

    private static async Task<IResult> PostMessageAsync(HttpContext http)
    {
        var sessionId = SessionId(http);
        var guard = http.RequestServices.GetRequiredService<WebChatGuard>();
        var hub = http.RequestServices.GetRequiredService<WebChatHub>();
        var sink = http.RequestServices.GetRequiredService<IInboundMessageSink>();
        var time = http.RequestServices.GetRequiredService<TimeProvider>();

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
        var guestId = WebChatSessions.GuestId(sessionId);
        var message = new InboundMessage(Channel.WebChat, guestId, post.Name, post.Text, "webchat." + id, time.GetUtcNow())
        {
            Kind = post.ReplyId is null ? InboundKind.Text : InboundKind.Interactive,
            ReplyId = post.ReplyId,
        };

        // Into the session's transcript before the pipeline runs, so it always precedes its replies (same id twice: kept once).
        hub.AddGuestMessage(guestId, id, post.Text);
        await sink.AcceptAsync(message, http.RequestAborted);
        return Results.Accepted(value: new { id });
    }

    private static async Task<IResult> ReadMessagesAsync(HttpContext http)
    {
        var sessionId = SessionId(http);
        var guard = http.RequestServices.GetRequiredService<WebChatGuard>();
        var hub = http.RequestServices.GetRequiredService<WebChatHub>();

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

        // include=guest: the session's whole transcript (the page after a reload); by default only what the hotel sent.
        var includeGuest = string.Equals(http.Request.Query["include"].FirstOrDefault(), "guest", StringComparison.Ordinal);
        var replies = await hub.ReadAsync(WebChatSessions.GuestId(sessionId), after, TimeSpan.FromSeconds(Math.Min(waitSeconds, 30)), http.RequestAborted, includeGuest);
        return Results.Ok(replies);
    }

    private static string SessionId(HttpContext http) => http.GetRouteValue("sessionId") as string ?? string.Empty;

    /// <summary>The caller's address (rates per client). The web chat is served directly by Kestrel (no proxy headers trusted).</summary>
    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("HotelAgent.Functions.WebChat.index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The hotel's values go into the markup only, never into the script or style blocks, so their CSP hashes hold.</summary>
    private static readonly Lazy<string> PagePolicy = new(() => SecurityHeaders.ContentSecurityPolicyFor(Template.Value));

    /// <summary>The page with the hotel's name, initial and greetings (HTML-encoded).</summary>
    internal static string RenderPage(HotelProfile hotel)
    {
        ArgumentNullException.ThrowIfNull(hotel);
        var language = hotel.Culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "es";
        return Template.Value
            .Replace("{{lang}}", language, StringComparison.Ordinal)
            .Replace("{{hotelName}}", WebUtility.HtmlEncode(hotel.Name), StringComparison.Ordinal)
            .Replace("{{initial}}", WebUtility.HtmlEncode(Initial(hotel.Name)), StringComparison.Ordinal)
            .Replace("{{greetingEs}}", WebUtility.HtmlEncode(WebChatProfile.GreetingFor(hotel, "es")), StringComparison.Ordinal)
            .Replace("{{greetingEn}}", WebUtility.HtmlEncode(WebChatProfile.GreetingFor(hotel, "en")), StringComparison.Ordinal);
    }

    /// <summary>A rounded square in the page's colour with the hotel's initial.</summary>
    private static string RenderIcon(HotelProfile hotel) =>
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"14\" fill=\"#075e54\"/>"
        + "<text x=\"32\" y=\"44\" font-family=\"system-ui,sans-serif\" font-size=\"34\" font-weight=\"700\" text-anchor=\"middle\" fill=\"#fff\">"
        + WebUtility.HtmlEncode(Initial(hotel.Name)) + "</text></svg>";

    /// <summary>The first letter of the hotel's name after a leading "Hotel" ("Hotel Palermo Soho" → "P").</summary>
    private static string Initial(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var word = words.Length > 1 && string.Equals(words[0], "Hotel", StringComparison.OrdinalIgnoreCase) ? words[1] : words.FirstOrDefault() ?? "H";
        return System.Globalization.StringInfo.GetNextTextElement(word).ToUpperInvariant();
    }
}
