using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;

namespace HotelAgent.Core.Storage;

/// <summary>
/// One SQLite file (WAL) as this process uses it: reads on pooled connections, writes one at a time on a
/// dedicated writer connection whose statements stay prepared. SQLite admits a single writer per file; letting
/// connections race for it surfaces as <c>SQLITE_BUSY</c>, and the busy handler then sleeps on (blocks) a
/// thread-pool thread, which under load stalls every request in the process. Instances opened on the same file
/// share one in-process write gate, so components that share a file never contend inside SQLite.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteGates = new(StringComparer.Ordinal);

    // Every connection has its own page cache (SQLite's default: up to 2 MB each, native memory that stays with the
    // connection: the writer lives as long as this instance, readers sit in the pool), and the process has seven files.
    // Reads and writes here are point lookups and appends on files the OS page cache already holds, so 512 KiB per
    // connection keeps the process's resident memory down (issue 19, memory) for the cost of a few more pread calls.
    private const string CacheSize = "PRAGMA cache_size=-512;";
    private const string ReadPragmas = "PRAGMA busy_timeout=10000; " + CacheSize;

    private readonly SemaphoreSlim _writeGate;
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private readonly string _pragmas;
    private readonly Action<SqliteWriter>? _initialize;
    private readonly KeyValuePair<string, object?> _fileTag;
    private SqliteWriter? _writer; // guarded by _writeGate
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <param name="filePath">The database file (created with its folder when missing).</param>
    /// <param name="durableAgainstPowerLoss">
    /// False: <c>synchronous=NORMAL</c> — in WAL mode every commit survives a process crash or kill; the last commits
    /// may be lost on an OS crash or power cut. True: <c>synchronous=FULL</c> (an fsync per commit).
    /// </param>
    /// <param name="initialize">
    /// The owner's schema set-up (<c>CREATE TABLE IF NOT EXISTS ...</c>, additive migrations), run once per instance in its
    /// own write transaction before the first write or read; a failure is rolled back and retried on the next use.
    /// </param>
    public SqliteDatabase(string filePath, bool durableAgainstPowerLoss = false, Action<SqliteWriter>? initialize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        FilePath = Path.GetFullPath(filePath);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _writeGate = WriteGates.GetOrAdd(FilePath, static _ => new SemaphoreSlim(1, 1));
        _fileTag = new("file", Path.GetFileName(FilePath));
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _readConnectionString = builder.ToString();
        builder.Pooling = false; // the writer lives as long as this instance; disposing it releases the file
        _writeConnectionString = builder.ToString();
        _initialize = initialize;
        _initialized = initialize is null;
        _pragmas = durableAgainstPowerLoss
            ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; " + CacheSize
            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; " + CacheSize;
    }

    public string FilePath { get; }

    /// <summary>
    /// A pooled connection for reads (WAL readers never wait for the writer). Other processes may still hold the
    /// write lock briefly (a CLI next to the host), hence the busy timeout.
    /// </summary>
    public async Task<SqliteConnection> OpenReadConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        StorageMetrics.Read(_fileTag);
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = ReadPragmas;
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (<c>BEGIN IMMEDIATE</c>) on the writer connection,
    /// after earlier writes to the same file from this process. Commits when <paramref name="work"/> returns, rolls
    /// back when it throws.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, Task<T>> work, CancellationToken cancellationToken = default) =>
        WriteAsync(work, (Action<T>?)null, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{SqliteWriter, Task{T}}, CancellationToken)"/>, then runs <paramref name="committed"/>
    /// after the commit and before the next write to the file starts: owners that mirror their rows in memory apply the
    /// change there in exactly the order of the commits (nothing runs when the transaction rolls back).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, Task<T>> work, Action<T>? committed, CancellationToken cancellationToken = default) =>
        WriteCoreAsync(work, committed, needed: null, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{SqliteWriter, T}, CancellationToken)"/> when <paramref name="needed"/> still holds
    /// once the write gate is taken (checked there, before any transaction begins); otherwise returns false without a
    /// transaction. For a background flush that an earlier write may have made unnecessary while it waited.
    /// </summary>
    public async Task<bool> WriteIfNeededAsync(Func<bool> needed, Action<SqliteWriter> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(needed);
        ArgumentNullException.ThrowIfNull(work);
        var wrote = false;
        await WriteCoreAsync(
            w =>
            {
                work(w);
                wrote = true;
                return Task.FromResult(true);
            },
            null,
            needed,
            cancellationToken).ConfigureAwait(false);
        return wrote;
    }

    private async Task<T> WriteCoreAsync<T>(Func<SqliteWriter, Task<T>> work, Action<T>? committed, Func<bool>? needed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (needed is not null && !needed())
            {
                return default!;
            }

            var writer = _writer ??= OpenWriter();
            if (!_initialized)
            {
                Run(writer, _initialize!);
                _initialized = true;
            }

            writer.Begin();
            StorageMetrics.Transaction(_fileTag);
            try
            {
                var result = await work(writer).ConfigureAwait(false);
                writer.Commit();
                committed?.Invoke(result);
                return result;
            }
            catch when (writer.InTransaction)
            {
                writer.Rollback();
                throw;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs the owner's schema set-up now unless it already ran (otherwise the first write or read does).</summary>
    public Task EnsureInitializedAsync(CancellationToken cancellationToken = default) =>
        _initialized ? Task.CompletedTask : WriteAsync(static _ => true, cancellationToken);

    /// <inheritdoc cref="WriteAsync{T}(Func{SqliteWriter, Task{T}}, CancellationToken)"/>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken = default) =>
        WriteAsync(work, (Action<T>?)null, cancellationToken);

    /// <inheritdoc cref="WriteAsync{T}(Func{SqliteWriter, Task{T}}, Action{T}, CancellationToken)"/>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, Action<T>? committed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync(w => Task.FromResult(work(w)), committed, cancellationToken);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Wait (bounded) for a write in flight so the connection is not pulled from under it.
        var entered = _writeGate.Wait(TimeSpan.FromSeconds(5));
        try
        {
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            if (entered)
            {
                _writeGate.Release();
            }
        }
    }

    private static void Run(SqliteWriter writer, Action<SqliteWriter> work)
    {
        writer.Begin();
        try
        {
            work(writer);
            writer.Commit();
        }
        catch
        {
            writer.Rollback();
            throw;
        }
    }

    private SqliteWriter OpenWriter()
    {
        var connection = new SqliteConnection(_writeConnectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = _pragmas;
            pragma.ExecuteNonQuery();
            return new SqliteWriter(connection, _fileTag);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}

/// <summary>
/// The writer connection during one write transaction. <see cref="Command"/> hands out statements that stay
/// prepared for the life of the connection (SQL text is parsed once, not per call); do not dispose them.
/// </summary>
public sealed class SqliteWriter : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly KeyValuePair<string, object?> _fileTag;
    private SqliteTransaction? _transaction;

    internal SqliteWriter(SqliteConnection connection, KeyValuePair<string, object?> fileTag)
    {
        Connection = connection;
        _fileTag = fileTag;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The open transaction (for code that creates its own commands).</summary>
    public SqliteTransaction Transaction => _transaction ?? throw new InvalidOperationException("No write transaction is open.");

    /// <summary>A cached statement for <paramref name="sql"/> with its parameters cleared and then set to <paramref name="args"/>.</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = SqliteCommands.Create(Connection, sql);
            _statements[sql] = command;
        }

        command.Transaction = _transaction;
        SqliteCommands.Bind(command, args);
        StorageMetrics.Statement(_fileTag);
        return command;
    }

    /// <summary>Executes a cached statement; returns the number of rows changed.</summary>
    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> args) => Command(sql, args).ExecuteNonQuery();

    /// <summary>Executes a one-off script (a schema, a migration) without caching its statement.</summary>
    public int ExecuteScript(string sql)
    {
        using var command = SqliteCommands.Create(Connection, sql);
        command.Transaction = _transaction;
        return command.ExecuteNonQuery();
    }

    /// <summary>Executes a cached statement; returns the first column of the first row (null when none).</summary>
    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var value = Command(sql, args).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    internal bool InTransaction => _transaction is not null;

    internal void Begin() => _transaction = Connection.BeginTransaction();

    internal void Commit()
    {
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
    }

    internal void Rollback()
    {
        try
        {
            _transaction?.Rollback();
        }
        catch (SqliteException)
        {
            // Already rolled back by SQLite (e.g. after a constraint error in some modes); nothing to undo.
        }
        finally
        {
            _transaction?.Dispose();
            _transaction = null;
        }
    }

    public void Dispose()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
        _transaction?.Dispose();
        Connection.Dispose();
    }
}

/// <summary>
/// SQLite work counters per file (meter <c>HotelAgent.Storage</c>, tag <c>file</c>): write transactions, statements run
/// on the writer, read connections opened. Static: every store builds its <see cref="SqliteDatabase"/> itself.
/// </summary>
public static class StorageMetrics
{
    public const string MeterName = "HotelAgent.Storage";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>("hotelagent.sqlite.transactions", "{transaction}", "Write transactions per SQLite file.");
    private static readonly Counter<long> Statements = Meter.CreateCounter<long>("hotelagent.sqlite.statements", "{statement}", "Statements run by the writer connection per SQLite file.");
    private static readonly Counter<long> Reads = Meter.CreateCounter<long>("hotelagent.sqlite.reads", "{connection}", "Read connections opened per SQLite file.");

    internal static void Transaction(KeyValuePair<string, object?> file) => Transactions.Add(1, file);

    internal static void Statement(KeyValuePair<string, object?> file) => Statements.Add(1, file);

    internal static void Read(KeyValuePair<string, object?> file) => Reads.Add(1, file);
}
