using HotelAgent.Tests.Fakes;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Channels.Gmail.Mime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>A message in the fake mailbox.</summary>
public sealed class FakeGmailMessage
{
    public required string Id { get; init; }

    public required string ThreadId { get; init; }

    public required byte[] Raw { get; init; }

    public required DateTimeOffset InternalDate { get; init; }

    public HashSet<string> LabelIds { get; } = new(StringComparer.Ordinal);

    /// <summary>For sent messages: the <c>threadId</c> field of the send request (null when absent).</summary>
    public string? RequestedThreadId { get; init; }

    /// <summary>The raw RFC 822 text (bytes read as Latin-1, i.e. exactly as sent for 7-bit messages).</summary>
    public string RawText => Encoding.Latin1.GetString(Raw);

    public ParsedEmail Parsed => MimeMessageParser.Parse(Raw);
}

/// <summary>A users.messages.modify call as received.</summary>
public sealed record FakeGmailModifyCall(string MessageId, IReadOnlyList<string> AddLabelIds, IReadOnlyList<string> RemoveLabelIds);

/// <summary>A users.labels entry.</summary>
public sealed record FakeGmailLabel(string Id, string Name, string Type);

/// <summary>
/// Loopback fake of the Gmail REST API v1 (messages.list/get/modify/send, labels.list/create) and Google's OAuth
/// token endpoint (<c>POST /token</c>: refresh_token and jwt-bearer grants), answering with Google's JSON shapes
/// and error bodies. Seed the inbox with raw RFC 822 text; inspect sent raw messages and label changes; program
/// failures (401, 429, 403 rateLimitExceeded, 500) with <see cref="FailNext"/>.
/// </summary>
public sealed class FakeGmailApi : IAsyncDisposable
{
    private readonly object _sync = new();
    private readonly Dictionary<string, FakeGmailMessage> _messages = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<FakeGmailLabel> _labels =
    [
        new("INBOX", "INBOX", "system"), new("SENT", "SENT", "system"), new("UNREAD", "UNREAD", "system"),
        new("IMPORTANT", "IMPORTANT", "system"), new("SPAM", "SPAM", "system"), new("TRASH", "TRASH", "system"),
        new("DRAFT", "DRAFT", "system"), new("STARRED", "STARRED", "system"),
        new("CATEGORY_PERSONAL", "CATEGORY_PERSONAL", "system"),
    ];

    private readonly List<FakeGmailModifyCall> _modifyCalls = [];
    private readonly List<string> _sentIds = [];
    private readonly List<string> _queries = [];
    private readonly List<(int Status, string? PathContains, string? Reason)> _failures = [];
    private readonly HashSet<string> _issuedTokens = new(StringComparer.Ordinal);
    private readonly List<string> _jwtAssertions = [];
    private WebApplication? _app;
    private long _nextId = 0x18c2f1a3b4d50000;
    private int _tokenCounter;

    private FakeGmailApi(string userEmail) => UserEmail = userEmail;

    public string UserEmail { get; }

    public string BaseUrl { get; private set; } = string.Empty;

    public string TokenEndpoint => BaseUrl + "/token";

    public string ClientId { get; set; } = "1234567890-fake.apps.googleusercontent.com";

    public string ClientSecret { get; set; } = "GOCSPX-fake-secret";

    public string RefreshToken { get; set; } = "1//0fake-refresh-token";

    /// <summary>Lifetime given to issued access tokens (expires_in).</summary>
    public int TokenLifetimeSeconds { get; set; } = 3599;

    public int TokenRequests { get; private set; }

    /// <summary>Every Gmail API request as "METHOD path" (not the token endpoint).</summary>
    public List<string> Requests { get; } = [];

    public IReadOnlyList<string> ReceivedQueries { get { lock (_sync) { return [.. _queries]; } } }

    public IReadOnlyList<FakeGmailModifyCall> ModifyCalls { get { lock (_sync) { return [.. _modifyCalls]; } } }

