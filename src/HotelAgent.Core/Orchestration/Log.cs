using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Orchestration;

internal static partial class Log
{
    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Durable storage operation for {InstanceId} failed; it will be retried")]
    public static partial void StepFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Durable backend {Backend} started (task hub {TaskHub}, {Location})")]
    public static partial void BackendStarted(ILogger logger, string backend, string taskHub, string location);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, Message = "Dropped {Count} messages for finished or unknown orchestration {InstanceId}")]
    public static partial void MessagesDropped(ILogger logger, int count, string instanceId);
}
