using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>A message posted to <c>/{version}/{phone-number-id}/messages</c> and accepted.</summary>
/// <param name="PhoneNumberId">The business number id in the path.</param>
/// <param name="Body">The parsed JSON body.</param>
/// <param name="Authorization">The Authorization header as sent (e.g. <c>Bearer …</c>).</param>
/// <param name="WamId">The wamid the fake answered.</param>
public sealed record FakeSentMessage(string PhoneNumberId, JsonElement Body, string? Authorization, string WamId)
{
    public string? To => Str(Body, "to");

    /// <summary>The <c>biz_opaque_callback_data</c> the send carried (our idempotency key), when any.</summary>
    public string? CallbackData => Str(Body, "biz_opaque_callback_data");

    /// <summary><c>text</c>, <c>interactive</c>, <c>template</c>, <c>audio</c>, …</summary>
    public string? Type => Str(Body, "type");

    /// <summary>text.body, or the interactive body text.</summary>
    public string? Text =>
        Type == "text" ? Str(Body.GetProperty("text"), "body")
        : Type == "interactive" ? Str(Body.GetProperty("interactive").GetProperty("body"), "text")
        : null;

    /// <summary>template.name for templates.</summary>
    public string? TemplateName => Type == "template" ? Str(Body.GetProperty("template"), "name") : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>A status webhook the fake delivered (acknowledged with 2xx by the host).</summary>
public sealed record FakeStatusWebhook(string WamId, string RecipientId, string CallbackData);

/// <summary>A file uploaded to <c>/{version}/{phone-number-id}/media</c>.</summary>
public sealed record FakeUploadedMedia(
    string Id,
    string PhoneNumberId,
    string? MessagingProduct,
    string? Type,
    string? FileName,
    string? FileContentType,
    byte[] Content,
    string? Authorization);

/// <summary>
/// Loopback fake of the WhatsApp Cloud (Graph) API on <c>http://127.0.0.1:{random}</c>: records what the app sends
/// and answers with Meta's real shapes (success <c>{messaging_product, contacts, messages:[{id}]}</c>, errors
/// <c>{error:{message,type,code,error_subcode,fbtrace_id}}</c>). Validates the documented limits of interactive
/// messages (131009) so rendering bugs fail tests. Failures can be programmed (e.g. next 2 sends → 130429).
/// </summary>
public sealed class FakeGraphApi : LoopbackFake
{
    private readonly ConcurrentQueue<FakeSentMessage> _sent = new();
    private readonly ConcurrentQueue<FakeSentMessage> _reads = new();
    private readonly ConcurrentQueue<FakeUploadedMedia> _uploads = new();
    private readonly ConcurrentDictionary<string, HostedMedia> _media = new(StringComparer.Ordinal);
    private readonly Lock _failureGate = new();
    private readonly Queue<ProgrammedFailure> _sendFailures = new();
    private readonly Queue<ProgrammedFailure> _anyFailures = new();
    private readonly ConcurrentQueue<FakeStatusWebhook> _statusWebhooks = new();
    private readonly ConcurrentDictionary<Task, bool> _statusDeliveries = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _webhookClient = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly AwaitableCount _sentCount = new();
    private readonly AwaitableCount _readCount = new();
    private readonly AwaitableCount _statusCount = new();
    private int _counter;

    private FakeGraphApi()
    {
    }

    /// <summary>
    /// Opt-in, like Meta's webhook subscription: after answering a successful send that carries
    /// <c>biz_opaque_callback_data</c>, POST a signed <c>sent</c> status webhook (wamid, recipient, callback data) to
    /// <see cref="StatusWebhookUrl"/> in the background, retrying every 500 ms for up to 60 s while the host is
    /// unreachable or answers non-2xx.
    /// </summary>
    public bool StatusWebhooksEnabled { get; set; }

    /// <summary>Where status webhooks go; read at each attempt, so a restarted host (new port) can update it.</summary>
    public string? StatusWebhookUrl
    {
        get => Volatile.Read(ref _statusWebhookUrl);
        set => Volatile.Write(ref _statusWebhookUrl, value);
    }

    private string? _statusWebhookUrl;

