using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// The channels' SQLite file (<c>channels.db</c> under <see cref="HotelAgentOptions.DataDirectory"/>, WAL mode):
/// processed inbound ids, sent outbound idempotency keys, delivery statuses and the WhatsApp customer-service window.
/// Writes go one at a time through the file's single writer (<see cref="WriteAsync{T}"/>, shared in-process with every
/// other instance on the same file); reads use pooled connections. Safe from any thread.
/// </summary>
public sealed class ChannelsDatabase : IDisposable
{
    public const string FileName = "channels.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS processed_messages (
            channel TEXT NOT NULL,
            provider_message_id TEXT NOT NULL,
            recorded_utc INTEGER NOT NULL,
            completed INTEGER NOT NULL DEFAULT 1,
            owner TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (channel, provider_message_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS sent_messages (
            channel TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            provider_message_id TEXT,
            sent_utc INTEGER NOT NULL,
            confirmed INTEGER NOT NULL DEFAULT 1,
            owner TEXT NOT NULL DEFAULT '',
            attempted_utc INTEGER,
            PRIMARY KEY (channel, idempotency_key)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS delivery_statuses (
            channel TEXT NOT NULL,
            provider_message_id TEXT NOT NULL,
            status TEXT NOT NULL,
            status_utc INTEGER NOT NULL,
            error_codes TEXT,
            PRIMARY KEY (channel, provider_message_id, status)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS customer_service_window (
            channel TEXT NOT NULL,
            guest_id TEXT NOT NULL,
            last_inbound_utc INTEGER NOT NULL,
            PRIMARY KEY (channel, guest_id)
        ) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase _database;
    private readonly System.Collections.Concurrent.ConcurrentQueue<DeferredWrite> _deferred = new();
    private readonly TimeProvider _timeProvider;
    private int _flushScheduled;

    /// <summary>
    /// How long a deferred statement waits for another write to carry it before a write of its own commits it: a turn's
    /// reply usually starts its send (a channels.db write) within this, so the claim's completion rides on it; short,
    /// because until it commits a kill leaves the claim pending.
    /// </summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(100);

    public ChannelsDatabase(IOptions<HotelAgentOptions> options, TimeProvider timeProvider)
        : this(Path.Combine((options ?? throw new ArgumentNullException(nameof(options))).Value.ResolveDataDirectory(), FileName), timeProvider)
    {
    }

    /// <summary>Opens (creating when needed) the database at <paramref name="filePath"/>.</summary>
    /// <param name="timeProvider">Times the background flush of <see cref="Defer"/> (the system clock when null).</param>
    public ChannelsDatabase(string filePath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        _database = new SqliteDatabase(filePath, initialize: CreateSchema);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string FilePath => _database.FilePath;

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction on the file's single writer (see <see cref="SqliteDatabase"/>),
    /// with the schema in place. Do not call another write of this file from inside <paramref name="work"/> (it would wait
    /// for itself).
    /// </summary>
    /// <remarks>Statements handed to <see cref="Defer"/> and not yet committed run first, in the same transaction.</remarks>
    public async Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Allocated only when something waits; a statement queued after this check waits for the next write (or its flush).
        var drained = _deferred.IsEmpty ? null : new List<DeferredWrite>();
        try
        {
            var result = await _database.WriteAsync(
                writer =>
                {
                    if (drained is not null)
                    {
                        Drain(writer, drained);
                    }

                    return work(writer);
                },
                cancellationToken);
            Committed(drained);
            return result;
        }
        catch
        {
            // Rolled back (or never begun): the deferred statements go back in line for the next write.
            Requeue(drained);
            throw;
        }
    }

    /// <summary>
    /// Queues <paramref name="statement"/> to run at the start of the next write transaction on this file, whoever's
    /// it is, instead of in a transaction of its own. For idempotent statements whose commit may follow a moment later
    /// (see <see cref="SqliteProcessedMessageStore.CompleteDeferredAsync"/>, <see cref="WhatsApp.SqliteCustomerServiceWindow"/>).
    /// The task completes when the statement is committed. With <paramref name="flushSoon"/> a background write commits
    /// it after <see cref="FlushDelay"/> when no other write did first; without, the caller commits it by a write of its
    /// own or <see cref="FlushAsync"/>. Every write on this file runs what is queued before its own statements, so a
    /// deferred statement is always committed before any later write of this process is.
    /// A statement that fails is not retried by later writes: its task fails and the transaction it ran in rolls back.
    /// </summary>
    public Task Defer(Action<SqliteWriter> statement, bool flushSoon)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var write = new DeferredWrite(statement);
        _deferred.Enqueue(write);
        if (flushSoon && Interlocked.CompareExchange(ref _flushScheduled, 1, 0) == 0)
        {
            _ = FlushInBackgroundAsync();
        }

        return write.Committed.Task;
    }

    /// <summary>Commits the statements queued by <see cref="Defer"/> (no transaction when there are none).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        _deferred.IsEmpty
            ? Task.CompletedTask
            : WriteAsync(static _ => true, cancellationToken);

    /// <summary>As <see cref="FlushAsync"/>, but without a transaction when another write drained the queue while this one waited for the gate.</summary>
    private async Task FlushIfNeededAsync()
    {
        var drained = new List<DeferredWrite>();
        try
        {
            await _database.WriteIfNeededAsync(() => !_deferred.IsEmpty, writer => Drain(writer, drained));
            Committed(drained);
        }
        catch
        {
            Requeue(drained);
            throw;
        }
    }

    /// <summary>A pooled read connection with the schema in place (dispose it).</summary>
    public Task<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) => _database.OpenReadConnectionAsync(cancellationToken);

    /// <summary>Runs one read statement on a pooled read connection and returns its first value (null when none).</summary>
    public async Task<object?> ReadScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        await using var connection = await OpenReadConnectionAsync(cancellationToken);
        using var command = SqliteCommands.Create(connection, sql, args);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    /// <summary>True when the file can be opened and queried (readiness probe).</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Convert.ToInt64(await ReadScalarAsync("SELECT 1;", cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        // A graceful stop commits what is still queued (a kill leaves it uncommitted, which the deferring callers allow for).
        try
        {
            FlushAsync().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort at shutdown.
        }

        _database.Dispose();
    }

