using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// The WhatsApp Cloud API client (typed <see cref="HttpClient"/>): sends replies, templates, voice notes and
/// read receipts, downloads inbound media. Handles the customer-service window, idempotent sends, outbound
/// throttling, retries with backoff for rate limits / 5xx / network errors, and token rejection.
/// </summary>
public sealed class WhatsAppCloudClient : IChannelSender, IMediaDownloader, IVoiceNoteSender
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    /// <summary>How often the store is polled for a status-webhook confirmation of an unconfirmed attempt.</summary>
    private static readonly TimeSpan ConfirmationPollInterval = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _http;
    private readonly WhatsAppOptions _options;
    private readonly ICustomerServiceWindow _window;
    private readonly ISentMessageStore _sent;
    private readonly OutboundThrottle _throttle;
    private readonly ILogger<WhatsAppCloudClient> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _timeProvider;

    public WhatsAppCloudClient(
        HttpClient http,
        IOptions<WhatsAppOptions> options,
        ICustomerServiceWindow window,
        ISentMessageStore sent,
        OutboundThrottle throttle,
        TimeProvider timeProvider,
        ILogger<WhatsAppCloudClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _window = window;
        _sent = sent;
        _throttle = throttle;
        _logger = logger;
        _timeProvider = timeProvider;
        _throttle.Configure(Channel.WhatsApp, _options.MessagesPerSecond, _options.MessagesBurst);
        _pipeline = BuildPipeline(_options, timeProvider, logger);
    }

    public Channel Channel => Channel.WhatsApp;

    /// <summary>
    /// Sends a reply: text, buttons (≤ 3 options) or a list (4–10). Outside the customer-service window (or when
    /// the Graph API answers 131047) the re-engagement template goes instead. A key already sent is skipped. Every send
    /// carries the key as <c>biz_opaque_callback_data</c>, and an attempt is committed before the POST: when a process
    /// died between Meta's answer and the record, the retry waits (<see cref="WhatsAppOptions.UnconfirmedSendWaitSeconds"/>)
    /// for Meta's status webhook to confirm the earlier send before sending again.
    /// </summary>
    /// <exception cref="WhatsAppAuthException">The access token was rejected.</exception>
    /// <exception cref="WhatsAppApiException">The Graph API refused the message (after retries when transient).</exception>
    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureWhatsApp(message.Channel);
        using var keyLock = await _sent.LockAsync(Channel.WhatsApp, message.IdempotencyKey, cancellationToken);

        // Rendered before the attempt is recorded (pure; a renderer failure must not leave an attempt behind).
        var payload = WhatsAppMessageRenderer.WithCallbackData(WhatsAppMessageRenderer.Render(message.GuestId, message.Reply), message.IdempotencyKey);
        var kind = payload["type"]!.GetValue<string>();

        // The "sent already?" and "left unconfirmed?" checks and the attempt record in one channels.db transaction.
        var wait = TimeSpan.FromSeconds(_options.UnconfirmedSendWaitSeconds);
        var start = await _sent.StartAttemptAsync(Channel.WhatsApp, message.IdempotencyKey, attempt => SendsAgainAtOnce(attempt, wait), cancellationToken);
        if (start.AlreadySent)
        {
            Log.DuplicateSendSkipped(_logger, message.IdempotencyKey);
            return;
        }

        if (!start.Started)
        {
            if (!await WaitForUnconfirmedAsync(message.IdempotencyKey, start.Pending!, wait, cancellationToken))
            {
                return;
            }

            await _sent.RecordAttemptAsync(Channel.WhatsApp, message.IdempotencyKey, cancellationToken);
        }

        if (message.Reply.Options.Count > WhatsAppMessageRenderer.MaxListRows)
        {
            Log.OptionsDropped(_logger, message.Reply.Options.Count);
        }

        if (message.Reply.Attachments.Count > 0)
        {
            Log.AttachmentsDropped(_logger, message.Reply.Attachments.Count);
        }

        var wamid = await SendWithinWindowAsync(message.GuestId, payload, kind, message.IdempotencyKey, cancellationToken);
        await _sent.RecordSentAsync(Channel.WhatsApp, message.IdempotencyKey, wamid, CancellationToken.None);
    }

    /// <summary>Sends a plain text (no idempotency key, no window check). Returns the wamid.</summary>
    public Task<string?> SendTextAsync(string guestId, string text, CancellationToken cancellationToken = default) =>
        PostMessageAsync(guestId, WhatsAppMessageRenderer.Text(guestId, text), "text", cancellationToken);

    /// <summary>Sends an approved template (allowed outside the 24-hour window). Returns the wamid.</summary>
    public Task<string?> SendTemplateAsync(
        string guestId,
        string templateName,
        string languageCode,
        IReadOnlyList<string>? bodyParameters = null,
        CancellationToken cancellationToken = default) =>
        PostMessageAsync(
            guestId,
            WhatsAppMessageRenderer.Template(guestId, templateName, languageCode, bodyParameters),
            "template",
            cancellationToken);

    /// <summary>Sends the configured re-engagement template (<see cref="WhatsAppOptions.ReengagementTemplateName"/>).</summary>
    public Task<string?> SendReengagementTemplateAsync(string guestId, CancellationToken cancellationToken = default) =>
        SendTemplateAsync(guestId, _options.ReengagementTemplateName, _options.ReengagementTemplateLanguage, null, cancellationToken);

    /// <summary>Marks an inbound message as read (blue ticks).</summary>
    public async Task MarkAsReadAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        using var _ = await SendJsonAsync(MessagesUri, WhatsAppMessageRenderer.MarkAsRead(messageId), "mark-as-read", throttle: false, cancellationToken);
    }

    /// <summary>Uploads media (<c>POST /{phone-number-id}/media</c>, multipart) and returns its media id.</summary>
    public async Task<string> UploadMediaAsync(byte[] content, string mimeType, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(mimeType);
        var uri = _options.ApiUri($"{_options.PhoneNumberId}/media");
        using var document = await ExecuteAsync(
            "media-upload",
            throttle: false,
            () =>
            {
                var form = new MultipartFormDataContent();
                form.Add(new StringContent("whatsapp"), "messaging_product");
                form.Add(new StringContent(mimeType), "type");
                var file = new ByteArrayContent(content);
                file.Headers.ContentType = new MediaTypeHeaderValue(mimeType);
                form.Add(file, "file", fileName);
                return new HttpRequestMessage(HttpMethod.Post, uri) { Content = form };
            },
            cancellationToken);
        return ReadString(document.RootElement, "id")
            ?? throw new WhatsAppApiException("Media upload answered without an id.");
    }

    /// <summary>Sends an already uploaded audio by media id. Returns the wamid.</summary>
    public Task<string?> SendAudioAsync(string guestId, string mediaId, CancellationToken cancellationToken = default) =>
        PostMessageAsync(guestId, WhatsAppMessageRenderer.Audio(guestId, mediaId), "audio", cancellationToken);

    /// <summary>Uploads an Ogg/Opus voice note and sends it (template instead when outside the window).</summary>
    public async Task SendVoiceNoteAsync(Channel channel, string guestId, byte[] oggOpus, string idempotencyKey, CancellationToken cancellationToken)
    {
        EnsureWhatsApp(channel);
        ArgumentNullException.ThrowIfNull(oggOpus);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        using var keyLock = await _sent.LockAsync(Channel.WhatsApp, idempotencyKey, cancellationToken);
        if (!await ShouldSendAsync(idempotencyKey, cancellationToken))
        {
            return;
        }

        string? wamid;
        if (_options.EnforceCustomerServiceWindow && !await _window.IsOpenAsync(guestId, cancellationToken))
        {
            Log.WindowClosed(_logger, PiiMask.Contact(guestId), _options.ReengagementTemplateName);
            await _sent.RecordAttemptAsync(Channel.WhatsApp, idempotencyKey, cancellationToken);
            wamid = await SendKeyedReengagementTemplateAsync(guestId, idempotencyKey, cancellationToken);
        }
        else
        {
            var mediaId = await UploadMediaAsync(oggOpus, "audio/ogg", "voice.ogg", cancellationToken);
            var payload = WhatsAppMessageRenderer.WithCallbackData(WhatsAppMessageRenderer.Audio(guestId, mediaId), idempotencyKey);
            await _sent.RecordAttemptAsync(Channel.WhatsApp, idempotencyKey, cancellationToken);
            wamid = await SendWithinWindowAsync(guestId, payload, "audio", idempotencyKey, cancellationToken, checkWindow: false);
        }

        await _sent.RecordSentAsync(Channel.WhatsApp, idempotencyKey, wamid, CancellationToken.None);
    }

    /// <summary>
    /// Two-step media download: <c>GET /{media-id}</c> → <c>{url, mime_type, file_size}</c>, then the URL with the
    /// bearer token. Rejects a declared size over the limit before downloading and aborts a stream that exceeds it.
    /// </summary>
    /// <exception cref="MediaTooLargeException">Larger than <paramref name="maxBytes"/> (or <see cref="WhatsAppOptions.MaxMediaBytes"/>).</exception>
    public async Task<DownloadedMedia> DownloadAsync(Channel channel, string mediaId, long maxBytes, CancellationToken cancellationToken)
    {
        EnsureWhatsApp(channel);
        ArgumentException.ThrowIfNullOrEmpty(mediaId);
        var limit = maxBytes > 0 ? Math.Min(maxBytes, _options.MaxMediaBytes) : _options.MaxMediaBytes;

        var infoUri = _options.ApiUri(Uri.EscapeDataString(mediaId) + "?phone_number_id=" + Uri.EscapeDataString(_options.PhoneNumberId));
        string url;
        string mimeType;
        using (var info = await ExecuteAsync("media-info", throttle: false, () => new HttpRequestMessage(HttpMethod.Get, infoUri), cancellationToken))
        {
            url = ReadString(info.RootElement, "url") ?? throw new WhatsAppApiException("Media info answered without a url.");
            mimeType = ReadString(info.RootElement, "mime_type") ?? "application/octet-stream";
            if (ReadLong(info.RootElement, "file_size") is { } declared && declared > limit)
            {
                Log.MediaTooLarge(_logger, mediaId, limit);
                throw new MediaTooLargeException(limit);
            }
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var mediaUri) || mediaUri.Scheme is not ("https" or "http"))
        {
            throw new WhatsAppApiException("Media info answered with an invalid url.");
        }

        var bytes = await _pipeline.ExecuteAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, mediaUri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                if (!response.IsSuccessStatusCode)
                {
                    throw await ToExceptionAsync(response, "media-download", token);
                }

                if (response.Content.Headers.ContentLength is { } length && length > limit)
                {
                    Log.MediaTooLarge(_logger, mediaId, limit);
                    throw new MediaTooLargeException(limit);
                }

                return await ReadLimitedAsync(response, limit, mediaId, token);
            },
            cancellationToken);

        Log.MediaDownloaded(_logger, mediaId, bytes.Length, mimeType);
        return new DownloadedMedia(bytes, mimeType);
    }

    private Uri MessagesUri => _options.ApiUri($"{_options.PhoneNumberId}/messages");

    /// <summary>
    /// Under the key lock: false when the key was sent, or when an unconfirmed attempt left by another process (or an
    /// old one) gets confirmed by a status webhook within <see cref="WhatsAppOptions.UnconfirmedSendWaitSeconds"/>.
    /// A recent attempt by this process (a retry after a failed POST here) is sent again without waiting.
    /// </summary>
    private async Task<bool> ShouldSendAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        if (await _sent.WasSentAsync(Channel.WhatsApp, idempotencyKey, cancellationToken))
        {
            Log.DuplicateSendSkipped(_logger, idempotencyKey);
            return false;
        }

        var attempt = await _sent.GetPendingAttemptAsync(Channel.WhatsApp, idempotencyKey, cancellationToken);
        var wait = TimeSpan.FromSeconds(_options.UnconfirmedSendWaitSeconds);
        return attempt is null || SendsAgainAtOnce(attempt, wait) || await WaitForUnconfirmedAsync(idempotencyKey, attempt, wait, cancellationToken);
    }

    /// <summary>An unconfirmed attempt that is sent again without waiting: no wait configured, or a recent attempt by this process.</summary>
    private bool SendsAgainAtOnce(SendAttempt attempt, TimeSpan wait) =>
        wait <= TimeSpan.Zero || (attempt.ByThisProcess && _timeProvider.GetUtcNow() - attempt.AttemptedUtc < wait);

    /// <summary>Waits for a status webhook to confirm <paramref name="attempt"/>: false when it did (do not send), true when the wait ran out.</summary>
    private async Task<bool> WaitForUnconfirmedAsync(string idempotencyKey, SendAttempt attempt, TimeSpan wait, CancellationToken cancellationToken)
    {
        Log.WaitingForUnconfirmedSend(_logger, idempotencyKey, attempt.AttemptedUtc, wait);

        // Counted polls, not a clock deadline: the wait stays bounded whatever the injected clock does.
        var polls = (int)Math.Ceiling(wait / ConfirmationPollInterval);
        for (var i = 0; i < polls; i++)
        {
            await Task.Delay(ConfirmationPollInterval, _timeProvider, cancellationToken);
            if (await _sent.WasSentAsync(Channel.WhatsApp, idempotencyKey, cancellationToken))
            {
                Log.UnconfirmedSendConfirmed(_logger, idempotencyKey);
                return false;
            }
        }

        Log.UnconfirmedSendResent(_logger, idempotencyKey, wait);
        return true;
    }

    private async Task<string?> SendWithinWindowAsync(
        string guestId, JsonObject payload, string kind, string callbackData, CancellationToken cancellationToken, bool checkWindow = true)
    {
        if (checkWindow && _options.EnforceCustomerServiceWindow && !await _window.IsOpenAsync(guestId, cancellationToken))
        {
            Log.WindowClosed(_logger, PiiMask.Contact(guestId), _options.ReengagementTemplateName);
            return await SendKeyedReengagementTemplateAsync(guestId, callbackData, cancellationToken);
        }

        try
        {
            return await PostMessageAsync(guestId, payload, kind, cancellationToken);
        }
        catch (WhatsAppApiException ex) when (ex.Code == WhatsAppApiException.ReengagementCode)
        {
            Log.ReengagementRequired(_logger, PiiMask.Contact(guestId), _options.ReengagementTemplateName);
            return await SendKeyedReengagementTemplateAsync(guestId, callbackData, cancellationToken);
        }
    }

    /// <summary>The re-engagement template of a keyed send, tagged with the key like the message it replaces.</summary>
    private Task<string?> SendKeyedReengagementTemplateAsync(string guestId, string callbackData, CancellationToken cancellationToken) =>
        PostMessageAsync(
            guestId,
            WhatsAppMessageRenderer.WithCallbackData(
                WhatsAppMessageRenderer.Template(guestId, _options.ReengagementTemplateName, _options.ReengagementTemplateLanguage),
                callbackData),
            "template",
            cancellationToken);

    private async Task<string?> PostMessageAsync(string guestId, JsonObject payload, string kind, CancellationToken cancellationToken)
    {
        using var document = await SendJsonAsync(MessagesUri, payload, "send-" + kind, throttle: true, cancellationToken);
        string? wamid = null;
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("messages", out var messages)
            && messages.ValueKind == JsonValueKind.Array
            && messages.GetArrayLength() > 0)
        {
            wamid = ReadString(messages[0], "id");
        }

        Log.MessageSent(_logger, kind, PiiMask.Contact(guestId), wamid);
        return wamid;
    }

    private Task<JsonDocument> SendJsonAsync(Uri uri, JsonObject payload, string operation, bool throttle, CancellationToken cancellationToken)
    {
        var json = payload.ToJsonString();
        return ExecuteAsync(
            operation,
            throttle,
            () => new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new StringContent(json, Encoding.UTF8, JsonMediaType),
            },
            cancellationToken);
    }

    /// <summary>One Graph API call with throttling, auth, retries and error mapping; returns the JSON answer.</summary>
    private async Task<JsonDocument> ExecuteAsync(string operation, bool throttle, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    var token = ctx.CancellationToken;
                    if (state.throttle)
                    {
                        await _throttle.WaitAsync(Channel.WhatsApp, token);
                    }

                    using var request = state.createRequest();
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
                    using var response = await _http.SendAsync(request, token);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw await ToExceptionAsync(response, state.operation, token);
                    }

                    var body = await response.Content.ReadAsStringAsync(token);
                    try
                    {
                        return JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
                    }
                    catch (JsonException ex)
                    {
                        throw new WhatsAppApiException($"Graph API {state.operation} answered {(int)response.StatusCode} with a non-JSON body.", ex);
                    }
                },
                context,
                (operation, throttle, createRequest));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<WhatsAppApiException> ToExceptionAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            body = string.Empty;
        }

        var error = GraphError.Parse(body);
        var status = response.StatusCode;
        if (error.Code == WhatsAppApiException.InvalidTokenCode || status == HttpStatusCode.Unauthorized)
        {
            Log.AccessTokenRejected(_logger, (int)status, error.Code, error.FbTraceId);
            return new WhatsAppAuthException(status, error.Code, error.Subcode, error.Type, error.Message, error.FbTraceId);
        }

        var exception = new WhatsAppApiException(status, error.Code, error.Subcode, error.Type, error.Message, error.FbTraceId);
        if (!exception.IsTransient && exception.Code != WhatsAppApiException.ReengagementCode)
        {
            Log.CallFailed(_logger, operation, (int)status, error.Code, error.Subcode, error.Type, error.Message, error.FbTraceId);
        }

        return exception;
    }

    private async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, long limit, string mediaId, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                Log.MediaTooLarge(_logger, mediaId, limit);
                throw new MediaTooLargeException(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ResiliencePipeline BuildPipeline(WhatsAppOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(60),
                ShouldHandle = new PredicateBuilder()
                    .Handle<WhatsAppApiException>(ex => ex is not WhatsAppAuthException && ex.IsTransient)
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(ex => ex.InnerException is TimeoutException),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception switch
                    {
                        WhatsAppApiException api => $"HTTP {(int)api.StatusCode}, code {api.Code?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
                        TaskCanceledException => "timeout",
                        { } other => other.GetType().Name,
                        null => "unknown",
                    };
                    Log.Retrying(logger, args.Context.OperationKey ?? "call", reason, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.Build();
    }

    private static void EnsureWhatsApp(Channel channel)
    {
        if (channel != Channel.WhatsApp)
        {
            throw new ArgumentException($"The WhatsApp client cannot send on {channel}.", nameof(channel));
        }
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? ReadLong(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)
            ? number
            : null;
    }

    /// <summary>Meta's <c>{"error":{…}}</c> object; empty when the body is not one.</summary>
    private readonly record struct GraphError(int? Code, int? Subcode, string? Type, string? Message, string? FbTraceId)
    {
        public static GraphError Parse(string body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return default;
            }

            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("error", out var error)
                    || error.ValueKind != JsonValueKind.Object)
                {
                    return default;
                }

                return new GraphError(
                    (int?)ReadLong(error, "code"),
                    (int?)ReadLong(error, "error_subcode"),
                    ReadString(error, "type"),
                    ReadString(error, "message"),
                    ReadString(error, "fbtrace_id"));
            }
            catch (JsonException)
            {
                return default;
            }
        }
    }
}