    /// <summary>The app secret that signs status webhooks (<c>X-Hub-Signature-256</c>).</summary>
    public string StatusWebhookAppSecret { get; set; } = "test-app-secret";

    /// <summary>Status webhooks the host acknowledged (2xx), in order.</summary>
    public IReadOnlyList<FakeStatusWebhook> DeliveredStatusWebhooks => [.. _statusWebhooks];

    /// <summary>Waits until <paramref name="count"/> status webhooks were acknowledged.</summary>
    public Task WaitForStatusWebhooksAsync(int count = 1, TimeSpan? timeout = null) =>
        _statusCount.WaitForAsync(count, timeout, "status webhooks acknowledged");

    /// <summary>Base URL to put in <c>WhatsApp__GraphBaseUrl</c> (no trailing slash).</summary>
    public string BaseUrl => Root;

    /// <summary>When set, requests whose bearer token differs answer 401 / code 190 like the real API.</summary>
    public string? ExpectedAccessToken { get; set; }

    /// <summary>Accepted messages (read receipts excluded), in order.</summary>
    public IReadOnlyList<FakeSentMessage> SentMessages => [.. _sent];

    /// <summary>Accepted mark-as-read calls (<c>{status:"read", message_id}</c>).</summary>
    public IReadOnlyList<FakeSentMessage> ReadReceipts => [.. _reads];

    public IReadOnlyList<FakeUploadedMedia> UploadedMedia => [.. _uploads];

    /// <summary>Starts the fake on a free loopback port.</summary>
    public static Task<FakeGraphApi> StartAsync() => ListenAsync(new FakeGraphApi());

    /// <summary>Settings pointing the app at this fake, in configuration-key form (<c>WhatsApp:GraphBaseUrl</c>).</summary>
    public Dictionary<string, string?> WhatsAppSettings(
        string accessToken = "test-access-token",
        string appSecret = "test-app-secret",
        string verifyToken = "test-verify-token",
        string phoneNumberId = "106540352242922") => new()
    {
        ["WhatsApp:GraphBaseUrl"] = BaseUrl,
        ["WhatsApp:GraphVersion"] = "v23.0",
        ["WhatsApp:AccessToken"] = accessToken,
        ["WhatsApp:AppSecret"] = appSecret,
        ["WhatsApp:VerifyToken"] = verifyToken,
        ["WhatsApp:PhoneNumberId"] = phoneNumberId,
    };

