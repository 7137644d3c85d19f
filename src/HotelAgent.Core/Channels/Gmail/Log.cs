using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Channels.Gmail;

internal static partial class Log
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Gmail poll failed: {Kind} ({StatusCode}) {Reason}; nothing marked processed, retrying next tick")]
    public static partial void PollFailed(ILogger logger, GmailErrorKind kind, int? statusCode, string reason);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Gmail message {MessageId} from {Sender} not handled: {Reason}; left unread for the next tick")]
    public static partial void MessageFailed(ILogger logger, string messageId, string sender, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Gmail message {MessageId} from {Sender} accepted")]
    public static partial void MessageAccepted(ILogger logger, string messageId, string sender);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Gmail message {MessageId} from {Sender} skipped: {Reason}")]
    public static partial void MessageSkipped(ILogger logger, string messageId, string sender, string reason);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Gmail poll: {Fetched} fetched, {Accepted} accepted, {Skipped} skipped, {Failed} failed")]
    public static partial void PollCompleted(ILogger logger, int fetched, int accepted, int skipped, int failed);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Gmail access token request failed: {Kind} ({StatusCode}) {Reason}")]
    public static partial void TokenFailed(ILogger logger, GmailErrorKind kind, int? statusCode, string reason);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Debug, Message = "Gmail access token refreshed, valid for {Seconds} s")]
    public static partial void TokenRefreshed(ILogger logger, int seconds);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Gmail reply {IdempotencyKey} sent to {Recipient} as {GmailId} in thread {ThreadId}")]
    public static partial void ReplySent(ILogger logger, string idempotencyKey, string recipient, string gmailId, string threadId);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Gmail reply {IdempotencyKey} already sent; not sending again")]
    public static partial void ReplyDuplicate(ILogger logger, string idempotencyKey);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Warning, Message = "Gmail reply {IdempotencyKey} to {Recipient} failed: {Kind} ({StatusCode}) {Reason}")]
    public static partial void ReplyFailed(ILogger logger, string idempotencyKey, string recipient, GmailErrorKind kind, int? statusCode, string reason);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Gmail label {Label} created")]
    public static partial void LabelCreated(ILogger logger, string label);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Warning, Message = "Gmail message {MessageId} was handled but could not be marked processed: {Reason}; the sink's idempotency absorbs the redelivery")]
    public static partial void MarkFailed(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Debug, Message = "Gmail polling is disabled (Gmail__Enabled=false)")]
    public static partial void Disabled(ILogger logger);
}
