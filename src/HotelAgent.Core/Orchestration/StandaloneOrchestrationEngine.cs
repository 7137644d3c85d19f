using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HotelAgent.Core.Orchestration.Protocol;
using HotelAgent.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Core.Orchestration;

/// <summary>Settings of the standalone engine (section <c>Orchestration</c>).</summary>
public sealed class StandaloneEngineOptions
{
    public const string SectionName = "Orchestration";

    /// <summary>SQLite file name under <c>HotelAgent:DataDirectory</c> (or an absolute path).</summary>
    public string DatabaseFileName { get; set; } = "orchestrations.db";

    /// <summary>Orchestration steps run in parallel for different instances (never two for one instance).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 256)]
    public int MaxConcurrentOrchestrations { get; set; } = 4;

    /// <summary>Activities run in parallel.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 256)]
    public int MaxConcurrentActivities { get; set; } = 8;

    /// <summary>
    /// False (default): SQLite <c>synchronous=NORMAL</c> in WAL mode — every commit survives a process crash or kill, the last
    /// commits may be lost on an OS crash or power cut. True: <c>synchronous=FULL</c> (an fsync per commit, slower turns).
    /// </summary>
    public bool DurableAgainstPowerLoss { get; set; }

    /// <summary>Safety-net poll for due timers and stranded events (new work is signalled in-process).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Single-process durable orchestration engine on SQLite (WAL). It feeds the same <see cref="OrchestrationExecutor"/>
/// as the Functions host and implements <see cref="IDurableClient"/>. Every state change is one transaction, so a
/// crash loses nothing committed and repeats nothing committed; activities are at-least-once (an activity that was
/// running when the process died runs again after restart).
/// </summary>
public sealed class StandaloneOrchestrationEngine : BackgroundService, IDurableClient
{
    private const int PrioStart = 0;
    private const int PrioNormal = 1;
    private const int KindEvent = 0;
    private const int KindTimer = 1;
    private const int KindTaskResult = 2;

    private readonly OrchestrationExecutor _executor;
    private readonly ActivityDispatcher _activities;
    private readonly StandaloneEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SqliteDatabase _db;
    private readonly HistoryCache _historyCache = new();
    private long _pollerWakeAtMs = long.MaxValue;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Lock _gate = new();
    private readonly HashSet<string> _scheduled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly Channel<ActivityWorkItem> _activityQueue = Channel.CreateUnbounded<ActivityWorkItem>();
    private volatile bool _disposed;

    public StandaloneOrchestrationEngine(string databasePath, OrchestrationExecutor executor, ActivityDispatcher activities,
        StandaloneEngineOptions? options = null, TimeProvider? timeProvider = null, ILogger<StandaloneOrchestrationEngine>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _executor = executor;
        _activities = activities;
        _options = options ?? new StandaloneEngineOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _db = new SqliteDatabase(DatabasePath, _options.DurableAgainstPowerLoss, CreateSchema);
    }

    public string DatabasePath { get; }

    /// <summary>Test hook: called with (instanceId, true) before and (instanceId, false) after every step.</summary>
    internal Action<string, bool>? StepObserver { get; set; }

    private sealed record ActivityWorkItem(long Id, string InstanceId, int TaskId, string Name, string? Input);

    // ------------------------------------------------------------------ hosting

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _db.EnsureInitializedAsync(stoppingToken).ConfigureAwait(false);
        var pending = await LoadPendingActivitiesAsync(stoppingToken).ConfigureAwait(false);
        foreach (var item in pending)
        {
            _activityQueue.Writer.TryWrite(item);
        }

        var runnable = await SignalDueInstancesAsync(stoppingToken).ConfigureAwait(false);
        Log.EngineStarted(_logger, DatabasePath, runnable, pending.Count);

        var workers = new List<Task>();
        for (var i = 0; i < _options.MaxConcurrentOrchestrations; i++)
        {
            workers.Add(Task.Run(() => OrchestrationWorkerAsync(stoppingToken), CancellationToken.None));
        }

