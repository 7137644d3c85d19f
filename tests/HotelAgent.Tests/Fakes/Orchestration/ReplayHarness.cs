using Google.Protobuf.WellKnownTypes;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Orchestration.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Fakes.Orchestration;

/// <summary>
/// Plays the backend's part for executor tests: keeps the history, appends new events and the events that record
/// the returned actions (as the Durable Task backends do), and feeds the executor again.
/// </summary>
public sealed class ReplayHarness
{
    public static readonly DateTime T0 = new(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc);

    private readonly OrchestrationExecutor _executor;

    public ReplayHarness(OrchestratorRegistry registry, string instanceId = "inst-1")
    {
        _executor = new OrchestrationExecutor(registry, new ServiceCollection().BuildServiceProvider());
        InstanceId = instanceId;
        Now = T0;
    }

    public string InstanceId { get; }
    public DateTime Now { get; set; }
    public List<HistoryEvent> History { get; } = [];
    public List<OrchestratorResponse> Responses { get; } = [];

    public OrchestrationExecutor Executor => _executor;

    public OrchestratorResponse Start(string name, string? inputJson = null, params HistoryEvent[] more) =>
        Run([Started(name, inputJson), .. more]);

    public OrchestratorResponse Run(params HistoryEvent[] newEvents)
    {
        var request = new OrchestratorRequest { InstanceId = InstanceId };
        request.PastEvents.AddRange(History);
        request.NewEvents.Add(new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTime(Now), OrchestratorStarted = new() });
        request.NewEvents.AddRange(newEvents);
        var response = _executor.Execute(request);
        History.AddRange(request.NewEvents);
        foreach (var a in response.Actions)
        {
            switch (a.OrchestratorActionTypeCase)
            {
                case OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask:
                    History.Add(new HistoryEvent { EventId = a.Id, TaskScheduled = new TaskScheduledEvent { Name = a.ScheduleTask.Name, Input = a.ScheduleTask.Input } });
                    break;
                case OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer:
                    History.Add(new HistoryEvent { EventId = a.Id, TimerCreated = new TimerCreatedEvent { FireAt = a.CreateTimer.FireAt } });
                    break;
                case OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent:
                    History.Add(new HistoryEvent { EventId = a.Id, EventSent = new EventSentEvent { InstanceId = a.SendEvent.Instance.InstanceId, Name = a.SendEvent.Name, Input = a.SendEvent.Data } });
                    break;
            }
        }

        History.Add(new HistoryEvent { EventId = -1, OrchestratorCompleted = new() });
        Responses.Add(response);
        return response;
    }

    /// <summary>Replays the whole recorded history with no new events.</summary>
    public OrchestratorResponse Replay(OrchestrationExecutor? executor = null)
    {
        var request = new OrchestratorRequest { InstanceId = InstanceId };
        request.PastEvents.AddRange(History);
        return (executor ?? _executor).Execute(request);
    }

    public HistoryEvent Started(string name, string? inputJson) => new()
    {
        EventId = -1,
        ExecutionStarted = new ExecutionStartedEvent
        {
            Name = name,
            Input = inputJson,
            OrchestrationInstance = new OrchestrationInstance { InstanceId = InstanceId, ExecutionId = "exec-1" },
        },
    };

    public static HistoryEvent Completed(int taskId, string? resultJson) =>
        new() { EventId = -1, TaskCompleted = new TaskCompletedEvent { TaskScheduledId = taskId, Result = resultJson } };

    public static HistoryEvent Failed(int taskId, string message) =>
        new() { EventId = -1, TaskFailed = new TaskFailedEvent { TaskScheduledId = taskId, FailureDetails = new TaskFailureDetails { ErrorType = "System.InvalidOperationException", ErrorMessage = message } } };

    public static HistoryEvent Fired(int timerId, DateTime fireAt) =>
        new() { EventId = -1, TimerFired = new TimerFiredEvent { TimerId = timerId, FireAt = Timestamp.FromDateTime(fireAt) } };

    public static HistoryEvent Raised(string name, string? inputJson) =>
        new() { EventId = -1, EventRaised = new EventRaisedEvent { Name = name, Input = inputJson } };

    public static HistoryEvent Terminated(string? reasonJson) =>
        new() { EventId = -1, ExecutionTerminated = new ExecutionTerminatedEvent { Input = reasonJson } };
}
