using HotelAgent.Core.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// The channels' SQLite file (<c>channels.db</c> under <see cref="HotelAgentOptions.DataDirectory"/>, WAL mode):
/// processed inbound ids, sent outbound idempotency keys, delivery statuses and the WhatsApp customer-service window.
/// Each operation opens a short-lived pooled connection, so it is safe from any thread.
/// </summary>
public sealed class ChannelsDatabase
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

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    public ChannelsDatabase(IOptions<HotelAgentOptions> options)
        : this(Path.Combine((options ?? throw new ArgumentNullException(nameof(options))).Value.ResolveDataDirectory(), FileName))
    {
    }

    /// <summary>Opens (creating when needed) the database at <paramref name="filePath"/>.</summary>
    public ChannelsDatabase(string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        FilePath = Path.GetFullPath(filePath);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    /// <summary>An open connection with the schema in place (busy timeout 5 s, WAL).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout = 5000;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            if (!_initialized)
            {
                await InitializeAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when the file can be opened and queried (readiness probe).</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1;";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static async Task AddColumnIfMissingAsync(SqliteConnection connection, string table, string column, string definition, CancellationToken cancellationToken)
    {
        using var probe = connection.CreateCommand();
        probe.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}';";
        if (Convert.ToInt64(await probe.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition};";
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task InitializeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;" + Schema;
            await command.ExecuteNonQueryAsync(cancellationToken);
            await AddColumnIfMissingAsync(connection, "processed_messages", "completed", "INTEGER NOT NULL DEFAULT 1", cancellationToken);
            await AddColumnIfMissingAsync(connection, "processed_messages", "owner", "TEXT NOT NULL DEFAULT ''", cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }
}