        for (var i = 0; i < _options.MaxConcurrentActivities; i++)
        {
            workers.Add(Task.Run(() => ActivityWorkerAsync(stoppingToken), CancellationToken.None));
        }

        workers.Add(Task.Run(() => PollLoopAsync(stoppingToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        // No graceful drain: from now on nothing is committed (in-flight work is redone by the next engine).
        _disposed = true;
        base.Dispose();
        _db.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task OrchestrationWorkerAsync(CancellationToken ct)
    {
        await foreach (var instanceId in _ready.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                while (!ct.IsCancellationRequested && await RunStepAsync(instanceId, ct).ConfigureAwait(false))
                {
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (_disposed)
            {
                return;
            }
#pragma warning disable CA1031 // The poller retries the instance; one bad step must not stop the worker.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.StepFailed(_logger, instanceId, ex);
            }
            finally
            {
                lock (_gate)
                {
                    if (_dirty.Remove(instanceId))
                    {
                        _ready.Writer.TryWrite(instanceId);
                    }
                    else
                    {
                        _scheduled.Remove(instanceId);
                    }
                }
            }
        }
    }

    private void Signal(string instanceId)
    {
        lock (_gate)
        {
            if (_scheduled.Add(instanceId))
            {
                _ready.Writer.TryWrite(instanceId);
            }
            else
            {
                _dirty.Add(instanceId);
            }
        }
    }

    private async Task PollLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TimeSpan delay = _options.PollInterval;
            try
            {
                await SignalDueInstancesAsync(ct).ConfigureAwait(false);
                var next = await NextDueAsync(ct).ConfigureAwait(false);
                if (next is { } due)
                {
                    var untilDue = TimeSpan.FromMilliseconds(Math.Max(1, due - NowMs()));
                    if (untilDue < delay)
                    {
                        delay = untilDue;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Keep polling whatever happens.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.StepFailed(_logger, "(poll)", ex);
            }

            try
            {
                Volatile.Write(ref _pollerWakeAtMs, NowMs() + (long)delay.TotalMilliseconds);
                await _wake.WaitAsync(delay, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ActivityWorkerAsync(CancellationToken ct)
    {
        await foreach (var item in _activityQueue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            HistoryEvent result;
            try
            {
                var output = await _activities.InvokeAsync(item.Name, item.Input, ct).ConfigureAwait(false);
                result = new HistoryEvent
                {
                    EventId = -1,
                    Timestamp = Now(),
                    TaskCompleted = new TaskCompletedEvent { TaskScheduledId = item.TaskId, Result = output },
                };
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any activity exception becomes a TaskFailed event.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ActivityFailed(_logger, item.Name, item.InstanceId, ex);
                result = new HistoryEvent
                {
                    EventId = -1,
                    Timestamp = Now(),
                    TaskFailed = new TaskFailedEvent { TaskScheduledId = item.TaskId, FailureDetails = OrchestrationRuntime.ToFailureDetails(ex) },
                };
            }

            if (!await CommitActivityResultAsync(item, result, ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Commits an activity result, retrying storage errors; false when the engine stops.</summary>
    private async Task<bool> CommitActivityResultAsync(ActivityWorkItem item, HistoryEvent result, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var delivered = await WriteAsync(w =>
                {
                    if (Exec(w, "DELETE FROM activities WHERE id=$id", ("$id", item.Id)) == 0)
                    {
                        return false; // the execution that scheduled it is gone (completed, continued-as-new, purged)
                    }

                    InsertInbox(w, item.InstanceId, PrioNormal, NowMs(), KindTaskResult, result);
                    return true;
                }, ct).ConfigureAwait(false);
                if (delivered)
                {
                    Signal(item.InstanceId);
                }

                return true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return false;
            }
            catch (ObjectDisposedException) when (_disposed)
            {
                return false;
            }
            catch (SqliteException ex)
            {
                Log.StepFailed(_logger, item.InstanceId, ex);
                try
                {
                    await Task.Delay(_options.PollInterval, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }
    }

    // ------------------------------------------------------------------ orchestration step

    /// <summary>Runs one episode for the instance; true when events were consumed (run again to pick newer ones).</summary>
    private async Task<bool> RunStepAsync(string instanceId, CancellationToken ct)
    {
        StepObserver?.Invoke(instanceId, true);
        try
        {
            return await RunStepCoreAsync(instanceId, ct).ConfigureAwait(false);
        }
        finally
        {
            StepObserver?.Invoke(instanceId, false);
        }
    }

    private async Task<bool> RunStepCoreAsync(string instanceId, CancellationToken ct)
    {
        var nowMs = NowMs();
        InstanceRow? row;
        IReadOnlyList<HistoryEvent> past = [];
        var inbox = new List<(long Id, HistoryEvent Event)>();
        var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            row = await ReadInstanceAsync(conn, instanceId, ct).ConfigureAwait(false);
            await using (var cmd = Command(conn, "SELECT id, event FROM inbox WHERE instance_id=$i AND visible_at<=$now ORDER BY prio, id",
                ("$i", instanceId), ("$now", nowMs)))
            {
                var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        inbox.Add((reader.GetInt64(0), HistoryEvent.Parser.ParseFrom((byte[])reader[1])));
                    }
                }
            }

            if (inbox.Count == 0)
            {
                return false;
            }

            if (row is null || !IsActive(row.Status))
            {
                // Events for finished or unknown instances are dropped (as the Durable Task backends do), unless the
                // instance was (re)started meanwhile: then run the step again.
                var dropped = await WriteAsync(w =>
                {
                    if (ReadInstance(w, instanceId) is { } current && IsActive(current.Status))
                    {
                        return 0;
                    }

                    foreach (var (id, _) in inbox)
                    {
                        Exec(w, "DELETE FROM inbox WHERE id=$id", ("$id", id));
                    }

                    return inbox.Count;
                }, ct).ConfigureAwait(false);
                return dropped == 0;
            }

            if (_historyCache.TryGet(instanceId, row.ExecutionId) is { } cached)
            {
                past = cached;
            }
            else
            {
                var loaded = new List<HistoryEvent>();
                past = loaded;
                await using var cmd = Command(conn, "SELECT event FROM history WHERE instance_id=$i ORDER BY seq", ("$i", instanceId));
                var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        loaded.Add(HistoryEvent.Parser.ParseFrom((byte[])reader[0]));
                    }
                }
            }
        }

        var request = new OrchestratorRequest { InstanceId = instanceId, ExecutionId = row.ExecutionId };
        request.PastEvents.AddRange(past);
        request.NewEvents.Add(new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTimeOffset(FromMs(nowMs)), OrchestratorStarted = new() });
        request.NewEvents.AddRange(inbox.Select(i => i.Event));

        var response = _executor.Execute(request);

        var newActivities = new List<ActivityWorkItem>();
        var signals = new List<string>();
        string? finishedStatus = null;
        long? timerDueMs = null;
        string? newExecutionId = null;
        var append = new List<HistoryEvent>(request.NewEvents);
        try
        {
        await WriteAsync(w =>
        {
            foreach (var (id, _) in inbox)
            {
                Exec(w, "DELETE FROM inbox WHERE id=$id", ("$id", id));
            }

            var seq = past.Count;
            CompleteOrchestrationAction? completion = null;
            foreach (var action in response.Actions)
            {
                var ts = Timestamp.FromDateTimeOffset(FromMs(nowMs));
                switch (action.OrchestratorActionTypeCase)
                {
                    case OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask:
                        append.Add(new HistoryEvent
                        {
                            EventId = action.Id,
                            Timestamp = ts,
                            TaskScheduled = new TaskScheduledEvent { Name = action.ScheduleTask.Name, Input = action.ScheduleTask.Input },
                        });
                        var activityId = InsertScalar(w,
                            "INSERT INTO activities(instance_id, execution_id, task_id, name, input) VALUES($i,$e,$t,$n,$in) RETURNING id",
                            ("$i", instanceId), ("$e", row.ExecutionId), ("$t", action.Id), ("$n", action.ScheduleTask.Name), ("$in", action.ScheduleTask.Input));
                        newActivities.Add(new ActivityWorkItem(activityId, instanceId, action.Id, action.ScheduleTask.Name, action.ScheduleTask.Input));
                        break;
                    case OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer:
                        append.Add(new HistoryEvent { EventId = action.Id, Timestamp = ts, TimerCreated = new TimerCreatedEvent { FireAt = action.CreateTimer.FireAt } });
                        var fired = new HistoryEvent
                        {
                            EventId = -1,
                            Timestamp = action.CreateTimer.FireAt,
                            TimerFired = new TimerFiredEvent { FireAt = action.CreateTimer.FireAt, TimerId = action.Id },
                        };
                        var fireMs = action.CreateTimer.FireAt.ToDateTimeOffset().ToUnixTimeMilliseconds();
                        InsertInbox(w, instanceId, PrioNormal, fireMs, KindTimer, fired);
                        timerDueMs = Math.Min(timerDueMs ?? long.MaxValue, fireMs);
                        break;
                    case OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent:
                        var send = action.SendEvent;
                        append.Add(new HistoryEvent
                        {
                            EventId = action.Id,
                            Timestamp = ts,
                            EventSent = new EventSentEvent { InstanceId = send.Instance?.InstanceId ?? "", Name = send.Name, Input = send.Data },
                        });
                        var target = send.Instance?.InstanceId;
                        if (target is not null && ReadInstance(w, target) is { } t && IsActive(t.Status))
                        {
                            InsertInbox(w, target, PrioNormal, nowMs, KindEvent, new HistoryEvent
                            {
                                EventId = -1,
                                Timestamp = ts,
                                EventRaised = new EventRaisedEvent { Name = send.Name, Input = send.Data },
                            });
                            signals.Add(target);
                        }

                        break;
                    case OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration:
                        completion = action.CompleteOrchestration;
                        break;
                    default:
                        throw new NotSupportedException($"Action {action.OrchestratorActionTypeCase} is not supported by the standalone engine.");
                }
            }

            append.Add(new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTimeOffset(FromMs(nowMs)), OrchestratorCompleted = new() });
            var customStatus = response.CustomStatus ?? row.CustomStatus;

            if (completion is { OrchestrationStatus: OrchestrationStatus.ContinuedAsNew })
            {
                // New generation: empty history, new execution id, the new input and the carried-over events first.
                var executionId = Guid.NewGuid().ToString("N");
                newExecutionId = executionId;
                Exec(w, "DELETE FROM history WHERE instance_id=$i", ("$i", instanceId));
                Exec(w, $"DELETE FROM inbox WHERE instance_id=$i AND kind<>{KindEvent}", ("$i", instanceId));
                Exec(w, "DELETE FROM activities WHERE instance_id=$i", ("$i", instanceId));
                newActivities.Clear();
                InsertInbox(w, instanceId, PrioStart, nowMs, KindEvent, new HistoryEvent
                {
                    EventId = -1,
                    Timestamp = Timestamp.FromDateTimeOffset(FromMs(nowMs)),
                    ExecutionStarted = new ExecutionStartedEvent
                    {
                        Name = row.Name,
                        Input = completion.Result,
                        OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId },
                    },
                });
                foreach (var carried in completion.CarryoverEvents)
                {
                    InsertInbox(w, instanceId, PrioStart, nowMs, KindEvent, carried);
                }

                Exec(w,
                    "UPDATE instances SET execution_id=$e, status=$s, input=$in, custom_status=$cs, updated_at=$now WHERE instance_id=$i",
                    ("$e", executionId), ("$s", (int)OrchestrationRuntimeStatus.Running), ("$in", completion.Result),
                    ("$cs", customStatus), ("$now", nowMs), ("$i", instanceId));
                signals.Add(instanceId);
                return true;
            }

            foreach (var e in append)
            {
                Exec(w, "INSERT INTO history(instance_id, seq, event) VALUES($i,$s,$e)",
                    ("$i", instanceId), ("$s", seq++), ("$e", e.ToByteArray()));
            }

            if (completion is not null)
            {
                var status = completion.OrchestrationStatus switch
                {
                    OrchestrationStatus.Completed => OrchestrationRuntimeStatus.Completed,
                    OrchestrationStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
                    OrchestrationStatus.Canceled => OrchestrationRuntimeStatus.Canceled,
                    _ => OrchestrationRuntimeStatus.Failed,
                };
                var output = status == OrchestrationRuntimeStatus.Failed
                    ? OrchestrationJson.Serialize($"{completion.FailureDetails?.ErrorType}: {completion.FailureDetails?.ErrorMessage}")
                    : completion.Result;
                Exec(w, "INSERT INTO history(instance_id, seq, event) VALUES($i,$s,$e)", ("$i", instanceId), ("$s", seq++),
                    ("$e", new HistoryEvent
                    {
                        EventId = -1,
                        Timestamp = Timestamp.FromDateTimeOffset(FromMs(nowMs)),
                        ExecutionCompleted = new ExecutionCompletedEvent
                        {
                            OrchestrationStatus = completion.OrchestrationStatus,
                            Result = completion.Result,
                            FailureDetails = completion.FailureDetails,
                        },
                    }.ToByteArray()));
                Exec(w, "DELETE FROM inbox WHERE instance_id=$i", ("$i", instanceId));
                Exec(w, "DELETE FROM activities WHERE instance_id=$i", ("$i", instanceId));
                newActivities.Clear();
                Exec(w,
                    "UPDATE instances SET status=$s, output=$o, failure=$f, custom_status=$cs, updated_at=$now WHERE instance_id=$i",
                    ("$s", (int)status), ("$o", output), ("$f", completion.FailureDetails is null ? null : JsonFormatter.Default.Format(completion.FailureDetails)),
                    ("$cs", customStatus), ("$now", nowMs), ("$i", instanceId));
                finishedStatus = status.ToString();
                return true;
            }

            Exec(w, "UPDATE instances SET status=$s, custom_status=$cs, updated_at=$now WHERE instance_id=$i",
                ("$s", (int)OrchestrationRuntimeStatus.Running), ("$cs", customStatus), ("$now", nowMs), ("$i", instanceId));
            return true;
        }, ct).ConfigureAwait(false);
        }
        catch
        {
            _historyCache.Remove(instanceId); // nothing was committed: the next step reloads from the database
            throw;
        }

        if (newExecutionId is not null)
        {
            _historyCache.Set(instanceId, newExecutionId, []);
        }
        else if (finishedStatus is not null)
        {
            _historyCache.Remove(instanceId);
        }
        else
        {
            _historyCache.Set(instanceId, row.ExecutionId, [.. past, .. append]);
        }

        foreach (var item in newActivities)
        {
            _activityQueue.Writer.TryWrite(item);
        }

        foreach (var s in signals)
        {
            Signal(s);
        }

        if (finishedStatus is not null)
        {
            Log.InstanceFinished(_logger, instanceId, finishedStatus);
        }

        if (timerDueMs is { } due && due < Volatile.Read(ref _pollerWakeAtMs) && _wake.CurrentCount == 0)
        {
            _wake.Release(); // the new timer is due before the poller's current wait ends
        }

        return true;
    }

    // ------------------------------------------------------------------ IDurableClient

    public async Task<string> StartNewAsync(string orchestratorName, string instanceId, string? inputJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var nowMs = NowMs();
        var input = NormalizeJson(inputJson);
        await WriteAsync(w =>
        {
            var existing = ReadInstance(w, instanceId);
            if (existing is not null && IsActive(existing.Status))
            {
                throw new InvalidOperationException($"Orchestration instance '{instanceId}' already exists and is {existing.Status}.");
            }

            DeleteInstanceData(w, instanceId);
            var executionId = Guid.NewGuid().ToString("N");
            Exec(w,
                "INSERT INTO instances(instance_id, name, execution_id, status, input, created_at, updated_at) VALUES($i,$n,$e,$s,$in,$now,$now)",
                ("$i", instanceId), ("$n", orchestratorName), ("$e", executionId), ("$s", (int)OrchestrationRuntimeStatus.Pending),
                ("$in", input), ("$now", nowMs));
            InsertInbox(w, instanceId, PrioStart, nowMs, KindEvent, new HistoryEvent
            {
                EventId = -1,
                Timestamp = Timestamp.FromDateTimeOffset(FromMs(nowMs)),
                ExecutionStarted = new ExecutionStartedEvent
                {
                    Name = orchestratorName,
                    Input = input,
                    OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId },
                },
            });
            return true;
        }, cancellationToken).ConfigureAwait(false);
        Signal(instanceId);
        return instanceId;
    }

    public Task<bool> RaiseEventAsync(string instanceId, string eventName, string? payloadJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return EnqueueForActiveAsync(instanceId, new EventRaisedEvent { Name = eventName, Input = NormalizeJson(payloadJson) }, null, cancellationToken);
    }

    public Task<bool> TerminateAsync(string instanceId, string? reason, CancellationToken cancellationToken = default) =>
        EnqueueForActiveAsync(instanceId, null, new ExecutionTerminatedEvent { Input = OrchestrationJson.Serialize(reason) }, cancellationToken);

    private async Task<bool> EnqueueForActiveAsync(string instanceId, EventRaisedEvent? raised, ExecutionTerminatedEvent? terminated, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var nowMs = NowMs();
        var ok = await WriteAsync(w =>
        {
            var row = ReadInstance(w, instanceId);
            if (row is null || !IsActive(row.Status))
            {
                return false;
            }

            var e = new HistoryEvent { EventId = -1, Timestamp = Timestamp.FromDateTimeOffset(FromMs(nowMs)) };
            if (raised is not null)
            {
                e.EventRaised = raised;
            }
            else
            {
                e.ExecutionTerminated = terminated;
            }

            InsertInbox(w, instanceId, PrioNormal, nowMs, KindEvent, e);
            return true;
        }, ct).ConfigureAwait(false);
        if (ok)
        {
            Signal(instanceId);
        }

        return ok;
    }

    public async Task<OrchestrationStatusInfo?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken cancellationToken = default)
    {
        var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var row = await ReadInstanceAsync(conn, instanceId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            string? history = null;
            if (showHistory)
            {
                var sb = new StringBuilder("[");
                await using var cmd = Command(conn, "SELECT event FROM history WHERE instance_id=$i ORDER BY seq", ("$i", instanceId));
                var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (sb.Length > 1)
                        {
                            sb.Append(',');
                        }

                        sb.Append(JsonFormatter.Default.Format(HistoryEvent.Parser.ParseFrom((byte[])reader[0])));
                    }
                }

                history = sb.Append(']').ToString();
            }

            return row.ToInfo(history);
        }
    }