    public IReadOnlyList<FakeGmailMessage> SentMessages { get { lock (_sync) { return [.. _sentIds.Select(id => _messages[id])]; } } }

    public IReadOnlyList<FakeGmailLabel> Labels { get { lock (_sync) { return [.. _labels]; } } }

    /// <summary>JWT assertions received with the jwt-bearer grant (service accounts).</summary>
    public IReadOnlyList<string> JwtAssertions { get { lock (_sync) { return [.. _jwtAssertions]; } } }

    public static async Task<FakeGmailApi> StartAsync(string userEmail = "reservas@hotelpalermosoho.com")
    {
        var fake = new FakeGmailApi(userEmail);
        var app = LoopbackServer.Create();
        fake.Map(app);
        await app.StartAsync();
        fake._app = app;
        fake.BaseUrl = LoopbackServer.BaseUrl(app);
        return fake;
    }

    /// <summary>Puts a raw RFC 822 message in the inbox (labels INBOX + UNREAD by default). Threads by In-Reply-To/References like Gmail.</summary>
    public string AddInboxMessage(string rfc822, DateTimeOffset? internalDate = null, params string[] labelIds) =>
        AddMessage(Encoding.UTF8.GetBytes(rfc822), internalDate, null, labelIds.Length == 0 ? ["INBOX", "UNREAD", "CATEGORY_PERSONAL"] : labelIds);

    /// <summary>Same with exact bytes (e.g. an ISO-8859-1 8bit body).</summary>
    public string AddInboxMessage(byte[] rfc822, DateTimeOffset? internalDate = null) =>
        AddMessage(rfc822, internalDate, null, ["INBOX", "UNREAD", "CATEGORY_PERSONAL"]);

    public FakeGmailMessage GetMessage(string id)
    {
        lock (_sync)
        {
            return _messages[id];
        }
    }

    /// <summary>The next <paramref name="times"/> Gmail requests whose path contains <paramref name="pathContains"/> (any when null) fail with <paramref name="status"/>.</summary>
    public void FailNext(int status, int times = 1, string? pathContains = null, string? reason = null)
    {
        lock (_sync)
        {
            for (var i = 0; i < times; i++)
            {
                _failures.Add((status, pathContains, reason));
            }
        }
    }

    public void ClearFailures()
    {
        lock (_sync)
        {
            _failures.Clear();
        }
    }