    /// <summary>The next <paramref name="count"/> <c>/messages</c> sends (not read receipts) answer this Graph error.</summary>
    /// <param name="count">How many sends fail.</param>
    /// <param name="code">Graph code: 130429 rate limit, 131056 pair rate limit, 131047 re-engagement, 190 invalid token, 100 invalid parameter…</param>
    /// <param name="httpStatus">HTTP status; defaults to Meta's (401 for 190, 400 otherwise).</param>
    public void FailNextSends(int count, int code, int? httpStatus = null)
    {
        lock (_failureGate)
        {
            for (var i = 0; i < count; i++)
            {
                _sendFailures.Enqueue(new ProgrammedFailure(code, httpStatus ?? DefaultStatus(code)));
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests of any route answer this error (code 0 = bare HTTP error without JSON).</summary>
    public void FailNextRequests(int count, int code, int? httpStatus = null)
    {
        lock (_failureGate)
        {
            for (var i = 0; i < count; i++)
            {
                _anyFailures.Enqueue(new ProgrammedFailure(code, httpStatus ?? DefaultStatus(code)));
            }
        }
    }

    /// <summary>
    /// Hosts a media file: <c>GET /{version}/{id}</c> answers its metadata and the download URL serves the bytes
    /// (bearer token required).
    /// </summary>
    /// <param name="content">The bytes.</param>
    /// <param name="mimeType">Declared mime type.</param>
    /// <param name="declaredSize">The <c>file_size</c> to announce (default: the real size; lie to test streaming limits).</param>
    /// <param name="sendContentLength">False streams chunked without Content-Length.</param>
    public string AddMedia(byte[] content, string mimeType = "audio/ogg; codecs=opus", long? declaredSize = null, bool sendContentLength = true)
    {
        ArgumentNullException.ThrowIfNull(content);
        var id = (1_000_000_000_000_000 + Interlocked.Increment(ref _counter)).ToString(CultureInfo.InvariantCulture);
        _media[id] = new HostedMedia(content, mimeType, declaredSize ?? content.Length, sendContentLength);
        return id;
    }

    private TaskCompletionSource? _readReceiptHold;

    /// <summary>Read receipts that reached the fake (counted on arrival, before a hold lets them through).</summary>
    public AwaitableCount ReadReceiptArrivals { get; } = new();

    /// <summary>A slow Graph API: read receipts arriving from now on wait until <see cref="ReleaseReadReceipts"/>.</summary>
    public void HoldReadReceipts() => Volatile.Write(ref _readReceiptHold, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ReleaseReadReceipts() => Volatile.Read(ref _readReceiptHold)?.TrySetResult();

    /// <summary>Waits until <paramref name="count"/> read receipts arrived (they are sent in the background).</summary>
    public async Task<IReadOnlyList<FakeSentMessage>> WaitForReadReceiptsAsync(int count = 1, TimeSpan? timeout = null)
    {
        await _readCount.WaitForAsync(count, timeout, "read receipts at the fake Graph API");
        return ReadReceipts;
    }

    /// <summary>Waits until a message matching <paramref name="predicate"/> was sent (for asynchronous end-to-end tests).</summary>
    public Task<FakeSentMessage> WaitForSentMessageAsync(Func<FakeSentMessage, bool>? predicate = null, TimeSpan? timeout = null) =>
        _sentCount.FirstAsync(
            () => _sent.FirstOrDefault(m => predicate?.Invoke(m) ?? true),
            () => "No matching WhatsApp message was sent to the fake Graph API. Sent:\n" + string.Join("\n", _sent.Select(m => m.Body.GetRawText())),
            timeout);

    /// <summary>Waits until <paramref name="count"/> messages were sent in all.</summary>
    public Task WaitForSentCountAsync(int count, TimeSpan? timeout = null) => _sentCount.WaitForAsync(count, timeout, "messages sent");

    protected override async Task BeforeStopAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_statusDeliveries.Keys);
        }
        catch (OperationCanceledException)
        {
        }
    }

    protected override void AfterStop()
    {
        _webhookClient.Dispose();
        _stopping.Dispose();
    }

    private void StartStatusWebhook(string phoneNumberId, string wamid, string recipientId, string callbackData)
    {
        var body = WhatsAppWebhookSamples.Status(wamid, "sent", recipientId, callbackData, phoneNumberId: phoneNumberId);
        var secret = StatusWebhookAppSecret;
        var token = _stopping.Token;
        var delivery = Task.Run(() => DeliverStatusWebhookAsync(body, secret, new FakeStatusWebhook(wamid, recipientId, callbackData), token), token);
        _statusDeliveries[delivery] = true;
        _ = delivery.ContinueWith(t => _statusDeliveries.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task DeliverStatusWebhookAsync(string body, string appSecret, FakeStatusWebhook webhook, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var signature = WhatsAppWebhookSamples.Sign(body, appSecret);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (StatusWebhookUrl is { } url)
            {
                try
                {
                    using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
                    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    content.Headers.Add("X-Hub-Signature-256", signature);
                    using var response = await _webhookClient.PostAsync(new Uri(url), content, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        _statusWebhooks.Enqueue(webhook);
                        _statusCount.Increment();
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                return;
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (ExpectedAccessToken is not null
                && !string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + ExpectedAccessToken, StringComparison.Ordinal))
            {
                await WriteError(context, 190, 401);
                return;
            }

            ProgrammedFailure? failure = null;
            lock (_failureGate)
            {
                if (_anyFailures.Count > 0)
                {
                    failure = _anyFailures.Dequeue();
                }
            }

            if (failure is { } f)
            {
                await WriteError(context, f.Code, f.Status);
                return;
            }

            await next(context);
        });

        app.MapPost("/{version}/{phoneNumberId}/messages", HandleMessageAsync);
        app.MapPost("/{version}/{phoneNumberId}/media", HandleUploadAsync);
        app.MapGet("/{version}/{mediaId}", HandleMediaInfo);
        app.MapGet("/media-download/{mediaId}", HandleMediaDownloadAsync);
    }

    private async Task HandleMessageAsync(HttpContext context, string phoneNumberId)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await WriteError(context, 100, 400, "(#100) The parameter messaging_product is required.");
            return;
        }

        if (Str(body, "messaging_product") != "whatsapp")
        {
            await WriteError(context, 100, 400, "(#100) The parameter messaging_product is required.");
            return;
        }

        if (Str(body, "status") == "read")
        {
            if (Str(body, "message_id") is null)
            {
                await WriteError(context, 100, 400, "(#100) The parameter message_id is required.");
                return;
            }

            ReadReceiptArrivals.Increment();
            if (Volatile.Read(ref _readReceiptHold) is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            _reads.Enqueue(new FakeSentMessage(phoneNumberId, body, Auth(context), string.Empty));
            _readCount.Increment();
            await context.Response.WriteAsJsonAsync(new { success = true });
            return;
        }

        ProgrammedFailure? failure = null;
        lock (_failureGate)
        {
            if (_sendFailures.Count > 0)
            {
                failure = _sendFailures.Dequeue();
            }
        }

        if (failure is { } f)
        {
            await WriteError(context, f.Code, f.Status);
            return;
        }

        var to = Str(body, "to");
        if (string.IsNullOrEmpty(to) || !to.All(char.IsAsciiDigit))
        {
            await WriteError(context, 100, 400, "(#100) Invalid parameter: to");
            return;
        }

        if (Validate(body) is { } problem)
        {
            await WriteError(context, 131009, 400, "(#131009) Parameter value is not valid", problem);
            return;
        }

        var wamid = "wamid.HBgN" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        _sent.Enqueue(new FakeSentMessage(phoneNumberId, body, Auth(context), wamid));
        _sentCount.Increment();
        var message = new JsonObject { ["id"] = wamid };
        if (Str(body, "type") == "template")
        {
            message["message_status"] = "accepted";
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray { new JsonObject { ["input"] = to, ["wa_id"] = to } },
            ["messages"] = new JsonArray { message },
        });
        if (StatusWebhooksEnabled && Str(body, "biz_opaque_callback_data") is { Length: > 0 } callbackData)
        {
            StartStatusWebhook(phoneNumberId, wamid, to, callbackData);
        }
    }

    private async Task HandleUploadAsync(HttpContext context, string phoneNumberId)
    {
        if (!context.Request.HasFormContentType)
        {
            await WriteError(context, 100, 400, "(#100) The parameter file is required.");
            return;
        }

        var form = await context.Request.ReadFormAsync();
        var file = form.Files.GetFile("file");
        if (file is null || form["messaging_product"] != "whatsapp" || string.IsNullOrEmpty(form["type"]))
        {
            await WriteError(context, 100, 400, "(#100) The parameter file, type and messaging_product are required.");
            return;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var id = (2_000_000_000_000_000 + Interlocked.Increment(ref _counter)).ToString(CultureInfo.InvariantCulture);
        _uploads.Enqueue(new FakeUploadedMedia(
            id, phoneNumberId, form["messaging_product"], form["type"], file.FileName, file.ContentType, buffer.ToArray(), Auth(context)));
        await context.Response.WriteAsJsonAsync(new { id });
    }

    private IResult HandleMediaInfo(HttpContext context, string mediaId)
    {
        if (!_media.TryGetValue(mediaId, out var media))
        {
            return Results.Json(ErrorBody(100, "(#100) Unsupported get request. Object does not exist."), statusCode: 400);
        }

        return Results.Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["url"] = $"{BaseUrl}/media-download/{mediaId}",
            ["mime_type"] = media.MimeType,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(media.Content)),
            ["file_size"] = media.DeclaredSize,
            ["id"] = mediaId,
        });
    }

