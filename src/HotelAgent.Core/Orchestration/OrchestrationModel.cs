using System.Text.Json;
using HotelAgent.Core.Orchestration.Protocol;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Orchestration;

/// <summary>
/// What an orchestrator sees. Every member is deterministic under replay: orchestrator code must only
/// await tasks returned by this context (see docs/orchestration.md for the rules).
/// </summary>
public interface IOrchestrationContext
{
    /// <summary>Instance id (e.g. the conversation id).</summary>
    string InstanceId { get; }

    /// <summary>Execution id of the current generation (changes on continue-as-new).</summary>
    string? ExecutionId { get; }

    /// <summary>Orchestrator name.</summary>
    string Name { get; }

    /// <summary>Timestamp of the latest orchestratorStarted event: use instead of the clock.</summary>
    DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the orchestrator replays history (side effects already happened).</summary>
    bool IsReplaying { get; }

    /// <summary>Deterministic GUID (name-based UUID v5 from instance id, current time and a counter).</summary>
    Guid NewGuid();

    /// <summary>Schedules an activity; the result is the activity's JSON result deserialized as <typeparamref name="T"/>.</summary>
    /// <exception cref="TaskFailedException">The activity failed (after all retries).</exception>
    Task<T?> CallActivityAsync<T>(string name, object? input = null, RetryPolicy? retry = null);

    /// <summary>Schedules an activity whose result is ignored.</summary>
    Task CallActivityAsync(string name, object? input = null, RetryPolicy? retry = null);

    /// <summary>A durable timer. Cancelling the token completes the task as cancelled (the timer stays in history).</summary>
    Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for the next external event named <paramref name="name"/> (case-insensitive). Events raised before
    /// the call are buffered and delivered in order. With a timeout a durable timer races the event; when the timer
    /// wins a <see cref="TimeoutException"/> is thrown (the event, if it arrives later, stays buffered for the next wait).
    /// </summary>
    Task<T?> WaitForExternalEvent<T>(string name, TimeSpan? timeout = null);

    /// <summary>Sends an event to another orchestration instance (fire and forget).</summary>
    void SendEvent(string instanceId, string eventName, object? payload);

    /// <summary>Custom status shown by the management API and the Durable Functions Monitor (serialized as JSON).</summary>
    void SetCustomStatus(object? customStatus);

    /// <summary>
    /// Restarts the orchestration with a new input and an empty history once the orchestrator returns.
    /// With <paramref name="preserveUnprocessedEvents"/> the buffered external events are carried over.
    /// </summary>
    void ContinueAsNew(object? input, bool preserveUnprocessedEvents = true);

    /// <summary>A logger that is silent while replaying.</summary>
    ILogger CreateReplaySafeLogger(ILogger logger);
}

/// <summary>An orchestrator function. A new instance is created for every execution (replay).</summary>
public interface IOrchestrator
{
    /// <summary>Runs the orchestration; the returned value is serialized as the output.</summary>
    Task<object?> RunAsync(IOrchestrationContext context, string? inputJson);
}

/// <summary>Typed orchestrator base class: input and output are JSON (web defaults).</summary>
public abstract class Orchestrator<TInput, TOutput> : IOrchestrator
{
    public abstract Task<TOutput> RunAsync(IOrchestrationContext context, TInput? input);

    async Task<object?> IOrchestrator.RunAsync(IOrchestrationContext context, string? inputJson)
    {
        var input = OrchestrationJson.Deserialize<TInput>(inputJson);
        return await RunAsync(context, input);
    }
}

/// <summary>Retry of a failed activity: durable timers between attempts with exponential backoff.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient = 2.0, TimeSpan? MaxRetryInterval = null)
{
    /// <summary>Optional filter: return false to stop retrying for this failure.</summary>
    public Func<TaskFailedException, bool>? Handle { get; init; }

    /// <summary>Delay before attempt number <paramref name="nextAttempt"/> (2 = first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var factor = Math.Pow(BackoffCoefficient, Math.Max(0, nextAttempt - 2));
        var ticks = FirstRetryInterval.Ticks * factor;
        var delay = ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        return MaxRetryInterval is { } max && delay > max ? max : delay;
    }
}

/// <summary>An activity (or a retried activity) failed; <see cref="FailureDetails"/> says why.</summary>
public sealed class TaskFailedException : Exception
{
    public TaskFailedException() { }
    public TaskFailedException(string message) : base(message) { }
    public TaskFailedException(string message, Exception inner) : base(message, inner) { }

    internal TaskFailedException(string activityName, int taskId, TaskFailureDetails? details)
        : base($"Activity '{activityName}' (task {taskId}) failed: {details?.ErrorType}: {details?.ErrorMessage}")
    {
        ActivityName = activityName;
        TaskId = taskId;
        ErrorType = details?.ErrorType;
        ErrorMessage = details?.ErrorMessage;
        FailureDetails = details;
    }

    public string? ActivityName { get; }
    public int TaskId { get; }
    public string? ErrorType { get; }
    public string? ErrorMessage { get; }
    internal TaskFailureDetails? FailureDetails { get; }
}

/// <summary>The orchestrator code does not match its history or awaited something that is not durable.</summary>
public sealed class NonDeterministicOrchestrationException : InvalidOperationException
{
    public NonDeterministicOrchestrationException() { }
    public NonDeterministicOrchestrationException(string message) : base(message) { }
    public NonDeterministicOrchestrationException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>JSON conventions of the orchestration layer (System.Text.Json, web defaults).</summary>
public static class OrchestrationJson
{
    /// <summary>Web defaults; non-ASCII text (Spanish) is kept readable in custom status and history (never embedded in HTML).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static T? Deserialize<T>(string? json) =>
        string.IsNullOrWhiteSpace(json) ? default : JsonSerializer.Deserialize<T>(json, Options);
}
