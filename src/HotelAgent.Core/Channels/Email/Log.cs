using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Channels.Email;

internal static partial class Log
{
    [LoggerMessage(EventId = 6300, Level = LogLevel.Warning, Message = "Email poll stopped: {Kind} {Reason}; unseen mail stays unseen for the next poll")]
    public static partial void PollFailed(ILogger logger, EmailErrorKind kind, string reason);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Warning, Message = "Email {Folder}/{Uid} from {Sender} not handled: {Reason}; left unseen for the next poll")]
    public static partial void MessageFailed(ILogger logger, string folder, uint uid, string sender, string reason);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Information, Message = "Email {Folder}/{Uid} from {Sender} handed to the receptionist ({Outcome})")]
    public static partial void MessageAccepted(ILogger logger, string folder, uint uid, string sender, string outcome);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Information, Message = "Email {Folder}/{Uid} from {Sender} not answered: {Reason}; kept for staff")]
    public static partial void MessageSkipped(ILogger logger, string folder, uint uid, string sender, string reason);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Information, Message = "Email poll: {Fetched} fetched, {Accepted} accepted, {Duplicates} duplicates, {Skipped} skipped, {Failed} failed")]
    public static partial void PollCompleted(ILogger logger, int fetched, int accepted, int duplicates, int skipped, int failed);

    [LoggerMessage(EventId = 6305, Level = LogLevel.Warning, Message = "Email {Folder}/{Uid} was handed on but could not be flagged as seen ({Reason}); the inbound gate drops it on the next poll")]
    public static partial void FlagFailed(ILogger logger, string folder, uint uid, string reason);

    [LoggerMessage(EventId = 6306, Level = LogLevel.Debug, Message = "Email polling is disabled (Email__Enabled=false)")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 6307, Level = LogLevel.Information, Message = "Email reply {IdempotencyKey} sent to {Recipient} as {MessageId}")]
    public static partial void ReplySent(ILogger logger, string idempotencyKey, string recipient, string messageId);

    [LoggerMessage(EventId = 6308, Level = LogLevel.Information, Message = "Email reply {IdempotencyKey} already sent; not sending again")]
    public static partial void ReplyDuplicate(ILogger logger, string idempotencyKey);

    [LoggerMessage(EventId = 6309, Level = LogLevel.Warning, Message = "Email reply {IdempotencyKey} to {Recipient} failed: {Kind} {Reason}")]
    public static partial void ReplyFailed(ILogger logger, string idempotencyKey, string recipient, EmailErrorKind kind, string reason);

    [LoggerMessage(EventId = 6310, Level = LogLevel.Warning, Message = "Email reply {IdempotencyKey} was sent but its copy could not be saved in {Folder}: {Reason}")]
    public static partial void SentCopyFailed(ILogger logger, string idempotencyKey, string folder, string reason);

    [LoggerMessage(EventId = 6311, Level = LogLevel.Information, Message = "Email reply {IdempotencyKey} was found in {Folder} (sent before a restart); not sending again")]
    public static partial void ReplyFoundInSent(ILogger logger, string idempotencyKey, string folder);

    [LoggerMessage(EventId = 6312, Level = LogLevel.Information, Message = "Email folder {Folder} has no custom keywords: skipped mail is flagged as seen instead")]
    public static partial void NoKeywords(ILogger logger, string folder);
}