    private async Task HandleMediaDownloadAsync(HttpContext context, string mediaId)
    {
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            return;
        }

        if (!_media.TryGetValue(mediaId, out var media))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = media.MimeType;
        if (media.SendContentLength)
        {
            context.Response.ContentLength = media.Content.Length;
        }

        const int chunk = 16 * 1024;
        for (var offset = 0; offset < media.Content.Length; offset += chunk)
        {
            await context.Response.Body.WriteAsync(media.Content.AsMemory(offset, Math.Min(chunk, media.Content.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>Meta's documented limits for interactive messages.</summary>
    private static string? Validate(JsonElement body)
    {
        if (Str(body, "type") != "interactive")
        {
            return Str(body, "type") switch
            {
                "text" when (Str(body.GetProperty("text"), "body") ?? string.Empty).Length is 0 or > 4096 => "text.body length",
                "template" when Str(body.GetProperty("template"), "name") is null => "template.name required",
                "audio" when Str(body.GetProperty("audio"), "id") is null && Str(body.GetProperty("audio"), "link") is null => "audio.id required",
                _ => null,
            };
        }

        var interactive = body.GetProperty("interactive");
        var bodyText = Str(interactive.GetProperty("body"), "text") ?? string.Empty;
        if (bodyText.Length is 0 or > 1024)
        {
            return "interactive.body.text length";
        }

        var action = interactive.GetProperty("action");
        switch (Str(interactive, "type"))
        {
            case "button":
                var buttons = action.GetProperty("buttons").EnumerateArray().ToList();
                if (buttons.Count is 0 or > 3)
                {
                    return "buttons count";
                }

                var titles = buttons.Select(b => Str(b.GetProperty("reply"), "title") ?? string.Empty).ToList();
                if (titles.Any(t => t.Length is 0 or > 20) || titles.Distinct(StringComparer.Ordinal).Count() != titles.Count)
                {
                    return "button title length or duplicate";
                }

                if (buttons.Any(b => (Str(b.GetProperty("reply"), "id") ?? string.Empty).Length is 0 or > 256))
                {
                    return "button id length";
                }

                return null;

            case "list":
                if ((Str(action, "button") ?? string.Empty).Length is 0 or > 20)
                {
                    return "list button length";
                }

                var rows = action.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("rows").EnumerateArray()).ToList();
                if (rows.Count is 0 or > 10)
                {
                    return "rows count";
                }

                foreach (var row in rows)
                {
                    if ((Str(row, "title") ?? string.Empty).Length is 0 or > 24
                        || (Str(row, "id") ?? string.Empty).Length is 0 or > 200
                        || (Str(row, "description") ?? string.Empty).Length > 72)
                    {
                        return "row limits";
                    }
                }

                return null;

            default:
                return "interactive.type";
        }
    }

    private static int DefaultStatus(int code) => code switch
    {
        190 => 401,
        0 => 500,
        _ => 400,
    };

    private static async Task WriteError(HttpContext context, int code, int status, string? message = null, string? details = null)
    {
        context.Response.StatusCode = status;
        if (code == 0)
        {
            await context.Response.WriteAsync("upstream failure");
            return;
        }

        await context.Response.WriteAsJsonAsync(ErrorBody(code, message, details));
    }

    private static JsonObject ErrorBody(int code, string? message = null, string? details = null)
    {
        var (defaultMessage, type) = code switch
        {
            190 => ("Error validating access token: Session has expired.", "OAuthException"),
            130429 => ("(#130429) Rate limit hit", "OAuthException"),
            131056 => ("(#131056) (Business Account, Consumer Account) pair rate limit hit", "OAuthException"),
            131047 => ("(#131047) Re-engagement message", "OAuthException"),
            131000 => ("(#131000) Something went wrong", "OAuthException"),
            _ => ($"(#{code}) Error", "OAuthException"),
        };
        var error = new JsonObject
        {
            ["message"] = message ?? defaultMessage,
            ["type"] = type,
            ["code"] = code,
            ["fbtrace_id"] = "A" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
        };
        if (code == 190)
        {
            error["error_subcode"] = 463;
        }

        if (details is not null)
        {
            error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details };
        }

        return new JsonObject { ["error"] = error };
    }

    private static string? Auth(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private readonly record struct ProgrammedFailure(int Code, int Status);

    private sealed record HostedMedia(byte[] Content, string MimeType, long DeclaredSize, bool SendContentLength);
}