    /// <summary>Invalidates every issued access token (the next API call gets 401 until a refresh).</summary>
    public void RevokeAccessTokens()
    {
        lock (_sync)
        {
            _issuedTokens.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private string AddMessage(byte[] raw, DateTimeOffset? internalDate, string? threadId, IEnumerable<string> labels, bool isSend = false)
    {
        var parsed = MimeMessageParser.Parse(raw);
        var threadIdRequested = threadId;
        lock (_sync)
        {
            var id = (_nextId++).ToString("x16", CultureInfo.InvariantCulture);
            if (threadId is null || !_messages.Values.Any(m => m.ThreadId == threadId))
            {
                var related = (parsed.InReplyTo + " " + parsed.References).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                threadId = _order.Select(x => _messages[x])
                    .FirstOrDefault(m => m.Parsed.MessageId is string mid && related.Contains(mid, StringComparer.Ordinal))?.ThreadId ?? threadId ?? id;
            }

            var requested = isSend ? threadIdRequested : null;
            var message = new FakeGmailMessage { Id = id, ThreadId = threadId, Raw = raw, InternalDate = internalDate ?? DateTimeOffset.UtcNow, RequestedThreadId = requested };
            foreach (var l in labels)
            {
                message.LabelIds.Add(l);
            }

            _messages[id] = message;
            _order.Add(id);
            return id;
        }
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            (int Status, string? PathContains, string? Reason)? failure = null;
            lock (_sync)
            {
                if (!path.StartsWith("/token", StringComparison.Ordinal))
                {
                    Requests.Add($"{context.Request.Method} {path}");
                }

                var index = _failures.FindIndex(f => f.PathContains is null ? !path.StartsWith("/token", StringComparison.Ordinal) : path.Contains(f.PathContains, StringComparison.Ordinal));
                if (index >= 0)
                {
                    failure = _failures[index];
                    _failures.RemoveAt(index);
                }
            }

            if (failure is { } f)
            {
                await WriteGoogleError(context, f.Status, f.Reason);
                return;
            }

            if (path.StartsWith("/gmail/", StringComparison.Ordinal))
            {
                var auth = context.Request.Headers.Authorization.ToString();
                bool valid;
                lock (_sync)
                {
                    valid = auth.StartsWith("Bearer ", StringComparison.Ordinal) && _issuedTokens.Contains(auth[7..]);
                }

                if (!valid)
                {
                    await WriteGoogleError(context, 401, null);
                    return;
                }
            }

            await next(context);
        });

        app.MapPost("/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            lock (_sync)
            {
                TokenRequests++;
            }

            var grant = form["grant_type"].ToString();
            if (grant == "refresh_token")
            {
                if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
                {
                    return Results.Json(new { error = "invalid_client", error_description = "The OAuth client was not found." }, statusCode: 401);
                }

                if (form["refresh_token"] != RefreshToken)
                {
                    return Results.Json(new { error = "invalid_grant", error_description = "Token has been expired or revoked." }, statusCode: 400);
                }
            }
            else if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer")
            {
                lock (_sync)
                {
                    _jwtAssertions.Add(form["assertion"].ToString());
                }
            }
            else
            {
                return Results.Json(new { error = "unsupported_grant_type", error_description = "Invalid grant_type: " + grant }, statusCode: 400);
            }

            string token;
            lock (_sync)
            {
                token = $"ya29.a0AfakeToken{++_tokenCounter}";
                _issuedTokens.Add(token);
            }

            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = token,
                ["expires_in"] = TokenLifetimeSeconds,
                ["scope"] = "https://www.googleapis.com/auth/gmail.modify",
                ["token_type"] = "Bearer",
            });
        });

        var users = app.MapGroup("/gmail/v1/users/{userId}");
        users.AddEndpointFilter(async (ctx, next) =>
        {
            var userId = ctx.HttpContext.Request.RouteValues["userId"]?.ToString();
            if (userId != "me" && !string.Equals(userId, UserEmail, StringComparison.OrdinalIgnoreCase))
            {
                return Results.Json(GoogleError(403, "Delegation denied for " + userId, "forbidden", "PERMISSION_DENIED"), statusCode: 403);
            }

            return await next(ctx);
        });

        users.MapGet("/messages", (string? q, int? maxResults, string? pageToken) =>
        {
            lock (_sync)
            {
                _queries.Add(q ?? string.Empty);
                var matches = _order.Select(id => _messages[id]).Where(m => Matches(m, q ?? string.Empty)).Reverse().ToList();
                var skip = int.TryParse(pageToken, out var p) ? p : 0;
                var page = matches.Skip(skip).Take(Math.Clamp(maxResults ?? 100, 1, 500)).ToList();
                var body = new Dictionary<string, object>();
                if (page.Count > 0)
                {
                    body["messages"] = page.Select(m => new { id = m.Id, threadId = m.ThreadId }).ToList();
                }

                if (skip + page.Count < matches.Count)
                {
                    body["nextPageToken"] = (skip + page.Count).ToString(CultureInfo.InvariantCulture);
                }

                body["resultSizeEstimate"] = matches.Count;
                return Results.Json(body);
            }
        });

        users.MapGet("/messages/{id}", (string id, string? format) =>
        {
            lock (_sync)
            {
                if (!_messages.TryGetValue(id, out var m))
                {
                    return Results.Json(GoogleError(404, "Requested entity was not found.", "notFound", "NOT_FOUND"), statusCode: 404);
                }

                var body = MessageResource(m);
                switch ((format ?? "full").ToLowerInvariant())
                {
                    case "raw":
                        body["raw"] = MimeEncodings.ToBase64Url(m.Raw);
                        break;
                    case "minimal":
                        break;
                    default:
                        body["payload"] = Payload(m.Parsed.Root, string.Empty, format?.ToLowerInvariant() == "metadata");
                        break;
                }

                return Results.Json(body);
            }
        });

        users.MapPost("/messages/{id}/modify", async (string id, HttpContext context) =>
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            var add = ReadStrings(doc.RootElement, "addLabelIds");
            var remove = ReadStrings(doc.RootElement, "removeLabelIds");
            lock (_sync)
            {
                if (!_messages.TryGetValue(id, out var m))
                {
                    return Results.Json(GoogleError(404, "Requested entity was not found.", "notFound", "NOT_FOUND"), statusCode: 404);
                }

                var unknown = add.Concat(remove).FirstOrDefault(l => _labels.All(x => x.Id != l));
                if (unknown is not null)
                {
                    return Results.Json(GoogleError(400, "Invalid label: " + unknown, "invalidArgument", "INVALID_ARGUMENT"), statusCode: 400);
                }

                _modifyCalls.Add(new FakeGmailModifyCall(id, add, remove));
                foreach (var l in add)
                {
                    m.LabelIds.Add(l);
                }

                foreach (var l in remove)
                {
                    m.LabelIds.Remove(l);
                }

                return Results.Json(new { id = m.Id, threadId = m.ThreadId, labelIds = m.LabelIds.ToList() });
            }
        });

        users.MapPost("/messages/send", async (HttpContext context) =>
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            if (!doc.RootElement.TryGetProperty("raw", out var rawElement) || rawElement.GetString() is not { Length: > 0 } raw)
            {
                return Results.Json(GoogleError(400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required", "invalidArgument", "INVALID_ARGUMENT"), statusCode: 400);
            }

            var threadId = doc.RootElement.TryGetProperty("threadId", out var t) ? t.GetString() : null;
            var id = AddMessage(MimeEncodings.FromBase64Url(raw), DateTimeOffset.UtcNow, threadId, ["SENT"], isSend: true);
            lock (_sync)
            {
                _sentIds.Add(id);
                var m = _messages[id];
                return Results.Json(new { id = m.Id, threadId = m.ThreadId, labelIds = m.LabelIds.ToList() });
            }
        });

        users.MapGet("/labels", () =>
        {
            lock (_sync)
            {
                return Results.Json(new { labels = _labels.Select(LabelResource).ToList() });
            }
        });

        users.MapPost("/labels", async (HttpContext context) =>
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            var name = doc.RootElement.GetProperty("name").GetString() ?? string.Empty;
            lock (_sync)
            {
                if (_labels.Any(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    return Results.Json(GoogleError(409, "Label name exists or conflicts", "duplicate", "ALREADY_EXISTS"), statusCode: 409);
                }

                var label = new FakeGmailLabel($"Label_{_labels.Count(l => l.Type == "user") + 1}", name, "user");
                _labels.Add(label);
                return Results.Json(LabelResource(label));
            }
        });
    }

    private bool Matches(FakeGmailMessage m, string query)
    {
        foreach (var token in query.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var negate = token.StartsWith('-');
            var t = (negate ? token[1..] : token).ToLowerInvariant();
            bool? result = t switch
            {
                "is:unread" => m.LabelIds.Contains("UNREAD"),
                "is:read" => !m.LabelIds.Contains("UNREAD"),
                "in:inbox" => m.LabelIds.Contains("INBOX"),
                "from:me" => m.LabelIds.Contains("SENT") || string.Equals(m.Parsed.From?.Address, UserEmail, StringComparison.OrdinalIgnoreCase),
                _ when t.StartsWith("label:", StringComparison.Ordinal) => m.LabelIds.Any(id =>
                    _labels.FirstOrDefault(l => l.Id == id) is { } l
                    && l.Name.ToLowerInvariant().Replace('/', '-').Replace(' ', '-') == t[6..].Trim('"')),
                _ => null,
            };
            if (result is bool r && r == negate)
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, object> MessageResource(FakeGmailMessage m)
    {
        var text = m.Parsed.BodyText;
        return new Dictionary<string, object>
        {
            ["id"] = m.Id,
            ["threadId"] = m.ThreadId,
            ["labelIds"] = m.LabelIds.ToList(),
            ["snippet"] = text.Length > 100 ? text[..100] : text,
            ["sizeEstimate"] = m.Raw.Length,
            ["historyId"] = "123456",
            ["internalDate"] = m.InternalDate.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A MessagePart as Gmail's format=full returns it (body.data base64url of the transfer-decoded content).</summary>
    private static Dictionary<string, object> Payload(MimeEntity entity, string partId, bool metadataOnly)
    {
        var part = new Dictionary<string, object>
        {
            ["partId"] = partId,
            ["mimeType"] = entity.ContentType,
            ["filename"] = entity.FileName ?? string.Empty,
            ["headers"] = entity.Headers.Select(h => new { name = h.Name, value = h.Value }).ToList(),
        };
        if (metadataOnly)
        {
            return part;
        }

        if (entity.IsMultipart)
        {
            part["body"] = new { size = 0 };
            part["parts"] = entity.Children
                .Select((c, i) => Payload(c, partId.Length == 0 ? i.ToString(CultureInfo.InvariantCulture) : $"{partId}.{i}", false))
                .ToList();
        }
        else if (entity.FileName is not null)
        {
            part["body"] = new { attachmentId = "ANGjdJ_fake_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(entity.Content))[..16], size = entity.Content.Length };
        }
        else
        {
            part["body"] = new { size = entity.Content.Length, data = MimeEncodings.ToBase64Url(entity.Content) };
        }

        return part;
    }

    private static object LabelResource(FakeGmailLabel l) => l.Type == "system"
        ? new { id = l.Id, name = l.Name, type = l.Type }
        : new { id = l.Id, name = l.Name, messageListVisibility = "show", labelListVisibility = "labelShow", type = l.Type };

    private static List<string> ReadStrings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
            : [];

    private static Task WriteGoogleError(HttpContext context, int status, string? reason)
    {
        object body = status switch
        {
            401 => GoogleError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.", reason ?? "authError", "UNAUTHENTICATED", location: "Authorization"),
            429 => GoogleError(429, "User-rate limit exceeded.  Retry after 2026-11-21T22:30:00.000Z", reason ?? "rateLimitExceeded", "RESOURCE_EXHAUSTED", domain: "usageLimits"),
            403 => GoogleError(403, "User-rate limit exceeded.", reason ?? "userRateLimitExceeded", "PERMISSION_DENIED", domain: "usageLimits"),
            500 => GoogleError(500, "Internal error encountered.", reason ?? "backendError", "INTERNAL"),
            503 => GoogleError(503, "The service is currently unavailable.", reason ?? "backendError", "UNAVAILABLE"),
            _ => GoogleError(status, "Error", reason ?? "failedPrecondition", "FAILED_PRECONDITION"),
        };
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body);
    }

    private static object GoogleError(int code, string message, string reason, string status, string domain = "global", string? location = null)
    {
        var error = new Dictionary<string, object> { ["message"] = message, ["domain"] = domain, ["reason"] = reason };
        if (location is not null)
        {
            error["location"] = location;
            error["locationType"] = "header";
        }

        return new { error = new { code, message, errors = new[] { error }, status } };
    }
}
