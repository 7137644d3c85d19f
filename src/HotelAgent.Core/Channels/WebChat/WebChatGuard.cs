using System.Text.Unicode;
using System.Text.Json;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.WebChat;

/// <summary>What to answer a web-chat request.</summary>
public enum WebChatAdmission
{
    Allowed,

    /// <summary>Over a rate (session, client address, new sessions): 429.</summary>
    RateLimited,

    /// <summary>Every session slot holds a recently active session: 503.</summary>
    Full,
}

/// <summary>A posted web-chat message, validated. <see cref="ReplyId"/> is the id of the option button the guest pressed.</summary>
public sealed record WebChatPost(string Text, string? Name, string? Id)
{
    public string? ReplyId { get; init; }
}

/// <summary>Why a posted body was refused (400 with this detail, or 413 when <see cref="TooLarge"/>).</summary>
public sealed record WebChatRejection(bool TooLarge, string Title, string Detail);

/// <summary>
/// The web chat's abuse limits, hosting-agnostic (any host calls it before touching the inbound pipeline): token buckets
/// per session, per client address, for new sessions per address and overall (on <see cref="TimeProvider"/>, so tests drive
/// time), a cap on live sessions, and the field checks of a posted message.
/// </summary>
public sealed class WebChatGuard
{
    private readonly WebChatOptions _options;
    private readonly WebChatHub _hub;
    private readonly GuestRateLimiter _perSession;
    private readonly GuestRateLimiter _perClient;
    private readonly GuestRateLimiter _newPerClient;
    private readonly GuestRateLimiter _newOverall;
    private readonly GuestRateLimiter _reads;

    public WebChatGuard(IOptions<WebChatOptions> options, WebChatHub hub, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _hub = hub;
        _perSession = Limiter(_options.SessionBurst, _options.SessionPerMinute, time);
        _perClient = Limiter(_options.ClientBurst, _options.ClientPerMinute, time);
        _newPerClient = Limiter(_options.NewSessionsPerClientBurst, _options.NewSessionsPerClientPerMinute, time);
        _newOverall = Limiter(_options.NewSessionsBurst, _options.NewSessionsPerMinute, time);
        _reads = Limiter(_options.ReadBurst, _options.ReadsPerMinute, time);
    }

    public WebChatOptions Options => _options;

    /// <summary>May <paramref name="clientAddress"/> post to the session? Takes the tokens when it may.</summary>
    public WebChatAdmission AdmitPost(string clientAddress, string sessionId)
    {
        var guestId = WebChatSessions.GuestId(sessionId);
        if (!Allowed(_perClient, clientAddress))
        {
            return WebChatAdmission.RateLimited;
        }

        if (!_hub.HasSession(guestId))
        {
            if (!Allowed(_newPerClient, clientAddress) || !Allowed(_newOverall, "all"))
            {
                return WebChatAdmission.RateLimited;
            }

            if (!_hub.TryOpenSession(guestId))
            {
                return WebChatAdmission.Full;
            }
        }

        return Allowed(_perSession, guestId) ? WebChatAdmission.Allowed : WebChatAdmission.RateLimited;
    }

    /// <summary>May <paramref name="clientAddress"/> read (long-poll) the session? Reading never opens a session.</summary>
    public WebChatAdmission AdmitRead(string clientAddress) =>
        Allowed(_reads, clientAddress) ? WebChatAdmission.Allowed : WebChatAdmission.RateLimited;

    /// <summary>Parses and checks a posted body (<c>{"text", "name", "id", "replyId"}</c>); null rejection means valid.</summary>
    public WebChatRejection? Validate(ReadOnlySpan<byte> body, out WebChatPost? post)
    {
        post = null;
        if (!Utf8.IsValid(body))
        {
            return new WebChatRejection(false, "Invalid message", "The body is not valid UTF-8.");
        }

        string? text, name, id, replyId;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new WebChatRejection(false, "Invalid message", "Send a JSON object {\"text\": \"...\"}.");
            }

            text = String(root, "text");
            name = String(root, "name");
            id = String(root, "id");
            replyId = String(root, "replyId");
        }
        catch (JsonException)
        {
            return new WebChatRejection(false, "Invalid message", "The body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            return new WebChatRejection(false, "Invalid message", "text, name, id and replyId must be strings.");
        }

        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > _options.MaxTextChars)
        {
            return new WebChatRejection(false, "Invalid message", $"Send {{\"text\": \"...\"}} with 1-{_options.MaxTextChars} characters.");
        }

        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (name is not null && name.Length > _options.MaxNameChars)
        {
            return new WebChatRejection(false, "Invalid name", $"A name has at most {_options.MaxNameChars} characters.");
        }

        id = string.IsNullOrWhiteSpace(id) ? null : id.Trim();
        if (id is not null && (id.Length > _options.MaxMessageIdChars || id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            return new WebChatRejection(false, "Invalid id", $"A message id has at most {_options.MaxMessageIdChars} characters, without spaces.");
        }

        replyId = string.IsNullOrWhiteSpace(replyId) ? null : replyId.Trim();
        if (replyId is not null && (replyId.Length > _options.MaxMessageIdChars || replyId.Any(char.IsControl)))
        {
            return new WebChatRejection(false, "Invalid option", $"An option id has at most {_options.MaxMessageIdChars} characters.");
        }

        post = new WebChatPost(text, name, id) { ReplyId = replyId };
        return null;
    }

    private static string? String(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidOperationException(property)
            : null;

    private static bool Allowed(GuestRateLimiter limiter, string key) => limiter.Acquire(Channel.WebChat, key) == RateLimitDecision.Allowed;

    private static GuestRateLimiter Limiter(int burst, double perMinute, TimeProvider time) =>
        new(Microsoft.Extensions.Options.Options.Create(new RateLimitOptions { Burst = burst, PerMinute = perMinute }), time);
}
