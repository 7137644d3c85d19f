using Google.Protobuf.WellKnownTypes;
using HotelAgent.Core.Orchestration.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Orchestration;

/// <summary>
/// Replay executor of the Durable Task out-of-process protocol: replays <c>pastEvents</c>, applies
/// <c>newEvents</c>, runs the orchestrator to its next await point and returns the new actions.
/// Pure and synchronous: no I/O, no clock; safe to call concurrently for different instances.
/// </summary>
public sealed class OrchestrationExecutor
{
    private readonly OrchestratorRegistry _registry;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public OrchestrationExecutor(OrchestratorRegistry registry, IServiceProvider services, ILogger<OrchestrationExecutor>? logger = null)
    {
        _registry = registry;
        _services = services;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Runs one orchestration episode.</summary>
    public OrchestratorResponse Execute(OrchestratorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sync = new OrchestrationSynchronizationContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(sync);
        try
        {
            var runtime = new OrchestrationRuntime(request.InstanceId, request.ExecutionId, sync, CreateOrchestrator);
            var response = runtime.Run(request);
            Log.Executed(_logger, request.InstanceId, request.PastEvents.Count, request.NewEvents.Count, response.Actions.Count);
            return response;
        }
        finally
        {
            sync.Close();
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private IOrchestrator? CreateOrchestrator(string name) =>
        _registry.TryCreate(name, _services, out var orchestrator) ? orchestrator : null;
}

/// <summary>State of one execution: the orchestration context handed to orchestrator code.</summary>
internal sealed class OrchestrationRuntime : IOrchestrationContext
{
    private static readonly Guid GuidNamespace = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    private readonly OrchestrationSynchronizationContext _sync;
    private readonly Func<string, IOrchestrator?> _factory;
    private readonly SortedDictionary<int, OrchestratorAction> _openActions = [];
    private readonly Dictionary<int, (string Name, TaskCompletionSource<string?> Source)> _tasks = [];
    private readonly Dictionary<int, TaskCompletionSource<bool>> _timers = [];
    private readonly HashSet<int> _finishedIds = [];
    private readonly LinkedList<HistoryEvent> _bufferedEvents = new();
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private int _sequence;
    private int _guidCounter;
    private Task<object?>? _orchestratorTask;
    private string? _customStatusJson;
    private bool _customStatusSet;
    private (string? InputJson, bool Preserve)? _continueAsNew;
    private OrchestratorAction? _completion;

    public OrchestrationRuntime(string instanceId, string? executionId, OrchestrationSynchronizationContext sync, Func<string, IOrchestrator?> factory)
    {
        InstanceId = instanceId;
        ExecutionId = executionId;
        _sync = sync;
        _factory = factory;
    }

    public string InstanceId { get; private set; }
    public string? ExecutionId { get; private set; }
    public string Name { get; private set; } = "";
    public DateTime CurrentUtcDateTime { get; private set; }
    public bool IsReplaying { get; private set; }

    public OrchestratorResponse Run(OrchestratorRequest request)
    {
        var all = new List<(HistoryEvent Event, bool Replaying)>(request.PastEvents.Count + request.NewEvents.Count);
        all.AddRange(request.PastEvents.Select(e => (e, true)));
        all.AddRange(request.NewEvents.Select(e => (e, false)));
        var index = 0;
        try
        {
            for (; index < all.Count && _completion is null; index++)
            {
                IsReplaying = all[index].Replaying;
                Apply(all[index].Event);
                _sync.Drain();
                CheckOrchestrator();
            }

            if (_completion is null)
            {
                if (_orchestratorTask is null)
                {
                    throw new NonDeterministicOrchestrationException("The history has no executionStarted event: the orchestration was never started.");
                }

                CheckOrchestrator();
            }
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            Fail(ex);
        }

        var response = new OrchestratorResponse { InstanceId = InstanceId };
        if (_completion is { CompleteOrchestration: { } complete } &&
            complete.OrchestrationStatus is OrchestrationStatus.Failed or OrchestrationStatus.Terminated)
        {
            response.Actions.Add(_completion);
        }
        else
        {
            response.Actions.AddRange(_openActions.Values);
            if (_completion is not null)
            {
                if (_continueAsNew is { Preserve: true })
                {
                    // Events not yet seen by the orchestrator (after the completion point) are carried over too.
                    _completion.CompleteOrchestration.CarryoverEvents.AddRange(
                        all.Skip(index).Select(e => e.Event).Where(e => e.EventTypeCase == HistoryEvent.EventTypeOneofCase.EventRaised));
                }

                response.Actions.Add(_completion);
            }
        }

        if (_customStatusSet)
        {
            response.CustomStatus = _customStatusJson;
        }

        return response;
    }

    private void Apply(HistoryEvent e)
    {
        switch (e.EventTypeCase)
        {
            case HistoryEvent.EventTypeOneofCase.OrchestratorStarted:
                if (e.Timestamp is not null)
                {
                    CurrentUtcDateTime = e.Timestamp.ToDateTime();
                }

                break;
            case HistoryEvent.EventTypeOneofCase.ExecutionStarted:
                Start(e.ExecutionStarted);
                break;
            case HistoryEvent.EventTypeOneofCase.TaskScheduled:
                Match(e, OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask, e.TaskScheduled.Name);
                break;
            case HistoryEvent.EventTypeOneofCase.TimerCreated:
                Match(e, OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer, null);
                break;
            case HistoryEvent.EventTypeOneofCase.EventSent:
                Match(e, OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent, e.EventSent.Name);
                break;
            case HistoryEvent.EventTypeOneofCase.TaskCompleted:
                CompleteTask(e.TaskCompleted.TaskScheduledId, t => t.Source.TrySetResult(e.TaskCompleted.Result));
                break;
            case HistoryEvent.EventTypeOneofCase.TaskFailed:
                CompleteTask(e.TaskFailed.TaskScheduledId, t =>
                    t.Source.TrySetException(new TaskFailedException(t.Name, e.TaskFailed.TaskScheduledId, e.TaskFailed.FailureDetails)));
                break;
            case HistoryEvent.EventTypeOneofCase.TimerFired:
                FireTimer(e.TimerFired.TimerId);
                break;
            case HistoryEvent.EventTypeOneofCase.EventRaised:
                RaiseEvent(e);
                break;
            case HistoryEvent.EventTypeOneofCase.ExecutionTerminated:
                _completion = CompleteAction(OrchestrationStatus.Terminated, e.ExecutionTerminated.Input);
                break;
            case HistoryEvent.EventTypeOneofCase.SubOrchestrationInstanceCreated:
            case HistoryEvent.EventTypeOneofCase.SubOrchestrationInstanceCompleted:
            case HistoryEvent.EventTypeOneofCase.SubOrchestrationInstanceFailed:
                throw new NonDeterministicOrchestrationException(
                    $"History event {e.EventTypeCase} (id {e.EventId}) is not supported: this worker never creates sub-orchestrations.");
            default:
                // orchestratorCompleted, executionCompleted, continueAsNew, genericEvent, suspend/resume: nothing to replay.
                break;
        }
    }

    private void Start(ExecutionStartedEvent started)
    {
        if (_orchestratorTask is not null)
        {
            return;
        }

        Name = started.Name;
        if (!string.IsNullOrEmpty(started.OrchestrationInstance?.InstanceId))
        {
            InstanceId = started.OrchestrationInstance.InstanceId;
        }

        if (started.OrchestrationInstance?.ExecutionId is { } executionId)
        {
            ExecutionId = executionId;
        }

        var orchestrator = _factory(started.Name);
        if (orchestrator is null)
        {
            _orchestratorTask = Task.FromException<object?>(
                new InvalidOperationException($"Orchestrator '{started.Name}' is not registered."));
            return;
        }

        try
        {
            _orchestratorTask = orchestrator.RunAsync(this, started.Input);
        }
#pragma warning disable CA1031 // Any orchestrator exception fails the orchestration.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _orchestratorTask = Task.FromException<object?>(ex);
        }
    }

    private void Match(HistoryEvent e, OrchestratorAction.OrchestratorActionTypeOneofCase kind, string? name)
    {
        if (!_openActions.Remove(e.EventId, out var action))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{Name}' ({InstanceId}): history has {e.EventTypeCase} with id {e.EventId}{NamePart(name)}, " +
                "but the orchestrator code did not create that action at this point. The code changed while instances were in flight, " +
                "or it depends on something other than the context (clock, random, I/O).");
        }

        var actualName = action.OrchestratorActionTypeCase switch
        {
            OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask => action.ScheduleTask.Name,
            OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent => action.SendEvent.Name,
            _ => null,
        };
        if (action.OrchestratorActionTypeCase != kind ||
            (name is not null && !string.Equals(name, actualName, StringComparison.OrdinalIgnoreCase)))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{Name}' ({InstanceId}): history has {e.EventTypeCase} with id {e.EventId}{NamePart(name)}, " +
                $"but the orchestrator code created {action.OrchestratorActionTypeCase}{NamePart(actualName)} with that id.");
        }
    }

    private static string NamePart(string? name) => name is null ? "" : $" '{name}'";

    private void CompleteTask(int id, Action<(string Name, TaskCompletionSource<string?> Source)> complete)
    {
        if (_tasks.Remove(id, out var task))
        {
            _finishedIds.Add(id);
            complete(task);
            return;
        }

        if (_finishedIds.Contains(id))
        {
            return; // duplicate delivery: ignore
        }

        throw new NonDeterministicOrchestrationException(
            $"Non-deterministic orchestration '{Name}' ({InstanceId}): a completion refers to task {id}, which the orchestrator never scheduled.");
    }

    private void FireTimer(int id)
    {
        if (_timers.Remove(id, out var timer))
        {
            _finishedIds.Add(id);
            timer.TrySetResult(true);
            return;
        }

        if (!_finishedIds.Contains(id))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{Name}' ({InstanceId}): timerFired refers to timer {id}, which the orchestrator never created.");
        }
    }

    private void RaiseEvent(HistoryEvent e)
    {
        if (_waiters.TryGetValue(e.EventRaised.Name, out var waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value.TrySetResult(e.EventRaised.Input);
            return;
        }

        _bufferedEvents.AddLast(e);
    }

    private void CheckOrchestrator()
    {
        if (_orchestratorTask is null || _completion is not null)
        {
            return;
        }

        if (_sync.ForeignPostSeen)
        {
            throw new NonDeterministicOrchestrationException(
                $"Orchestrator '{Name}' ({InstanceId}) resumed on another thread after awaiting something that is not a durable task " +
                "(Task.Delay, I/O, Task.Run, locks...). Orchestrators may only await tasks created by IOrchestrationContext.");
        }

        if (_orchestratorTask.IsCompleted)
        {
            _completion = CompleteFrom(_orchestratorTask);
            return;
        }

        if (!HasPendingDurableWork())
        {
            throw new NonDeterministicOrchestrationException(
                $"Orchestrator '{Name}' ({InstanceId}) is awaiting something that is not a durable task (Task.Delay, I/O, Task.Run, locks...). " +
                "Orchestrators may only await tasks created by IOrchestrationContext.");
        }
    }

    private bool HasPendingDurableWork() =>
        _tasks.Count > 0 || _timers.Values.Any(t => !t.Task.IsCompleted) || _waiters.Values.Any(w => w.Count > 0);

    private OrchestratorAction CompleteFrom(Task<object?> task)
    {
        if (task.IsFaulted || task.IsCanceled)
        {
            var ex = task.Exception?.InnerExceptions.Count == 1 ? task.Exception.InnerException! : (Exception?)task.Exception ?? new TaskCanceledException();
            if (ex is NonDeterministicOrchestrationException nd)
            {
                throw nd;
            }

            return FailAction(ex);
        }

        if (_continueAsNew is { } can)
        {
            var action = CompleteAction(OrchestrationStatus.ContinuedAsNew, can.InputJson);
            if (can.Preserve)
            {
                action.CompleteOrchestration.CarryoverEvents.AddRange(_bufferedEvents);
            }

            return action;
        }

        return CompleteAction(OrchestrationStatus.Completed, OrchestrationJson.Serialize(task.Result));
    }

    private void Fail(Exception ex) => _completion = FailAction(ex);

    private OrchestratorAction FailAction(Exception ex)
    {
        var action = CompleteAction(OrchestrationStatus.Failed, null);
        action.CompleteOrchestration.FailureDetails = ToFailureDetails(ex);
        return action;
    }

    internal static TaskFailureDetails ToFailureDetails(Exception ex)
    {
        var details = new TaskFailureDetails
        {
            ErrorType = ex.GetType().FullName ?? ex.GetType().Name,
            ErrorMessage = ex.Message,
            StackTrace = ex.StackTrace,
        };
        if (ex is TaskFailedException { FailureDetails: { } inner })
        {
            details.InnerFailure = inner;
        }
        else if (ex.InnerException is { } innerEx)
        {
            details.InnerFailure = ToFailureDetails(innerEx);
        }

        return details;
    }

    private OrchestratorAction CompleteAction(OrchestrationStatus status, string? result) => new()
    {
        Id = _sequence++,
        CompleteOrchestration = new CompleteOrchestrationAction { OrchestrationStatus = status, Result = result },
    };

    // ---- IOrchestrationContext ----

    public Guid NewGuid()
    {
        var name = $"{InstanceId}_{CurrentUtcDateTime:o}_{_guidCounter++}";
        return NameBasedGuid.Create(GuidNamespace, name);
    }

    public async Task<T?> CallActivityAsync<T>(string name, object? input = null, RetryPolicy? retry = null) =>
        OrchestrationJson.Deserialize<T>(await CallActivityRawAsync(name, input, retry));

    public Task CallActivityAsync(string name, object? input = null, RetryPolicy? retry = null) =>
        CallActivityRawAsync(name, input, retry);

    private async Task<string?> CallActivityRawAsync(string name, object? input, RetryPolicy? retry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var inputJson = OrchestrationJson.Serialize(input);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ScheduleTask(name, inputJson);
            }
            catch (TaskFailedException ex) when (retry is not null && attempt < retry.MaxAttempts && (retry.Handle?.Invoke(ex) ?? true))
            {
                await CreateTimer(CurrentUtcDateTime + retry.DelayBefore(attempt + 1));
            }
        }
    }

    private Task<string?> ScheduleTask(string name, string? inputJson)
    {
        var id = _sequence++;
        _openActions.Add(id, new OrchestratorAction { Id = id, ScheduleTask = new ScheduleTaskAction { Name = name, Input = inputJson } });
        var source = new TaskCompletionSource<string?>();
        _tasks.Add(id, (name, source));
        return source.Task;
    }

    /// <summary>Longest single durable timer; longer waits are a chain of timers (as the .NET SDK does).</summary>
    internal static readonly TimeSpan MaxTimerInterval = TimeSpan.FromDays(3);

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default)
    {
        var utc = fireAt.Kind == DateTimeKind.Utc ? fireAt : DateTime.SpecifyKind(fireAt.ToUniversalTime(), DateTimeKind.Utc);
        return utc - CurrentUtcDateTime > MaxTimerInterval
            ? CreateLongTimerAsync(utc, cancellationToken)
            : CreateSingleTimer(utc, cancellationToken);
    }

    private async Task CreateLongTimerAsync(DateTime fireAt, CancellationToken cancellationToken)
    {
        while (fireAt - CurrentUtcDateTime > MaxTimerInterval)
        {
            await CreateSingleTimer(CurrentUtcDateTime + MaxTimerInterval, cancellationToken);
        }

        await CreateSingleTimer(fireAt, cancellationToken);
    }

    private Task CreateSingleTimer(DateTime utc, CancellationToken cancellationToken)
    {
        var id = _sequence++;
        _openActions.Add(id, new OrchestratorAction { Id = id, CreateTimer = new CreateTimerAction { FireAt = Timestamp.FromDateTime(utc) } });
        var source = new TaskCompletionSource<bool>();
        _timers.Add(id, source);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => source.TrySetCanceled(cancellationToken));
        }

        return source.Task;
    }

    public async Task<T?> WaitForExternalEvent<T>(string name, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        for (var node = _bufferedEvents.First; node is not null; node = node.Next)
        {
            if (string.Equals(node.Value.EventRaised.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                _bufferedEvents.Remove(node);
                return OrchestrationJson.Deserialize<T>(node.Value.EventRaised.Input);
            }
        }

        var source = new TaskCompletionSource<string?>();
        if (!_waiters.TryGetValue(name, out var list))
        {
            list = new LinkedList<TaskCompletionSource<string?>>();
            _waiters[name] = list;
        }

        var waiterNode = list.AddLast(source);
        if (timeout is { } t)
        {
            using var cts = new CancellationTokenSource();
            var timer = CreateTimer(CurrentUtcDateTime + t, cts.Token);
            var winner = await Task.WhenAny(source.Task, timer);
            if (winner != source.Task)
            {
                if (waiterNode.List is not null)
                {
                    list.Remove(waiterNode);
                }

                throw new TimeoutException($"External event '{name}' did not arrive within {t}.");
            }

            // Synchronous cancel: the callback must run on the orchestrator thread (CancelAsync would use the thread pool).
#pragma warning disable CA1849
            cts.Cancel();
#pragma warning restore CA1849
        }

        return OrchestrationJson.Deserialize<T>(await source.Task);
    }

    public void SendEvent(string instanceId, string eventName, object? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var id = _sequence++;
        _openActions.Add(id, new OrchestratorAction
        {
            Id = id,
            SendEvent = new SendEventAction
            {
                Instance = new OrchestrationInstance { InstanceId = instanceId },
                Name = eventName,
                Data = OrchestrationJson.Serialize(payload),
            },
        });
    }

    public void SetCustomStatus(object? customStatus)
    {
        _customStatusJson = OrchestrationJson.Serialize(customStatus);
        _customStatusSet = true;
    }

    public void ContinueAsNew(object? input, bool preserveUnprocessedEvents = true) =>
        _continueAsNew = (OrchestrationJson.Serialize(input), preserveUnprocessedEvents);

    public ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(this, logger);

    private sealed class ReplaySafeLogger(OrchestrationRuntime runtime, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !runtime.IsReplaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!runtime.IsReplaying)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