    public async Task<IReadOnlyList<OrchestrationStatusInfo>> ListAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {InstanceRow.Columns} FROM instances WHERE 1=1");
        var args = new List<(string, object?)>();
        if (query.RuntimeStatus is { Count: > 0 } statuses)
        {
            sql.Append(" AND status IN (").Append(string.Join(',', statuses.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)))).Append(')');
        }

        if (query.CreatedTimeFrom is { } from)
        {
            sql.Append(" AND created_at >= $from");
            args.Add(("$from", from.ToUnixTimeMilliseconds()));
        }

        if (query.CreatedTimeTo is { } to)
        {
            sql.Append(" AND created_at <= $to");
            args.Add(("$to", to.ToUnixTimeMilliseconds()));
        }

        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            sql.Append(" AND substr(instance_id, 1, length($p)) = $p");
            args.Add(("$p", query.InstanceIdPrefix));
        }

        sql.Append(" ORDER BY created_at, instance_id LIMIT $top");
        args.Add(("$top", query.Top));
        var results = new List<OrchestrationStatusInfo>();
        var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = Command(conn, sql.ToString(), [.. args]);
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    results.Add(InstanceRow.Read(reader).ToInfo(null));
                }
            }
        }

        return results;
    }

    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        return await WriteAsync(w =>
        {
            var row = ReadInstance(w, instanceId);
            if (row is null || IsActive(row.Status))
            {
                return false;
            }

            DeleteInstanceData(w, instanceId);
            _historyCache.Remove(instanceId);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ storage helpers

    private static readonly string ActiveStatusList = string.Join(',', new[]
    {
        OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended, OrchestrationRuntimeStatus.ContinuedAsNew,
    }.Select(x => ((int)x).ToString(CultureInfo.InvariantCulture)));

    private static bool IsActive(OrchestrationRuntimeStatus s) =>
        s is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended or OrchestrationRuntimeStatus.ContinuedAsNew;

    private static string? NormalizeJson(string? json) => string.IsNullOrWhiteSpace(json) || json.Trim() == "null" ? null : json;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private Timestamp Now() => Timestamp.FromDateTimeOffset(_time.GetUtcNow());

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static void CreateSchema(SqliteWriter w) => w.ExecuteScript("""
            CREATE TABLE IF NOT EXISTS instances(
              instance_id TEXT PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL, status INTEGER NOT NULL,
              input TEXT, output TEXT, custom_status TEXT, failure TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS history(
              instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event BLOB NOT NULL, PRIMARY KEY(instance_id, seq));
            CREATE TABLE IF NOT EXISTS inbox(
              id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, prio INTEGER NOT NULL,
              visible_at INTEGER NOT NULL, kind INTEGER NOT NULL, event BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_inbox_instance ON inbox(instance_id, prio, id);
            CREATE INDEX IF NOT EXISTS ix_inbox_visible ON inbox(visible_at);
            CREATE TABLE IF NOT EXISTS activities(
              id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL,
              task_id INTEGER NOT NULL, name TEXT NOT NULL, input TEXT);
            CREATE INDEX IF NOT EXISTS ix_activities_instance ON activities(instance_id);
            """);

    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => _db.OpenReadConnectionAsync(ct);

    /// <summary>
    /// One write transaction on the database's single writer (statements stay prepared); refused once the engine is
    /// disposed, and a "killed" engine commits nothing.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _db.WriteAsync(w =>
        {
            var result = work(w);
            ObjectDisposedException.ThrowIf(_disposed, this);
            return result;
        }, ct);
    }

    private static SqliteCommand Command(SqliteConnection conn, string sql, params (string Name, object? Value)[] args) =>
        SqliteCommands.Create(conn, sql, args);

    private static int Exec(SqliteWriter w, string sql, params (string Name, object? Value)[] args) => w.Execute(sql, args);

    private static long InsertScalar(SqliteWriter w, string sql, params (string Name, object? Value)[] args) =>
        Convert.ToInt64(w.Scalar(sql, args), CultureInfo.InvariantCulture);

    private static int InsertInbox(SqliteWriter w, string instanceId, int prio, long visibleAt, int kind, HistoryEvent e) =>
        w.Execute("INSERT INTO inbox(instance_id, prio, visible_at, kind, event) VALUES($i,$p,$v,$k,$e)",
            ("$i", instanceId), ("$p", prio), ("$v", visibleAt), ("$k", kind), ("$e", e.ToByteArray()));

    private static void DeleteInstanceData(SqliteWriter w, string instanceId)
    {
        w.Execute("DELETE FROM instances WHERE instance_id=$i", ("$i", instanceId));
        w.Execute("DELETE FROM history WHERE instance_id=$i", ("$i", instanceId));
        w.Execute("DELETE FROM inbox WHERE instance_id=$i", ("$i", instanceId));
        w.Execute("DELETE FROM activities WHERE instance_id=$i", ("$i", instanceId));
    }

    private static InstanceRow? ReadInstance(SqliteWriter w, string instanceId)
    {
        using var reader = w.Command($"SELECT {InstanceRow.Columns} FROM instances WHERE instance_id=$i", ("$i", instanceId)).ExecuteReader();
        return reader.Read() ? InstanceRow.Read(reader) : null;
    }

    private static async Task<InstanceRow?> ReadInstanceAsync(SqliteConnection conn, string instanceId, CancellationToken ct)
    {
        await using var cmd = Command(conn, $"SELECT {InstanceRow.Columns} FROM instances WHERE instance_id=$i", ("$i", instanceId));
        var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? InstanceRow.Read(reader) : null;
        }
    }

    private async Task<int> SignalDueInstancesAsync(CancellationToken ct)
    {
        var ids = new List<string>();
        var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = Command(conn, "SELECT DISTINCT instance_id FROM inbox WHERE visible_at<=$now", ("$now", NowMs()));
            var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    ids.Add(reader.GetString(0));
                }
            }
        }

        foreach (var id in ids)
        {
            Signal(id);
        }

        return ids.Count;
    }

    private async Task<long?> NextDueAsync(CancellationToken ct)
    {
        var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = Command(conn, "SELECT MIN(visible_at) FROM inbox WHERE visible_at>$now", ("$now", NowMs()));
            var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    private async Task<List<ActivityWorkItem>> LoadPendingActivitiesAsync(CancellationToken ct)
    {
        var items = new List<ActivityWorkItem>();
        var conn = await OpenAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = Command(conn, "SELECT id, instance_id, task_id, name, input FROM activities ORDER BY id");
            var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    items.Add(new ActivityWorkItem(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4)));
                }
            }
        }

        return items;
    }

    private sealed record InstanceRow(string InstanceId, string Name, string ExecutionId, OrchestrationRuntimeStatus Status, string? Input,
        string? Output, string? CustomStatus, long CreatedAt, long UpdatedAt)
    {
        public const string Columns = "instance_id, name, execution_id, status, input, output, custom_status, created_at, updated_at";

        public static InstanceRow Read(SqliteDataReader r) => new(
            r.GetString(0), r.GetString(1), r.GetString(2), (OrchestrationRuntimeStatus)r.GetInt32(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
            r.GetInt64(7), r.GetInt64(8));

        public OrchestrationStatusInfo ToInfo(string? history) => new()
        {
            Name = Name,
            InstanceId = InstanceId,
            RuntimeStatus = Status,
            Input = Input,
            Output = Output,
            CustomStatus = CustomStatus,
            CreatedTime = FromMs(CreatedAt),
            LastUpdatedTime = FromMs(UpdatedAt),
            HistoryJson = history,
        };
    }

    /// <summary>
    /// The committed history of recently stepped instances, so a step does not re-read and re-parse it. Valid because
    /// this engine is the only writer of its database and never steps one instance twice at a time; keyed by execution
    /// id (new on every start and continue-as-new), dropped whenever a step fails to commit, bounded in size.
    /// </summary>
    private sealed class HistoryCache
    {
        private const int MaxInstances = 2048;
        private readonly Lock _gate = new();
        private readonly Dictionary<string, (string ExecutionId, List<HistoryEvent> Events)> _entries = new(StringComparer.Ordinal);

        public List<HistoryEvent>? TryGet(string instanceId, string executionId)
        {
            lock (_gate)
            {
                return _entries.TryGetValue(instanceId, out var entry) && entry.ExecutionId == executionId ? entry.Events : null;
            }
        }

        public void Set(string instanceId, string executionId, List<HistoryEvent> events)
        {
            lock (_gate)
            {
                if (_entries.Count >= MaxInstances && !_entries.ContainsKey(instanceId))
                {
                    // Any victim will do: a miss only costs one history read.
                    using var first = _entries.Keys.GetEnumerator();
                    if (first.MoveNext())
                    {
                        _entries.Remove(first.Current);
                    }
                }

                _entries[instanceId] = (executionId, events);
            }
        }

        public void Remove(string instanceId)
        {
            lock (_gate)
            {
                _entries.Remove(instanceId);
            }
        }
    }
}
