using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using HotelAgent.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace HotelAgent.Core.Orchestration;

/// <summary>Settings of the embedded SQLite durable backend (section <c>Orchestration</c>).</summary>
public sealed class SqliteOrchestrationOptions
{
    public const string SectionName = "Orchestration";

    /// <summary>SQLite file name under <c>HotelAgent:DataDirectory</c> (or an absolute path).</summary>
    public string DatabaseFileName { get; set; } = "orchestrations.db";

    /// <summary>Orchestration work items run in parallel for different instances (never two for one instance).</summary>
    [Range(1, 256)]
    public int MaxConcurrentOrchestrations { get; set; } = 4;

    /// <summary>Activities run in parallel.</summary>
    [Range(1, 256)]
    public int MaxConcurrentActivities { get; set; } = 8;

    /// <summary>
    /// False (default): SQLite <c>synchronous=NORMAL</c> in WAL mode — every commit survives a process crash or kill, the last
    /// commits may be lost on an OS crash or power cut. True: <c>synchronous=FULL</c> (an fsync per commit, slower turns).
    /// </summary>
    public bool DurableAgainstPowerLoss { get; set; }

    /// <summary>Safety-net poll for due timers and stranded messages (new work is signalled in-process).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Orchestrations kept in memory between work items (suspended where they wait, with their history), so the next
    /// event resumes them instead of replaying their history; least recently used beyond this count are dropped
    /// (0 = replay every work item). Memory per kept conversation: see docs/benchmarks.md.
    /// </summary>
    [Range(0, 100_000)]
    public int CachedOrchestrations { get; set; } = 256;

    /// <summary>A kept orchestration unused for this long is dropped (its next event replays the history once).</summary>
    public TimeSpan CachedOrchestrationIdleTime { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The embedded durable backend: DurableTask.Core's <see cref="IOrchestrationService"/> and
/// <see cref="IOrchestrationServiceClient"/> on one SQLite file (WAL, one in-process writer). DurableTask.Core's
/// <see cref="TaskHubWorker"/> runs the orchestrations and activities over it, exactly as it runs them over Azure Storage.
/// Every state change is one transaction, so a crash (kill -9) loses nothing committed and repeats nothing committed;
/// activities are at-least-once. One process per file: an exclusive lock file refuses a second one.
/// Hand-written because no served DurableTask provider stores on SQLite (DurableTask.SqlServer does not restore here).
/// </summary>
public sealed class SqliteOrchestrationService :
    IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient, IDisposable
{
    private const int PrioFirst = 0;
    private const int PrioNormal = 1;
    private const long ClockSlackMs = 60_000;

    /// <summary>Newtonsoft with type names, limited to DurableTask.Core's own types: how DurableTask.Core itself persists history.</summary>
    private static readonly JsonSerializerSettings Json = new()
    {
        TypeNameHandling = TypeNameHandling.Objects,
        SerializationBinder = new DurableTaskTypesBinder(),
        NullValueHandling = NullValueHandling.Ignore,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    };

    private readonly SqliteOrchestrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SqliteDatabase _db;
    private readonly OrchestrationCache _cache;
    private readonly InstanceRowCache _rows;
    private readonly Lock _gate = new();

    // The inbox: every stored message that is visible now, per instance, mirrored from the messages table so a work item is
    // locked without reading or parsing anything. Changed only in the file's commit order (SqliteDatabase's committed
    // callbacks run inside its write gate), so it equals the table at every commit. Messages that become visible later
    // (timers, scheduled starts) stay in the file until the poller finds them due. Guarded by _gate.
    private readonly Dictionary<string, List<PendingMessage>> _inbox = new(StringComparer.Ordinal);
    private readonly HashSet<long> _inboxIds = [];
    private long _dueScannedUpToMs = long.MinValue;
    private readonly HashSet<string> _scheduled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LockedInstance> _locked = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly Channel<TaskActivityWorkItem> _activities = Channel.CreateUnbounded<TaskActivityWorkItem>();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stopping = new();
    private readonly FileStream _processLock;
    private long _pollerWakeAtMs = long.MaxValue;
    private Task? _poller;
    private int _started;
    private volatile bool _disposed;

    public SqliteOrchestrationService(string databasePath, SqliteOrchestrationOptions? options = null, TimeProvider? timeProvider = null, ILogger<SqliteOrchestrationService>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _options = options ?? new SqliteOrchestrationOptions();
        _time = timeProvider ?? TimeProvider.System;
        _cache = new OrchestrationCache(_options.CachedOrchestrations);
        _rows = new InstanceRowCache(Math.Max(64, _options.CachedOrchestrations * 4));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        try
        {
            // Single writer per file: a second process on the same data directory fails fast instead of double-running work.
            _processLock = new FileStream(DatabasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"Another HotelAgent process already runs the durable store {DatabasePath} (one process per data directory).", ex);
        }

        _db = new SqliteDatabase(DatabasePath, _options.DurableAgainstPowerLoss, CreateSchema);
    }

    public string DatabasePath { get; }

    /// <param name="Reusable">The last completion committed the work item's state and the orchestration still runs: on
    /// release it goes back to <see cref="_cache"/>.</param>
    private sealed record LockedInstance(IReadOnlyList<long> MessageIds, string ExecutionId, int HistoryCount, bool Reusable = false);

    /// <summary>A stored message in the inbox (ordered by priority, then id = commit order).</summary>
    private sealed record PendingMessage(long Id, int Prio, TaskMessage Message);

    /// <summary>A message inserted by a transaction: goes to the inbox on commit when already visible.</summary>
    private sealed record InsertedMessage(long Id, string InstanceId, int Prio, long VisibleAtMs, TaskMessage Message);

    /// <summary>What one transaction changed in the inbox, applied on commit.</summary>
    private sealed class InboxChange
    {
        public List<InsertedMessage> Inserted { get; } = [];

        public List<(string InstanceId, long Id)> Deleted { get; } = [];

        public List<string> ClearedInstances { get; } = [];

        /// <summary>Instance rows written (inserted whole, or updated from the cached row).</summary>
        public List<(string InstanceId, InstanceRow? Row, Func<InstanceRow, InstanceRow>? Update)> Rows { get; } = [];
    }

    // ------------------------------------------------------------------ IOrchestrationService: life cycle

    public int TaskOrchestrationDispatcherCount => 1;

    public int MaxConcurrentTaskOrchestrationWorkItems => _options.MaxConcurrentOrchestrations;

    public int TaskActivityDispatcherCount => 1;

    public int MaxConcurrentTaskActivityWorkItems => _options.MaxConcurrentActivities;

    /// <summary>Events that arrive in a batch after continue-as-new go to the next generation (none are dropped).</summary>
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

    public async Task StartAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        await _db.EnsureInitializedAsync(_stopping.Token).ConfigureAwait(false);
        foreach (var item in await LoadActivitiesAsync(_stopping.Token).ConfigureAwait(false))
        {
            _activities.Writer.TryWrite(item);
        }

        await SignalDueInstancesAsync(_stopping.Token).ConfigureAwait(false);
        _poller = Task.Run(() => PollLoopAsync(_stopping.Token));
    }

    public Task StopAsync() => StopAsync(false);

    public async Task StopAsync(bool isForced)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (_poller is { } poller)
        {
            await poller.ConfigureAwait(false);
        }
    }

