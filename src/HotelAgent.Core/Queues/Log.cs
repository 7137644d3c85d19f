using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Queues;

internal static partial class Log
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Standalone queue processor serving {Queues} with concurrency {Concurrency}")]
    public static partial void ProcessorStarted(ILogger logger, string queues, int concurrency);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Dispatching message {MessageId} from {Queue} (delivery {DequeueCount})")]
    public static partial void Dispatching(ILogger logger, string queue, string messageId, int dequeueCount);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Handler for {Queue} failed on message {MessageId} (delivery {DequeueCount}); retrying in {BackoffSeconds} s")]
    public static partial void HandlerFailedRetry(ILogger logger, string queue, string messageId, int dequeueCount, double backoffSeconds, Exception exception);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Handler for {Queue} failed on message {MessageId} (delivery {DequeueCount}); moved to the poison queue")]
    public static partial void HandlerFailedPoisoned(ILogger logger, string queue, string messageId, int dequeueCount, Exception exception);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} was delivered {DequeueCount} times without completing; moved to the poison queue")]
    public static partial void MovedToPoison(ILogger logger, string queue, string messageId, int dequeueCount);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Lost the lease of message {MessageId} of {Queue} (visibility timeout lapsed); it may run twice")]
    public static partial void LeaseLost(ILogger logger, string queue, string messageId);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Error, Message = "Standalone queue store failed")]
    public static partial void StoreFailed(ILogger logger, Exception exception);
}
