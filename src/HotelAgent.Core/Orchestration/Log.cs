using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Orchestration;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Orchestration {InstanceId} executed: {Past} past, {New} new events, {Actions} actions")]
    public static partial void Executed(ILogger logger, string instanceId, int past, int @new, int actions);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Activity {Activity} of orchestration {InstanceId} failed")]
    public static partial void ActivityFailed(ILogger logger, string activity, string instanceId, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Standalone orchestration step for {InstanceId} failed; it will be retried")]
    public static partial void StepFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Standalone orchestration engine started on {Path}: {Instances} runnable instances, {Activities} pending activities")]
    public static partial void EngineStarted(ILogger logger, string path, int instances, int activities);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Orchestration {InstanceId} finished with status {Status}")]
    public static partial void InstanceFinished(ILogger logger, string instanceId, string status);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Durable management API call {Operation} for {InstanceId} answered {StatusCode}")]
    public static partial void HttpApiUnexpected(ILogger logger, string operation, string instanceId, int statusCode);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Orchestration trigger request could not be decoded")]
    public static partial void BadTriggerRequest(ILogger logger, Exception exception);
}