    public Task CreateAsync() => CreateAsync(false);

    public async Task CreateAsync(bool recreateInstanceStore)
    {
        if (recreateInstanceStore)
        {
            await DeleteAsync(true).ConfigureAwait(false);
        }

        await _db.EnsureInitializedAsync().ConfigureAwait(false);
    }

    public Task CreateIfNotExistsAsync() => _db.EnsureInitializedAsync();

    public Task DeleteAsync() => DeleteAsync(true);

    public Task DeleteAsync(bool deleteInstanceStore) => WriteAsync(w =>
    {
        w.ExecuteScript("DELETE FROM instances; DELETE FROM history; DELETE FROM messages; DELETE FROM activities;");
        return true;
    }, _ =>
    {
        _cache.Clear();
        _rows.Clear();
        lock (_gate)
        {
            _inbox.Clear();
            _inboxIds.Clear();
        }
    }, CancellationToken.None);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => 1;

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => 1;

    public void Dispose()
    {
        // No graceful drain: from now on nothing is committed (in-flight work is redone by the next process).
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _db.Dispose();
        _processLock.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
    }

    // ------------------------------------------------------------------ orchestration work items

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource? timeout = null;
        try
        {
            while (true)
            {
                if (!_ready.Reader.TryRead(out var instanceId))
                {
                    // Nothing signalled: wait (the timeout timer is only armed here, not when work is queued).
                    if (timeout is null)
                    {
                        timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
                        timeout.CancelAfter(receiveTimeout);
                    }

                    try
                    {
                        instanceId = await _ready.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return null!; // nothing to do within the receive timeout (DurableTask.Core expects null)
                    }
                }

                if (await LockSignalledAsync(instanceId, cancellationToken).ConfigureAwait(false) is { } item)
                {
                    return item;
                }
            }
        }
        finally
        {
            timeout?.Dispose();
        }
    }

    private async Task<TaskOrchestrationWorkItem?> LockSignalledAsync(string instanceId, CancellationToken cancellationToken)
    {
        TaskOrchestrationWorkItem? item;
        try
        {
            item = await TryLockAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Unschedule(instanceId, resignal: false);
            throw;
        }

        if (item is null)
        {
            Unschedule(instanceId, resignal: true);
        }

        return item;
    }

    private async Task<TaskOrchestrationWorkItem?> TryLockAsync(string instanceId, CancellationToken ct)
    {
        List<PendingMessage> messages;
        lock (_gate)
        {
            if (!_inbox.TryGetValue(instanceId, out var pending) || pending.Count == 0)
            {
                return null;
            }

            messages = [.. pending.OrderBy(m => m.Prio).ThenBy(m => m.Id)];
        }

        var row = await GetRowAsync(instanceId, ct).ConfigureAwait(false);

        // Messages of an old execution (an activity result or timer after continue-as-new) and messages for unknown or
        // finished instances are dropped, as the Durable Task backends do; events raised to the instance are kept.
        var usable = row is not null && (IsActive(row.Status) || messages.Any(m => m.Message.Event is ExecutionStartedEvent))
            ? messages.Where(m => m.Message.Event is EventRaisedEvent or ExecutionStartedEvent or ExecutionTerminatedEvent
                || string.IsNullOrEmpty(m.Message.OrchestrationInstance?.ExecutionId)
                || m.Message.OrchestrationInstance.ExecutionId == row.ExecutionId).ToList()
            : [];
        if (usable.Count < messages.Count)
        {
            var change = new InboxChange();
            change.Deleted.AddRange(messages.Where(m => !usable.Contains(m)).Select(m => (instanceId, m.Id)));
            await WriteAsync(w =>
            {
                foreach (var (_, id) in change.Deleted)
                {
                    w.Execute("DELETE FROM messages WHERE id=$id", ("$id", id));
                }

                return change;
            }, ApplyInbox, ct).ConfigureAwait(false);
            Log.MessagesDropped(_logger, change.Deleted.Count, instanceId);
        }

        if (usable.Count == 0 || row is null)
        {
            return null;
        }

        // The instance kept in memory since its last work item: DurableTask.Core resumes its suspended orchestrator with
        // the new events (the work item still holds its execution cursor) instead of replaying the history.
        var item = _cache.Take(instanceId, row.ExecutionId);
        if (item is not null)
        {
            item.OrchestrationRuntimeState.NewEvents.Clear(); // committed by the last completion
            item.NewMessages = [.. usable.Select(m => m.Message)];
            DurableMetrics.CacheHit();
        }
        else
        {
            var history = await LoadHistoryAsync(instanceId, ct).ConfigureAwait(false);
            item = new TaskOrchestrationWorkItem
            {
                InstanceId = instanceId,
                OrchestrationRuntimeState = new OrchestrationRuntimeState(history),
                NewMessages = [.. usable.Select(m => m.Message)],
                LockedUntilUtc = DateTime.MaxValue,
            };
            DurableMetrics.CacheMiss(history.Count);
        }

        lock (_gate)
        {
            _locked[instanceId] = new LockedInstance([.. usable.Select(m => m.Id)], row.ExecutionId, item.OrchestrationRuntimeState.Events.Count);
        }

        return item;
    }

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => Task.CompletedTask; // in-process locks do not expire

    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(newOrchestrationRuntimeState);
        LockedInstance locked;
        lock (_gate)
        {
            locked = _locked[workItem.InstanceId];
        }

        var instanceId = workItem.InstanceId;
        var nowMs = NowMs();
        var executionId = newOrchestrationRuntimeState.OrchestrationInstance?.ExecutionId ?? locked.ExecutionId;
        var newExecution = executionId != locked.ExecutionId;
        var newActivities = new List<TaskActivityWorkItem>();
        var signals = new HashSet<string>(StringComparer.Ordinal);
        var change = new InboxChange();
        change.Deleted.AddRange(locked.MessageIds.Select(id => (instanceId, id)));
        long? firstTimerMs = null;
        var finished = orchestrationState is { OrchestrationStatus: OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled };

        // JSON is built before the write gate is taken: the gate serialises every write to the file (webhook raises and
        // starts included), so CPU work inside it adds to the wait of every other writer.
        var appendJson = (newExecution ? newOrchestrationRuntimeState.Events : newOrchestrationRuntimeState.NewEvents).Select(Serialize).ToList();
        var outboundJson = outboundMessages.Select(Serialize).ToList();
        var orchestratorJson = orchestratorMessages.Select(Serialize).ToList();
        var timerJson = timerMessages.Select(Serialize).ToList();
        var continuedJson = continuedAsNewMessage is null ? null : Serialize(continuedAsNewMessage);
        var failure = orchestrationState?.FailureDetails is null ? null : JsonConvert.SerializeObject(orchestrationState.FailureDetails);
        try
        {
            await WriteAsync(w =>
            {
                foreach (var id in locked.MessageIds)
                {
                    w.Execute("DELETE FROM messages WHERE id=$id", ("$id", id));
                }

                var seq = locked.HistoryCount;
                if (newExecution)
                {
                    // Continue-as-new: the new generation's history replaces the old one (carried events included).
                    w.Execute("DELETE FROM history WHERE instance_id=$i", ("$i", instanceId));
                    w.Execute("DELETE FROM activities WHERE instance_id=$i AND execution_id<>$e", ("$i", instanceId), ("$e", executionId));
                    seq = 0;
                }

                foreach (var json in appendJson)
                {
                    w.Execute("INSERT INTO history(instance_id, seq, event) VALUES($i,$s,$e)", ("$i", instanceId), ("$s", seq++), ("$e", json));
                }

                for (var m = 0; m < outboundMessages.Count; m++)
                {
                    var message = outboundMessages[m];
                    var json = outboundJson[m];
                    var id = Convert.ToInt64(w.Scalar("INSERT INTO activities(instance_id, execution_id, message) VALUES($i,$e,$m) RETURNING id",
                        ("$i", instanceId), ("$e", executionId), ("$m", json)), CultureInfo.InvariantCulture);
                    newActivities.Add(new TaskActivityWorkItem { Id = id.ToString(CultureInfo.InvariantCulture), TaskMessage = message, LockedUntilUtc = DateTime.MaxValue });
                }

                for (var m = 0; m < orchestratorMessages.Count; m++)
                {
                    var message = orchestratorMessages[m];
                    var target = message.OrchestrationInstance.InstanceId;
                    if (message.Event is ExecutionStartedEvent started)
                    {
                        CreateInstance(w, message, orchestratorJson[m], started, null, nowMs, change);
                    }
                    else
                    {
                        // Events an orchestration forwards to itself (unprocessed events kept on continue-as-new) go ahead of
                        // anything newer, so the guest's order survives the restart.
                        var prio = target == instanceId && message.Event is EventRaisedEvent ? PrioFirst : PrioNormal;
                        InsertMessage(w, target, prio, nowMs, message, orchestratorJson[m], change);
                    }

                    signals.Add(target);
                }

                for (var m = 0; m < timerMessages.Count; m++)
                {
                    var message = timerMessages[m];
                    var fireMs = message.Event is TimerFiredEvent fired ? ToMs(fired.FireAt) : nowMs;
                    InsertMessage(w, instanceId, PrioNormal, fireMs, message, timerJson[m], change);
                    firstTimerMs = Math.Min(firstTimerMs ?? long.MaxValue, fireMs);
                }

                if (continuedAsNewMessage is not null)
                {
                    InsertMessage(w, instanceId, PrioFirst, nowMs, continuedAsNewMessage, continuedJson!, change);
                    signals.Add(instanceId);
                }

                if (orchestrationState is not null)
                {
                    var state = orchestrationState;
                    change.Rows.Add((instanceId, null, row => row with
                    {
                        ExecutionId = executionId, Status = state.OrchestrationStatus, Input = state.Input, Output = state.Output,
                        CustomStatus = state.Status, Failure = failure, UpdatedAt = nowMs, CompletedAt = finished ? nowMs : null,
                    }));
                    w.Execute("""
                        UPDATE instances SET execution_id=$e, status=$s, input=$in, output=$o, custom_status=$cs, failure=$f, updated_at=$now,
                          completed_at=$done WHERE instance_id=$i
                        """,
                        ("$e", executionId), ("$s", (int)orchestrationState.OrchestrationStatus), ("$in", orchestrationState.Input),
                        ("$o", orchestrationState.Output), ("$cs", orchestrationState.Status),
                        ("$f", failure), ("$now", nowMs), ("$done", finished ? nowMs : null), ("$i", instanceId));
                }

                if (finished)
                {
                    w.Execute("DELETE FROM activities WHERE instance_id=$i", ("$i", instanceId));
                    newActivities.Clear();
                }

                return change;
            }, ApplyInbox, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _locked[instanceId] = locked with { Reusable = false }; // nothing was committed: the next work item reloads from the file
            }

            throw;
        }

        lock (_gate)
        {
            // Reusable only after a normal execution (DurableTask.Core passes a state) of an orchestration that still runs.
            _locked[instanceId] = locked with
            {
                MessageIds = [],
                ExecutionId = executionId,
                HistoryCount = newOrchestrationRuntimeState.Events.Count,
                Reusable = !finished && orchestrationState is not null,
            };
        }

        foreach (var item in newActivities)
        {
            _activities.Writer.TryWrite(item);
        }

        foreach (var target in signals)
        {
            Signal(target);
        }

        if (firstTimerMs is { } due && due < Volatile.Read(ref _pollerWakeAtMs) && _wake.CurrentCount == 0)
        {
            _wake.Release(); // the new timer is due before the poller's current wait ends
        }
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        lock (_gate)
        {
            if (_locked.TryGetValue(workItem.InstanceId, out var locked))
            {
                _locked[workItem.InstanceId] = locked with { Reusable = false }; // its in-memory state may be ahead of the file
            }

            _dirty.Add(workItem.InstanceId); // its messages are still stored: run it again after release
        }

        return Task.CompletedTask;
    }

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        lock (_gate)
        {
            if (_locked.Remove(workItem.InstanceId, out var locked) && locked.Reusable && !_disposed)
            {
                _cache.Put(workItem.InstanceId, locked.ExecutionId, workItem, NowMs());
            }
        }

        Unschedule(workItem.InstanceId, resignal: true);
        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------ activity work items

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        if (_activities.Reader.TryRead(out var ready))
        {
            DurableMetrics.Activity();
            return ready; // no timeout timer when work is waiting
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(receiveTimeout);
        try
        {
            var item = await _activities.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            DurableMetrics.Activity();
            return item;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null!;
        }
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => Task.FromResult(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(responseMessage);
        var instanceId = responseMessage.OrchestrationInstance.InstanceId;
        var change = new InboxChange();
        var json = Serialize(responseMessage); // outside the write gate (see CompleteTaskOrchestrationWorkItemAsync)
        var delivered = await WriteAsync(w =>
        {
            if (w.Execute("DELETE FROM activities WHERE id=$id", ("$id", long.Parse(workItem.Id, CultureInfo.InvariantCulture))) == 0)
            {
                return false; // the execution that scheduled it is gone (finished, continued as new, purged)
            }

            InsertMessage(w, instanceId, PrioNormal, NowMs(), responseMessage, json, change);
            return true;
        }, _ => ApplyInbox(change), CancellationToken.None).ConfigureAwait(false);
        if (delivered)
        {
            Signal(instanceId);
        }
    }

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        // Offered again after the poll interval (the dispatcher also backs off).
        _ = Task.Delay(_options.PollInterval, _time, _stopping.Token).ContinueWith(
            _ => _activities.Writer.TryWrite(workItem), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------ IOrchestrationServiceClient

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => CreateTaskOrchestrationAsync(creationMessage, null);

    /// <summary>Starts an instance. With <paramref name="dedupeStatuses"/>, an instance in one of them is not replaced
    /// (<see cref="OrchestrationAlreadyExistsException"/>); without, any existing instance is replaced.</summary>
    public async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[]? dedupeStatuses)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        if (creationMessage.Event is not ExecutionStartedEvent started)
        {
            throw new ArgumentException("The creation message must carry an ExecutionStartedEvent.", nameof(creationMessage));
        }

        var instanceId = creationMessage.OrchestrationInstance.InstanceId;
        var change = new InboxChange();
        var json = Serialize(creationMessage); // outside the write gate (see CompleteTaskOrchestrationWorkItemAsync)
        await WriteAsync(w => CreateInstance(w, creationMessage, json, started, dedupeStatuses, NowMs(), change), _ => ApplyInbox(change), CancellationToken.None)
            .ConfigureAwait(false);
        _cache.Remove(instanceId);
        Signal(instanceId);
    }

    private bool CreateInstance(SqliteWriter w, TaskMessage message, string messageJson, ExecutionStartedEvent started, OrchestrationStatus[]? dedupeStatuses, long nowMs, InboxChange change)
    {
        var instanceId = message.OrchestrationInstance.InstanceId;
        var existing = ReadInstance(w, instanceId);
        if (existing is not null && dedupeStatuses is not null && dedupeStatuses.Contains(existing.Status))
        {
            throw new OrchestrationAlreadyExistsException($"An orchestration with instance id '{instanceId}' already exists and is {existing.Status}.");
        }

        DeleteInstanceData(w, instanceId, change);
        var executionId = message.OrchestrationInstance.ExecutionId ?? Guid.NewGuid().ToString("N");
        w.Execute("""
            INSERT INTO instances(instance_id, execution_id, name, status, input, created_at, updated_at)
            VALUES($i,$e,$n,$s,$in,$now,$now)
            """,
            ("$i", instanceId), ("$e", executionId), ("$n", started.Name), ("$s", (int)OrchestrationStatus.Pending), ("$in", started.Input), ("$now", nowMs));
        change.Rows.Add((instanceId, new InstanceRow(instanceId, executionId, started.Name, OrchestrationStatus.Pending, started.Input, null, null, null, nowMs, nowMs, null), null));
        var visibleAt = started.ScheduledStartTime is { } at ? Math.Max(nowMs, ToMs(at)) : nowMs;
        InsertMessage(w, instanceId, PrioFirst, visibleAt, message, messageJson, change);
        return true;
    }

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => SendTaskOrchestrationMessageBatchAsync(message);

    /// <summary>Events and terminations for instances that do not exist or have finished are dropped.</summary>
    public async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var nowMs = NowMs();
        var change = new InboxChange();
        var json = messages.Select(Serialize).ToArray(); // outside the write gate (see CompleteTaskOrchestrationWorkItemAsync)
        var delivered = await WriteAsync(w =>
        {
            var targets = new List<string>();
            for (var m = 0; m < messages.Length; m++)
            {
                var message = messages[m];
                var instanceId = message.OrchestrationInstance.InstanceId;
                if (ReadInstance(w, instanceId) is { } row && IsActive(row.Status))
                {
                    InsertMessage(w, instanceId, PrioNormal, nowMs, message, json[m], change);
                    targets.Add(instanceId);
                }
            }

            return targets;
        }, _ => ApplyInbox(change), CancellationToken.None).ConfigureAwait(false);
        foreach (var instanceId in delivered)
        {
            Signal(instanceId);
        }
    }

    public async Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : _time.GetUtcNow() + timeout;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var state = await GetOrchestrationStateAsync(instanceId, executionId).ConfigureAwait(false);
            if (state is { OrchestrationStatus: OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled })
            {
                return state;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return null!;
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(500, delay.TotalMilliseconds * 2));
        }
    }

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new ExecutionTerminatedEvent(-1, reason),
        });

    public async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
    {
        var state = await GetOrchestrationStateAsync(instanceId, null).ConfigureAwait(false);
        return state is null ? [] : [state];
    }

    public async Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string? executionId)
    {
        var row = await GetRowAsync(instanceId, CancellationToken.None).ConfigureAwait(false);
        return row is null || (!string.IsNullOrEmpty(executionId) && row.ExecutionId != executionId) ? null! : row.ToState();
    }

    /// <summary>The instance's row: from memory for recently used instances, else read from the file (and kept).</summary>
    private async Task<InstanceRow?> GetRowAsync(string instanceId, CancellationToken ct)
    {
        if (_rows.TryGet(instanceId, out var cached))
        {
            return cached;
        }

        var version = _rows.Version;
        var conn = await _db.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var row = await ReadInstanceAsync(conn, instanceId, ct).ConfigureAwait(false);
            if (row is not null)
            {
                _rows.AddIfUnchangedSince(version, row); // not when a commit changed rows meanwhile (the read may be older)
            }

            return row;
        }
    }

    /// <summary>The current generation's history as JSON (DurableTask.Core event shapes).</summary>
    public async Task<string> GetOrchestrationHistoryAsync(string instanceId, string? executionId)
    {
        var conn = await _db.OpenReadConnectionAsync().ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            var row = await ReadInstanceAsync(conn, instanceId, CancellationToken.None).ConfigureAwait(false);
            if (row is null)
            {
                return "[]";
            }

            var sb = new StringBuilder("[");
            await using var cmd = SqliteCommands.Create(conn, "SELECT event FROM history WHERE instance_id=$i ORDER BY seq", ("$i", instanceId));
            var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    sb.Append(sb.Length > 1 ? "," : string.Empty).Append(reader.GetString(0));
                }
            }

            return sb.Append(']').ToString();
        }
    }

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType)
    {
        var column = timeRangeFilterType switch
        {
            OrchestrationStateTimeRangeFilterType.OrchestrationCreatedTimeFilter => "created_at",
            OrchestrationStateTimeRangeFilterType.OrchestrationCompletedTimeFilter => "completed_at",
            _ => "updated_at",
        };
        return PurgeWhereAsync($"{column} < $t", ("$t", ToMs(thresholdDateTimeUtc)));
    }

    // ------------------------------------------------------------------ query and purge clients

    public async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
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
            args.Add(("$from", ToMs(from)));
        }

        if (query.CreatedTimeTo is { } to)
        {
            sql.Append(" AND created_at <= $to");
            args.Add(("$to", ToMs(to)));
        }

        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            sql.Append(" AND substr(instance_id, 1, length($p)) = $p");
            args.Add(("$p", query.InstanceIdPrefix));
        }

        var offset = int.TryParse(query.ContinuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var pageSize = query.PageSize > 0 ? query.PageSize : 100;
        sql.Append(" ORDER BY created_at, instance_id LIMIT $top OFFSET $offset");
        args.Add(("$top", pageSize));
        args.Add(("$offset", offset));
        var states = new List<OrchestrationState>();
        var conn = await _db.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = SqliteCommands.Create(conn, sql.ToString(), [.. args]);
            var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var state = InstanceRow.Read(reader).ToState();
                    if (!query.FetchInputsAndOutputs)
                    {
                        state.Input = null;
                        state.Output = null;
                    }

                    states.Add(state);
                }
            }
        }

        var next = states.Count == pageSize ? (offset + pageSize).ToString(CultureInfo.InvariantCulture) : null;
        return new OrchestrationQueryResult(states, next);
    }

    public async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) =>
        new(await PurgeWhereAsync("instance_id = $i", ("$i", instanceId)).ConfigureAwait(false));

    public async Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        ArgumentNullException.ThrowIfNull(purgeInstanceFilter);
        var where = new StringBuilder("created_at >= $from");
        var args = new List<(string, object?)> { ("$from", ToMs(purgeInstanceFilter.CreatedTimeFrom)) };
        if (purgeInstanceFilter.CreatedTimeTo is { } to)
        {
            where.Append(" AND created_at <= $to");
            args.Add(("$to", ToMs(to)));
        }

        if (purgeInstanceFilter.RuntimeStatus?.Any() == true)
        {
            where.Append(" AND status IN (").Append(string.Join(',', purgeInstanceFilter.RuntimeStatus.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)))).Append(')');
        }

        return new PurgeResult(await PurgeWhereAsync(where.ToString(), [.. args]).ConfigureAwait(false));
    }

    /// <summary>Deletes finished instances matching <paramref name="where"/>; running ones are never purged.</summary>
    private async Task<int> PurgeWhereAsync(string where, params (string Name, object? Value)[] args)
    {
        var purged = await WriteAsync(w =>
        {
            var ids = new List<string>();
            using (var reader = w.Command($"SELECT instance_id FROM instances WHERE ({where}) AND status NOT IN ({ActiveStatusList})", args).ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            foreach (var id in ids)
            {
                DeleteInstanceData(w, id, null);
            }

            return ids;
        }, ids =>
        {
            foreach (var id in ids)
            {
                _cache.Remove(id);
                _rows.Remove(id);
                ClearInbox(id);
            }
        }, CancellationToken.None).ConfigureAwait(false);
        return purged.Count;
    }

    // ------------------------------------------------------------------ scheduling

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

    private void Unschedule(string instanceId, bool resignal)
    {
        lock (_gate)
        {
            if (_locked.ContainsKey(instanceId))
            {
                return; // still locked by a work item: its release decides
            }

            if (resignal && _dirty.Remove(instanceId))
            {
                _ready.Writer.TryWrite(instanceId);
            }
            else
            {
                _dirty.Remove(instanceId);
                _scheduled.Remove(instanceId);
            }
        }
    }

    private async Task PollLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var delay = _options.PollInterval;
            try
            {
                _cache.Expire(NowMs() - (long)_options.CachedOrchestrationIdleTime.TotalMilliseconds);
                await SignalDueInstancesAsync(ct).ConfigureAwait(false);
                if (await NextDueAsync(ct).ConfigureAwait(false) is { } due)
                {
                    var untilDue = TimeSpan.FromMilliseconds(Math.Max(1, due - NowMs()));
                    delay = untilDue < delay ? untilDue : delay;
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
            catch (SqliteException ex)
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

    /// <summary>
    /// Moves stored messages that became visible (timers, scheduled starts; at start-up: everything left by the last
    /// process) into the inbox, then signals every instance with messages waiting (the safety net after a failed work item).
    /// Reads inside the file's write gate, so no commit can change the table or the inbox in between.
    /// </summary>
    private async Task SignalDueInstancesAsync(CancellationToken ct)
    {
        var nowMs = NowMs();
        // A margin below the last scan covers a clock that stepped back; messages already in the inbox are skipped by id.
        var fromMs = _dueScannedUpToMs == long.MinValue ? long.MinValue : _dueScannedUpToMs - ClockSlackMs;
        await WriteAsync(w =>
        {
            var change = new InboxChange();
            using var reader = w.Command("SELECT id, instance_id, prio, visible_at, message FROM messages WHERE visible_at>$from AND visible_at<=$now ORDER BY id",
                ("$from", fromMs), ("$now", nowMs)).ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                bool known;
                lock (_gate)
                {
                    known = _inboxIds.Contains(id);
                }

                if (!known)
                {
                    change.Inserted.Add(new InsertedMessage(id, reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), Deserialize<TaskMessage>(reader.GetString(4))));
                }
            }

            return change;
        }, change =>
        {
            ApplyInbox(change, nowMs);
            _dueScannedUpToMs = Math.Max(_dueScannedUpToMs, nowMs);
        }, ct).ConfigureAwait(false);

        List<string> waiting;
        lock (_gate)
        {
            waiting = [.. _inbox.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key)];
        }

        foreach (var id in waiting)
        {
            Signal(id);
        }
    }

    /// <summary>Applies a committed transaction's message changes to the inbox (inside the file's write gate).</summary>
    private void ApplyInbox(InboxChange change) => ApplyInbox(change, NowMs());

    private void ApplyInbox(InboxChange change, long visibleUpToMs)
    {
        foreach (var instanceId in change.ClearedInstances)
        {
            _rows.Remove(instanceId);
        }

        foreach (var (instanceId, row, update) in change.Rows)
        {
            if (row is not null)
            {
                _rows.Set(row);
            }
            else
            {
                _rows.Update(instanceId, update!);
            }
        }

        lock (_gate)
        {
            foreach (var instanceId in change.ClearedInstances)
            {
                ClearInboxLocked(instanceId);
            }

            foreach (var (instanceId, id) in change.Deleted)
            {
                if (_inboxIds.Remove(id) && _inbox.TryGetValue(instanceId, out var list))
                {
                    list.RemoveAll(m => m.Id == id);
                    if (list.Count == 0)
                    {
                        _inbox.Remove(instanceId);
                    }
                }
            }

            foreach (var m in change.Inserted)
            {
                // Not yet visible (a timer): stays in the file until the poller finds it due.
                if (m.VisibleAtMs <= visibleUpToMs && _inboxIds.Add(m.Id))
                {
                    if (!_inbox.TryGetValue(m.InstanceId, out var list))
                    {
                        _inbox[m.InstanceId] = list = [];
                    }

                    list.Add(new PendingMessage(m.Id, m.Prio, m.Message));
                }
            }
        }
    }

    private void ClearInbox(string instanceId)
    {
        lock (_gate)
        {
            ClearInboxLocked(instanceId);
        }
    }

    private void ClearInboxLocked(string instanceId)
    {
        if (_inbox.Remove(instanceId, out var list))
        {
            foreach (var m in list)
            {
                _inboxIds.Remove(m.Id);
            }
        }
    }

    private async Task<long?> NextDueAsync(CancellationToken ct)
    {
        var conn = await _db.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = SqliteCommands.Create(conn, "SELECT MIN(visible_at) FROM messages WHERE visible_at>$now", ("$now", NowMs()));
            var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    private async Task<List<TaskActivityWorkItem>> LoadActivitiesAsync(CancellationToken ct)
    {
        var items = new List<TaskActivityWorkItem>();
        var conn = await _db.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = SqliteCommands.Create(conn, "SELECT id, message FROM activities ORDER BY id");
            var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    items.Add(new TaskActivityWorkItem
                    {
                        Id = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                        TaskMessage = Deserialize<TaskMessage>(reader.GetString(1)),
                        LockedUntilUtc = DateTime.MaxValue,
                    });
                }
            }
        }

        return items;
    }

    private async Task<List<HistoryEvent>> LoadHistoryAsync(string instanceId, CancellationToken ct)
    {
        var events = new List<HistoryEvent>();
        var conn = await _db.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            await using var cmd = SqliteCommands.Create(conn, "SELECT event FROM history WHERE instance_id=$i ORDER BY seq", ("$i", instanceId));
            var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    events.Add(Deserialize<HistoryEvent>(reader.GetString(0)));
                }
            }
        }

        return events;
    }

    // ------------------------------------------------------------------ storage helpers

    private static readonly string ActiveStatusList = string.Join(',', new[]
    {
        OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended, OrchestrationStatus.ContinuedAsNew,
    }.Select(x => ((int)x).ToString(CultureInfo.InvariantCulture)));

    private static bool IsActive(OrchestrationStatus s) =>
        s is OrchestrationStatus.Pending or OrchestrationStatus.Running or OrchestrationStatus.Suspended or OrchestrationStatus.ContinuedAsNew;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long ToMs(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc < DateTime.UnixEpoch ? DateTime.UnixEpoch : utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    private static DateTime FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    private static string Serialize(object value) => JsonConvert.SerializeObject(value, Json);

    private static T Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, Json)
        ?? throw new InvalidDataException($"A stored {typeof(T).Name} could not be read.");

    private static void CreateSchema(SqliteWriter w) => w.ExecuteScript("""
            CREATE TABLE IF NOT EXISTS instances(
              instance_id TEXT PRIMARY KEY, execution_id TEXT NOT NULL, name TEXT NOT NULL, status INTEGER NOT NULL,
              input TEXT, output TEXT, custom_status TEXT, failure TEXT,
              created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, completed_at INTEGER);
            CREATE TABLE IF NOT EXISTS history(
              instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY(instance_id, seq));
            CREATE TABLE IF NOT EXISTS messages(
              id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, prio INTEGER NOT NULL,
              visible_at INTEGER NOT NULL, message TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_messages_instance ON messages(instance_id, prio, id);
            CREATE INDEX IF NOT EXISTS ix_messages_visible ON messages(visible_at);
            CREATE TABLE IF NOT EXISTS activities(
              id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL, message TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_activities_instance ON activities(instance_id);
            """);

    private Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, CancellationToken ct) => WriteAsync(work, null, ct);

    /// <param name="committed">Runs after the commit, before the next write (see <see cref="SqliteDatabase"/>): the in-memory mirrors.</param>
    private Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, Action<T>? committed, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _db.WriteAsync(w =>
        {
            var result = work(w);
            ObjectDisposedException.ThrowIf(_disposed, this); // a "killed" service commits nothing
            return result;
        }, committed, ct);
    }

    /// <param name="json"><paramref name="message"/> serialised (by the caller, before the write gate).</param>
    private static void InsertMessage(SqliteWriter w, string instanceId, int prio, long visibleAt, TaskMessage message, string json, InboxChange change)
    {
        var id = Convert.ToInt64(w.Scalar("INSERT INTO messages(instance_id, prio, visible_at, message) VALUES($i,$p,$v,$m) RETURNING id",
            ("$i", instanceId), ("$p", prio), ("$v", visibleAt), ("$m", json)), CultureInfo.InvariantCulture);
        change.Inserted.Add(new InsertedMessage(id, instanceId, prio, visibleAt, message));
    }

    private static void DeleteInstanceData(SqliteWriter w, string instanceId, InboxChange? change)
    {
        change?.ClearedInstances.Add(instanceId);
        w.Execute("DELETE FROM instances WHERE instance_id=$i", ("$i", instanceId));
        w.Execute("DELETE FROM history WHERE instance_id=$i", ("$i", instanceId));
        w.Execute("DELETE FROM messages WHERE instance_id=$i", ("$i", instanceId));
        w.Execute("DELETE FROM activities WHERE instance_id=$i", ("$i", instanceId));
    }

    private static InstanceRow? ReadInstance(SqliteWriter w, string instanceId)
    {
        using var reader = w.Command($"SELECT {InstanceRow.Columns} FROM instances WHERE instance_id=$i", ("$i", instanceId)).ExecuteReader();
        return reader.Read() ? InstanceRow.Read(reader) : null;
    }

    private static async Task<InstanceRow?> ReadInstanceAsync(SqliteConnection conn, string instanceId, CancellationToken ct)
    {
        await using var cmd = SqliteCommands.Create(conn, $"SELECT {InstanceRow.Columns} FROM instances WHERE instance_id=$i", ("$i", instanceId));
        var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? InstanceRow.Read(reader) : null;
        }
    }

    private sealed record InstanceRow(string InstanceId, string ExecutionId, string Name, OrchestrationStatus Status, string? Input, string? Output,
        string? CustomStatus, string? Failure, long CreatedAt, long UpdatedAt, long? CompletedAt)
    {
        public const string Columns = "instance_id, execution_id, name, status, input, output, custom_status, failure, created_at, updated_at, completed_at";

        public static InstanceRow Read(SqliteDataReader r) => new(
            r.GetString(0), r.GetString(1), r.GetString(2), (OrchestrationStatus)r.GetInt32(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8), r.GetInt64(9), r.IsDBNull(10) ? null : r.GetInt64(10));

        public OrchestrationState ToState() => new()
        {
            Name = Name,
            OrchestrationInstance = new OrchestrationInstance { InstanceId = InstanceId, ExecutionId = ExecutionId },
            OrchestrationStatus = Status,
            Input = Input,
            Output = Output,
            Status = CustomStatus,
            FailureDetails = Failure is null ? null : JsonConvert.DeserializeObject<FailureDetails>(Failure),
            CreatedTime = FromMs(CreatedAt),
            LastUpdatedTime = FromMs(UpdatedAt),
            CompletedTime = CompletedAt is { } done ? FromMs(done) : DateTime.MinValue,
        };
    }

    /// <summary>Only DurableTask.Core's own types are named in stored JSON (no arbitrary type loading).</summary>
    private sealed class DurableTaskTypesBinder : ISerializationBinder
    {
        private static readonly System.Reflection.Assembly CoreAssembly = typeof(TaskMessage).Assembly;
        private readonly DefaultSerializationBinder _inner = new();

        public Type BindToType(string? assemblyName, string typeName)
        {
            var type = _inner.BindToType(assemblyName, typeName);
            return type.Assembly == CoreAssembly || type == typeof(Dictionary<string, string>) || type == typeof(List<HistoryEvent>)
                ? type
                : throw new JsonSerializationException($"Type {typeName} is not allowed in the durable store.");
        }

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
            _inner.BindToName(serializedType, out assemblyName, out typeName);
    }

    /// <summary>
    /// Rows of recently used instances (status, execution, input, custom status), so a client's status query and a work
    /// item's lock read no file. Committed changes are applied in commit order (<see cref="Set"/>, <see cref="Update"/>,
    /// <see cref="Remove"/>); a row read from the file is only added when no change was applied since the read began
    /// (<see cref="Version"/>), so an older read never hides a newer commit. Least recently added beyond the capacity drop out.
    /// </summary>
    private sealed class InstanceRowCache(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, LinkedListNode<InstanceRow>> _rows = new(StringComparer.Ordinal);
        private readonly LinkedList<InstanceRow> _byAge = new(); // newest first
        private long _version;

        public long Version
        {
            get
            {
                lock (_gate)
                {
                    return _version;
                }
            }
        }

        public bool TryGet(string instanceId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InstanceRow? row)
        {
            lock (_gate)
            {
                row = _rows.TryGetValue(instanceId, out var node) ? node.Value : null;
                return row is not null;
            }
        }

        public void Set(InstanceRow row)
        {
            lock (_gate)
            {
                _version++;
                RemoveLocked(row.InstanceId);
                _rows[row.InstanceId] = _byAge.AddFirst(row);
                while (_rows.Count > capacity && _byAge.Last is { } oldest)
                {
                    RemoveLocked(oldest.Value.InstanceId);
                }
            }
        }

        /// <summary>Applies a committed update to the cached row (when cached).</summary>
        public void Update(string instanceId, Func<InstanceRow, InstanceRow> update)
        {
            lock (_gate)
            {
                _version++;
                if (_rows.TryGetValue(instanceId, out var node))
                {
                    node.Value = update(node.Value);
                }
            }
        }

        public void AddIfUnchangedSince(long version, InstanceRow row)
        {
            lock (_gate)
            {
                if (_version == version && !_rows.ContainsKey(row.InstanceId))
                {
                    _version--; // Set counts a change; this is the same state
                    Set(row);
                }
            }
        }

        public void Remove(string instanceId)
        {
            lock (_gate)
            {
                _version++;
                RemoveLocked(instanceId);
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _version++;
                _rows.Clear();
                _byAge.Clear();
            }
        }

        private void RemoveLocked(string instanceId)
        {
            if (_rows.Remove(instanceId, out var node))
            {
                _byAge.Remove(node);
            }
        }
    }

    /// <summary>
    /// Orchestrations kept in memory between work items: DurableTask.Core's extended sessions without holding a dispatcher
    /// slot while the guest is silent. The work item of a running instance goes back here on release; its runtime state is
    /// exactly the committed history and it still carries DurableTask.Core's execution cursor (the suspended orchestrator),
    /// so the next work item for the same execution resumes it with only the new events. Valid because this service is the
    /// only writer of its file and never locks one instance twice. Taken out while locked; dropped when a commit fails or the
    /// work item is abandoned; least recently used beyond the capacity and idle ones (<see cref="Expire"/>) are dropped.
    /// Hand-written because it is specific to this service's single-writer model.
    /// </summary>
    private sealed class OrchestrationCache(int capacity)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
        private readonly LinkedList<Entry> _byUse = new(); // most recently used first

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _entries.Count;
                }
            }
        }

        /// <summary>Removes and returns the kept work item of <paramref name="executionId"/> (null when none or another execution).</summary>
        public TaskOrchestrationWorkItem? Take(string instanceId, string executionId)
        {
            lock (_gate)
            {
                if (!_entries.Remove(instanceId, out var node))
                {
                    return null;
                }

                _byUse.Remove(node);
                return node.Value.ExecutionId == executionId ? node.Value.WorkItem : null;
            }
        }

        public void Put(string instanceId, string executionId, TaskOrchestrationWorkItem workItem, long nowMs)
        {
            if (capacity == 0)
            {
                return;
            }

            lock (_gate)
            {
                if (_entries.Remove(instanceId, out var old))
                {
                    _byUse.Remove(old);
                }

                _entries[instanceId] = _byUse.AddFirst(new Entry(instanceId, executionId, workItem, nowMs));
                while (_entries.Count > capacity && _byUse.Last is { } oldest)
                {
                    _byUse.RemoveLast();
                    _entries.Remove(oldest.Value.InstanceId);
                }
            }
        }

        public void Remove(string instanceId)
        {
            lock (_gate)
            {
                if (_entries.Remove(instanceId, out var node))
                {
                    _byUse.Remove(node);
                }
            }
        }

        /// <summary>Drops entries last used before <paramref name="usedBeforeMs"/>.</summary>
        public void Expire(long usedBeforeMs)
        {
            lock (_gate)
            {
                while (_byUse.Last is { } oldest && oldest.Value.LastUsedMs < usedBeforeMs)
                {
                    _byUse.RemoveLast();
                    _entries.Remove(oldest.Value.InstanceId);
                }
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _entries.Clear();
                _byUse.Clear();
            }
        }

        private sealed record Entry(string InstanceId, string ExecutionId, TaskOrchestrationWorkItem WorkItem, long LastUsedMs);
    }
}
