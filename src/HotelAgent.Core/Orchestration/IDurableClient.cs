using System.Text.Json.Serialization;

namespace HotelAgent.Core.Orchestration;

/// <summary>Runtime status names as used by the Durable Functions HTTP API.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrchestrationRuntimeStatus>))]
public enum OrchestrationRuntimeStatus
{
    Running,
    Completed,
    ContinuedAsNew,
    Failed,
    Canceled,
    Terminated,
    Pending,
    Suspended,
}

/// <summary>Status of an orchestration instance (the management API's shape; JSON values as text).</summary>
public sealed record OrchestrationStatusInfo
{
    public required string Name { get; init; }
    public required string InstanceId { get; init; }
    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }
    public string? Input { get; init; }
    public string? CustomStatus { get; init; }
    public string? Output { get; init; }
    public DateTimeOffset CreatedTime { get; init; }
    public DateTimeOffset LastUpdatedTime { get; init; }

    /// <summary>History events as JSON text, only when asked for (shapes differ per backend).</summary>
    public string? HistoryJson { get; init; }

    /// <summary>Running, Pending or Suspended: the instance still accepts events.</summary>
    public bool IsActive => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending
        or OrchestrationRuntimeStatus.Suspended or OrchestrationRuntimeStatus.ContinuedAsNew;
}

/// <summary>Filters for <see cref="IDurableClient.ListAsync"/>; null means no filter.</summary>
public sealed record OrchestrationQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? RuntimeStatus { get; init; }
    public DateTimeOffset? CreatedTimeFrom { get; init; }
    public DateTimeOffset? CreatedTimeTo { get; init; }
    public string? InstanceIdPrefix { get; init; }
    public int Top { get; init; } = 100;
}

/// <summary>Result of <see cref="IDurableClient.StartOrRaiseAsync"/>.</summary>
public enum StartOrRaiseOutcome
{
    /// <summary>The instance was (re)started, then the event was raised to it.</summary>
    Started,

    /// <summary>The instance was running; the event was raised to it.</summary>
    Raised,
}

/// <summary>
/// Durable client port: the Functions host's HTTP management API (<see cref="DurableHttpManagementClient"/>) or the
/// standalone engine (<see cref="StandaloneOrchestrationEngine"/>).
/// </summary>
public interface IDurableClient
{
    /// <summary>Starts an instance with a chosen id. Throws <see cref="InvalidOperationException"/> if it is already active.</summary>
    Task<string> StartNewAsync(string orchestratorName, string instanceId, string? inputJson, CancellationToken cancellationToken = default);

    /// <summary>Raises an event. Returns false when the instance does not exist or is finished (404/410).</summary>
    Task<bool> RaiseEventAsync(string instanceId, string eventName, string? payloadJson, CancellationToken cancellationToken = default);

    /// <summary>Status, or null when the instance does not exist.</summary>
    Task<OrchestrationStatusInfo?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OrchestrationStatusInfo>> ListAsync(OrchestrationQuery query, CancellationToken cancellationToken = default);

    /// <summary>Terminates an active instance. Returns false when it does not exist or is already finished.</summary>
    Task<bool> TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken = default);

    /// <summary>Deletes a finished instance's history and status. Returns false when nothing was deleted.</summary>
    Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default);
}

public static class DurableClientExtensions
{
    /// <summary>
    /// Per-conversation pattern: if the instance is not active, start it with <paramref name="initialInputJson"/>;
    /// then raise the event. The event is never folded into the start input: every guest message reaches the
    /// orchestrator the same way. Both backends buffer events raised to a pending (just started) instance.
    /// </summary>
    public static async Task<StartOrRaiseOutcome> StartOrRaiseAsync(this IDurableClient client, string orchestratorName, string instanceId,
        string eventName, string? payloadJson, string? initialInputJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        for (var attempt = 0; ; attempt++)
        {
            var status = await client.GetStatusAsync(instanceId, false, cancellationToken).ConfigureAwait(false);
            if (status is { IsActive: true } && await client.RaiseEventAsync(instanceId, eventName, payloadJson, cancellationToken).ConfigureAwait(false))
            {
                return StartOrRaiseOutcome.Raised;
            }

            try
            {
                await client.StartNewAsync(orchestratorName, instanceId, initialInputJson, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                continue; // started concurrently by someone else: raise to it
            }

            if (await client.RaiseEventAsync(instanceId, eventName, payloadJson, cancellationToken).ConfigureAwait(false))
            {
                return StartOrRaiseOutcome.Started;
            }

            if (attempt >= 3)
            {
                throw new InvalidOperationException($"Could not deliver event '{eventName}' to orchestration '{instanceId}'.");
            }
        }
    }
}
