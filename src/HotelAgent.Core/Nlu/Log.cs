using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Nlu;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "NLU model trained: {Examples} examples in {Milliseconds} ms")]
    public static partial void ModelTrained(ILogger logger, int examples, long milliseconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "LLM second opinion: offline {OfflineIntent} ({OfflineConfidence:F2}) -> {LlmIntent} ({LlmConfidence:F2})")]
    public static partial void LlmOpinion(ILogger logger, string offlineIntent, double offlineConfidence, string llmIntent, double llmConfidence);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "LLM intent classification failed; using the offline result")]
    public static partial void LlmFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "LLM returned an invalid label {Label}; using the offline result")]
    public static partial void LlmInvalidLabel(ILogger logger, string label);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "LLM intent classification timed out after {Seconds} s; using the offline result")]
    public static partial void LlmTimedOut(ILogger logger, int seconds);
}
