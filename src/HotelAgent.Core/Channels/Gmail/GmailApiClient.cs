using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotelAgent.Core.Channels.Gmail.Mime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>An entry of users.messages.list.</summary>
public sealed record GmailMessageRef(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("threadId")] string ThreadId);

/// <summary>users.messages.get with <c>format=raw</c>.</summary>
public sealed record GmailRawMessage(string Id, string ThreadId, IReadOnlyList<string> LabelIds, DateTimeOffset InternalDate, byte[] Raw);

/// <summary>
/// Thin client for the Gmail REST API (a singleton creating factory clients per call, so handler rotation works) (v1, user <c>me</c>: the refresh-token owner or the impersonated user).
/// Adds the bearer token, retries once after a 401 with a fresh token, and maps failures to <see cref="GmailApiException"/>.
/// </summary>
public sealed class GmailApiClient
{
    private static readonly string[] QuotaReasons = ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded", "backendRateLimitExceeded"];
    /// <summary>Name of the IHttpClientFactory client used for Gmail API calls.</summary>
    public const string HttpClientName = "HotelAgent.Gmail";

    private readonly IHttpClientFactory _httpFactory;
    private readonly IGmailAccessTokenProvider _tokens;
    private readonly IOptionsMonitor<GmailOptions> _options;
    private readonly ILogger<GmailApiClient> _logger;
    private readonly SemaphoreSlim _labelGate = new(1, 1);
    private readonly Dictionary<string, string> _labelIds = new(StringComparer.OrdinalIgnoreCase);

    public GmailApiClient(IHttpClientFactory httpFactory, IGmailAccessTokenProvider tokens, IOptionsMonitor<GmailOptions> options, ILogger<GmailApiClient> logger)
    {
        _httpFactory = httpFactory;
        _tokens = tokens;
        _options = options;
        _logger = logger;
    }

