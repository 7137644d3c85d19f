using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>WhatsApp channel log messages. Guests are masked with PiiMask; no bodies, no tokens.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "WhatsApp {Kind} sent to {Guest} ({MessageId})")]
    public static partial void MessageSent(ILogger logger, string kind, string guest, string? messageId);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "WhatsApp send skipped: idempotency key {Key} was already sent")]
    public static partial void DuplicateSendSkipped(ILogger logger, string key);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Customer-service window closed for {Guest}; sending re-engagement template {Template}")]
    public static partial void WindowClosed(ILogger logger, string guest, string template);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Graph API refused free-form message to {Guest} (131047, outside 24h window); sending re-engagement template {Template}")]
    public static partial void ReengagementRequired(ILogger logger, string guest, string template);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Graph API {Operation} failed ({Reason}); retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string operation, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Critical, Message = "WhatsApp access token rejected; update WhatsApp__AccessToken (HTTP {Status}, Graph code {Code}, fbtrace_id {TraceId})")]
    public static partial void AccessTokenRejected(ILogger logger, int status, int? code, string? traceId);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Error, Message = "Graph API {Operation} failed: HTTP {Status}, code {Code}/{Subcode}, type {Type}: {GraphMessage} (fbtrace_id {TraceId})")]
    public static partial void CallFailed(ILogger logger, string operation, int status, int? code, int? subcode, string? type, string? graphMessage, string? traceId);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Warning, Message = "WhatsApp media {MediaId} rejected: larger than {Limit} bytes")]
    public static partial void MediaTooLarge(ILogger logger, string mediaId, long limit);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Debug, Message = "Reply has {Count} options; WhatsApp lists show at most 10, the rest are dropped")]
    public static partial void OptionsDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Debug, Message = "Reply attachments are not sent on WhatsApp ({Count} dropped)")]
    public static partial void AttachmentsDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "WhatsApp media {MediaId} downloaded ({Bytes} bytes, {MimeType})")]
    public static partial void MediaDownloaded(ILogger logger, string mediaId, long bytes, string mimeType);

    [LoggerMessage(EventId = 6113, Level = LogLevel.Warning, Message = "WhatsApp send of key {Key} has an unconfirmed attempt from {AttemptedUtc} (by another process, or older than the wait); waiting up to {Wait} for Meta's status webhook")]
    public static partial void WaitingForUnconfirmedSend(ILogger logger, string key, DateTimeOffset attemptedUtc, TimeSpan wait);

    [LoggerMessage(EventId = 6114, Level = LogLevel.Information, Message = "WhatsApp send skipped: key {Key} was confirmed by a status webhook (an earlier attempt went out)")]
    public static partial void UnconfirmedSendConfirmed(ILogger logger, string key);

    [LoggerMessage(EventId = 6115, Level = LogLevel.Warning, Message = "WhatsApp send of key {Key} still unconfirmed after {Wait}; sending again (at-least-once)")]
    public static partial void UnconfirmedSendResent(ILogger logger, string key, TimeSpan wait);
}
