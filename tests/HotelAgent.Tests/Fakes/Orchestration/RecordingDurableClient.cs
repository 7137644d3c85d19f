using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace HotelAgent.Tests.Fakes.Orchestration;

/// <summary>
/// A <see cref="DurableTaskClient"/> (the type <c>[DurableClient]</c> gives a function) that answers from a table of
/// instances and records raised events, for calling function classes directly.
/// </summary>
public sealed class RecordingDurableClient() : DurableTaskClient("recording")
{
    public ConcurrentDictionary<string, OrchestrationRuntimeStatus> Instances { get; } = new();

    public ConcurrentQueue<(string InstanceId, string EventName, object? Payload)> Raised { get; } = new();

    /// <summary>Serialized custom statuses of instances, as the orchestrator sets them.</summary>
    public ConcurrentDictionary<string, string> CustomStatuses { get; } = new();

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(Instances.TryGetValue(instanceId, out var status)
            ? new OrchestrationMetadata("ConversationOrchestrator", instanceId) { RuntimeStatus = status, SerializedCustomStatus = CustomStatuses.GetValueOrDefault(instanceId) }
            : null);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        Raised.Enqueue((instanceId, eventName, eventPayload));
        return Task.CompletedTask;
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => default;
}