    public async Task<IReadOnlyList<GmailMessageRef>> ListMessagesAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        var url = $"messages?q={Uri.EscapeDataString(query)}&maxResults={maxResults}";
        var list = await SendAsync<ListReply>(HttpMethod.Get, url, null, cancellationToken);
        return list?.Messages ?? [];
    }

    public async Task<GmailRawMessage> GetRawMessageAsync(string id, CancellationToken cancellationToken)
    {
        var m = await SendAsync<MessageReply>(HttpMethod.Get, $"messages/{Uri.EscapeDataString(id)}?format=raw", null, cancellationToken)
            ?? throw new GmailApiException(GmailErrorKind.Other, 200, "empty message response");
        if (string.IsNullOrEmpty(m.Raw))
        {
            throw new GmailApiException(GmailErrorKind.Other, 200, "message without raw content");
        }

        var internalDate = long.TryParse(m.InternalDate, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UnixEpoch;
        return new GmailRawMessage(m.Id ?? id, m.ThreadId ?? string.Empty, m.LabelIds ?? [], internalDate, MimeEncodings.FromBase64Url(m.Raw));
    }

    public Task ModifyMessageAsync(string id, IReadOnlyList<string> addLabelIds, IReadOnlyList<string> removeLabelIds, CancellationToken cancellationToken) =>
        SendAsync<MessageReply>(HttpMethod.Post, $"messages/{Uri.EscapeDataString(id)}/modify", new { addLabelIds, removeLabelIds }, cancellationToken);

    /// <summary>users.messages.send with the RFC 822 bytes as base64url <c>raw</c>, in <paramref name="threadId"/> when given.</summary>
    public async Task<GmailMessageRef> SendRawAsync(byte[] rfc822, string? threadId, CancellationToken cancellationToken)
    {
        object body = string.IsNullOrEmpty(threadId)
            ? new { raw = MimeEncodings.ToBase64Url(rfc822) }
            : new { raw = MimeEncodings.ToBase64Url(rfc822), threadId };
        var reply = await SendAsync<MessageReply>(HttpMethod.Post, "messages/send", body, cancellationToken)
            ?? throw new GmailApiException(GmailErrorKind.Other, 200, "empty send response");
        return new GmailMessageRef(reply.Id ?? string.Empty, reply.ThreadId ?? threadId ?? string.Empty);
    }

    /// <summary>The id of the user label <paramref name="name"/>, created (users.labels.create) when missing; cached.</summary>
    public async Task<string> EnsureLabelAsync(string name, CancellationToken cancellationToken)
    {
        lock (_labelIds)
        {
            if (_labelIds.TryGetValue(name, out var hit))
            {
                return hit;
            }
        }

        await _labelGate.WaitAsync(cancellationToken);
        try
        {
            lock (_labelIds)
            {
                if (_labelIds.TryGetValue(name, out var hit))
                {
                    return hit;
                }
            }

            var existing = await FindLabelAsync(name, cancellationToken);
            if (existing is null)
            {
                try
                {
                    var created = await SendAsync<LabelReply>(
                        HttpMethod.Post,
                        "labels",
                        new { name, labelListVisibility = "labelShow", messageListVisibility = "show" },
                        cancellationToken);
                    existing = created?.Id;
                    Log.LabelCreated(_logger, name);
                }
                catch (GmailApiException ex) when (ex.StatusCode == (int)HttpStatusCode.Conflict)
                {
                    existing = await FindLabelAsync(name, cancellationToken); // created concurrently
                }
            }

            if (string.IsNullOrEmpty(existing))
            {
                throw new GmailApiException(GmailErrorKind.Other, null, "label could not be created");
            }

            lock (_labelIds)
            {
                _labelIds[name] = existing;
            }

            return existing;
        }
        finally
        {
            _labelGate.Release();
        }
    }

    /// <summary>Drops cached label ids (e.g. after the label was deleted in Gmail and a modify was refused).</summary>
    public void ForgetLabels()
    {
        lock (_labelIds)
        {
            _labelIds.Clear();
        }
    }

    private async Task<string?> FindLabelAsync(string name, CancellationToken cancellationToken)
    {
        var labels = await SendAsync<LabelsReply>(HttpMethod.Get, "labels", null, cancellationToken);
        return labels?.Labels?.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))?.Id;
    }

    private async Task<T?> SendAsync<T>(HttpMethod method, string relative, object? body, CancellationToken cancellationToken)
        where T : class
    {
        var options = _options.CurrentValue;
        var uri = new Uri($"{options.ApiBaseUrl.TrimEnd('/')}/gmail/v1/users/me/{relative}");
        for (var attempt = 0; ; attempt++)
        {
            var token = await _tokens.GetAccessTokenAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            HttpResponseMessage response;
            try
            {
                response = await _httpFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new GmailApiException(GmailErrorKind.Transient, null, "network error: " + ex.HttpRequestError, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new GmailApiException(GmailErrorKind.Transient, null, "timeout", ex);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                {
                    _tokens.Invalidate(); // the cached token may have been revoked early: one retry with a fresh one
                    continue;
                }

                throw await ToExceptionAsync(response, cancellationToken);
            }
        }
    }

    private static async Task<GmailApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? reason = null;
        try
        {
            var error = await response.Content.ReadFromJsonAsync<ErrorReply>(cancellationToken);
            reason = error?.Error?.Errors?.FirstOrDefault()?.Reason ?? error?.Error?.Status;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // not Google's JSON error shape (proxy, HTML error page)
        }

        reason ??= response.ReasonPhrase ?? "error";
        var kind = status switch
        {
            401 => GmailErrorKind.Auth,
            429 => GmailErrorKind.Quota,
            403 when QuotaReasons.Contains(reason, StringComparer.Ordinal) => GmailErrorKind.Quota,
            403 => GmailErrorKind.Auth,
            404 => GmailErrorKind.NotFound,
            408 or >= 500 => GmailErrorKind.Transient,
            _ => GmailErrorKind.Other,
        };
        return new GmailApiException(kind, status, reason);
    }

    private sealed record ListReply(
        [property: JsonPropertyName("messages")] List<GmailMessageRef>? Messages,
        [property: JsonPropertyName("nextPageToken")] string? NextPageToken,
        [property: JsonPropertyName("resultSizeEstimate")] int ResultSizeEstimate);

    private sealed record MessageReply(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("threadId")] string? ThreadId,
        [property: JsonPropertyName("labelIds")] List<string>? LabelIds,
        [property: JsonPropertyName("internalDate")] string? InternalDate,
        [property: JsonPropertyName("raw")] string? Raw);

    private sealed record LabelReply(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("type")] string? Type);

    private sealed record LabelsReply([property: JsonPropertyName("labels")] List<LabelReply>? Labels);

    private sealed record ErrorReply([property: JsonPropertyName("error")] ErrorBody? Error);

    private sealed record ErrorBody(
        [property: JsonPropertyName("code")] int Code,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("errors")] List<ErrorItem>? Errors);

    private sealed record ErrorItem(
        [property: JsonPropertyName("reason")] string? Reason,
        [property: JsonPropertyName("domain")] string? Domain);
}