    private async Task FlushInBackgroundAsync()
    {
        try
        {
            await Task.Delay(FlushDelay, _timeProvider);

            // Cleared before draining: a statement queued after the drain below schedules its own flush.
            Volatile.Write(ref _flushScheduled, 0);
            await FlushIfNeededAsync();
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // The statements were put back in line (or failed their own task); the next write on the file commits them.
        }
    }

    private void Drain(SqliteWriter writer, List<DeferredWrite> drained)
    {
        while (_deferred.TryDequeue(out var write))
        {
            drained.Add(write);
            try
            {
                write.Statement(writer);
            }
            catch (Exception ex)
            {
                // A broken statement fails its own caller, not the others: the transaction rolls back (the error
                // propagates) and the statements drained with it are requeued by WriteAsync.
                write.Committed.TrySetException(ex);
                _ = write.Committed.Task.Exception; // observed: a deferring caller need not wait for its statement
                throw;
            }
        }
    }

    private static void Committed(List<DeferredWrite>? drained)
    {
        if (drained is not null)
        {
            foreach (var write in drained)
            {
                write.Committed.TrySetResult();
            }
        }
    }

    private void Requeue(List<DeferredWrite>? drained)
    {
        if (drained is null)
        {
            return;
        }

        foreach (var write in drained)
        {
            if (!write.Committed.Task.IsCompleted)
            {
                _deferred.Enqueue(write);
            }
        }
    }

    private sealed class DeferredWrite(Action<SqliteWriter> statement)
    {
        public Action<SqliteWriter> Statement { get; } = statement;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static void AddColumnIfMissing(SqliteWriter writer, string table, string column, string definition)
    {
        using var probe = writer.Connection.CreateCommand();
        probe.Transaction = writer.Transaction;
        probe.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}';";
        if (Convert.ToInt64(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            writer.ExecuteScript($"ALTER TABLE {table} ADD COLUMN {column} {definition};");
        }
    }

    /// <summary>The schema and its additive migrations, once per instance (journal_mode=WAL and synchronous=NORMAL are set when the writer opens).</summary>
    private static void CreateSchema(SqliteWriter writer)
    {
        writer.ExecuteScript(Schema);
        AddColumnIfMissing(writer, "processed_messages", "completed", "INTEGER NOT NULL DEFAULT 1");
        AddColumnIfMissing(writer, "processed_messages", "owner", "TEXT NOT NULL DEFAULT ''");

        // Send attempts (committed before the provider call): rows of older files are confirmed sends.
        AddColumnIfMissing(writer, "sent_messages", "confirmed", "INTEGER NOT NULL DEFAULT 1");
        AddColumnIfMissing(writer, "sent_messages", "owner", "TEXT NOT NULL DEFAULT ''");
        AddColumnIfMissing(writer, "sent_messages", "attempted_utc", "INTEGER");
    }
}
