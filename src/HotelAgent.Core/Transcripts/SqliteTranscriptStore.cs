using System.Text.Json;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Transcripts;

/// <summary>
/// Transcripts in SQLite (<c>transcripts.db</c> under the data directory): one row per line, keyed by conversation and
/// line key (a re-recorded turn inserts nothing), and the latest snapshot per conversation. A turn is one write
/// transaction; each write trims the conversation to its newest lines. Expired rows are purged at start-up and at most
/// once an hour after a write, and reads never return them, so the retention holds even between purges.
/// </summary>
public sealed partial class SqliteTranscriptStore : ITranscriptStore, IDisposable
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS transcript_lines (
            conversation_id TEXT NOT NULL,
            line_key TEXT NOT NULL,
            at_utc INTEGER NOT NULL,
            ord INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            text TEXT NOT NULL,
            options TEXT NULL,
            PRIMARY KEY (conversation_id, line_key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_transcript_lines_conversation_at ON transcript_lines (conversation_id, at_utc, ord);
        CREATE INDEX IF NOT EXISTS ix_transcript_lines_at ON transcript_lines (at_utc);
        CREATE TABLE IF NOT EXISTS transcript_snapshots (
            conversation_id TEXT NOT NULL PRIMARY KEY,
            updated_utc INTEGER NOT NULL,
            snapshot TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    private const string InsertLineSql = """
        INSERT OR IGNORE INTO transcript_lines (conversation_id, line_key, at_utc, ord, speaker, text, options)
        VALUES ($conversation, $key, $at, $ord, $speaker, $text, $options);
        """;

    private const string UpsertSnapshotSql = """
        INSERT INTO transcript_snapshots (conversation_id, updated_utc, snapshot) VALUES ($conversation, $at, $snapshot)
        ON CONFLICT (conversation_id) DO UPDATE SET updated_utc = excluded.updated_utc, snapshot = excluded.snapshot
        WHERE excluded.updated_utc >= transcript_snapshots.updated_utc;
        """;

    private const string TrimSql = """
        DELETE FROM transcript_lines WHERE conversation_id = $conversation AND line_key NOT IN (
            SELECT line_key FROM transcript_lines WHERE conversation_id = $conversation ORDER BY at_utc DESC, ord DESC LIMIT $max);
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SqliteDatabase _database;
    private readonly TranscriptOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteTranscriptStore> _logger;
    private long _lastPurgeTicks;

    public SqliteTranscriptStore(IOptions<HotelAgentOptions> hotelOptions, IOptions<TranscriptOptions> options, TimeProvider time, ILogger<SqliteTranscriptStore> logger)
    {
        ArgumentNullException.ThrowIfNull(hotelOptions);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        _lastPurgeTicks = time.GetUtcNow().UtcTicks;
        DatabasePath = Path.Combine(hotelOptions.Value.ResolveDataDirectory(), _options.DatabaseFileName);
        _database = new SqliteDatabase(DatabasePath, initialize: writer =>
        {
            writer.ExecuteScript(Schema);
            Purge(writer);
        });
    }

    public string DatabasePath { get; }

    public async Task AppendAsync(string conversationId, TranscriptEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        ArgumentNullException.ThrowIfNull(entry);
        await _database.WriteAsync(
            writer =>
            {
                for (var i = 0; i < entry.Lines.Count; i++)
                {
                    var line = entry.Lines[i];
                    writer.Execute(
                        InsertLineSql,
                        ("$conversation", conversationId),
                        ("$key", line.Key),
                        ("$at", line.At.ToUnixTimeMilliseconds()),
                        ("$ord", i),
                        ("$speaker", line.From.ToString()),
                        ("$text", line.Text),
                        ("$options", line.Options.Count == 0 ? null : JsonSerializer.Serialize(line.Options, Json)));
                }

                if (entry.Snapshot is { } snapshot)
                {
                    writer.Execute(
                        UpsertSnapshotSql,
                        ("$conversation", conversationId),
                        ("$at", snapshot.UpdatedAt.ToUnixTimeMilliseconds()),
                        ("$snapshot", JsonSerializer.Serialize(snapshot, Json)));
                }

                return writer.Execute(TrimSql, ("$conversation", conversationId), ("$max", _options.MaxLinesPerConversation));
            },
            cancellationToken);

        // After the write returned: the write gate is not re-entrant.
        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastPurgeTicks);
        if (now.UtcTicks - last >= PurgeInterval.Ticks && Interlocked.CompareExchange(ref _lastPurgeTicks, now.UtcTicks, last) == last)
        {
            await PurgeExpiredAsync(cancellationToken);
        }
    }

    public async Task<ConversationTranscript?> GetAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        var cutoff = Cutoff();
        await using var connection = await _database.OpenReadConnectionAsync(cancellationToken);
        var lines = new List<TranscriptLine>();
        await using (var command = SqliteCommands.Create(
            connection,
            """
            SELECT line_key, at_utc, speaker, text, options FROM transcript_lines
            WHERE conversation_id = $conversation AND at_utc >= $cutoff ORDER BY at_utc, ord;
            """,
            ("$conversation", conversationId),
            ("$cutoff", cutoff)))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(ReadLine(reader, 0));
            }
        }

        TranscriptSnapshot? snapshot = null;
        await using (var command = SqliteCommands.Create(
            connection,
            "SELECT snapshot FROM transcript_snapshots WHERE conversation_id = $conversation AND updated_utc >= $cutoff;",
            ("$conversation", conversationId),
            ("$cutoff", cutoff)))
        {
            if (await command.ExecuteScalarAsync(cancellationToken) is string json)
            {
                snapshot = JsonSerializer.Deserialize<TranscriptSnapshot>(json, Json);
            }
        }

        return lines.Count == 0 && snapshot is null ? null : new ConversationTranscript(conversationId, snapshot, lines);
    }

    public async Task<IReadOnlyDictionary<string, TranscriptLine>> GetLastLinesAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        var result = new Dictionary<string, TranscriptLine>(StringComparer.Ordinal);
        if (conversationIds.Count == 0)
        {
            return result;
        }

        await using var connection = await _database.OpenReadConnectionAsync(cancellationToken);
        await using var command = SqliteCommands.Create(
            connection,
            """
            SELECT conversation_id, line_key, at_utc, speaker, text, options FROM (
                SELECT conversation_id, line_key, at_utc, speaker, text, options,
                       ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY at_utc DESC, ord DESC) AS newest
                FROM transcript_lines
                WHERE conversation_id IN (SELECT value FROM json_each($ids)) AND at_utc >= $cutoff)
            WHERE newest = 1;
            """,
            ("$ids", JsonSerializer.Serialize(conversationIds, Json)),
            ("$cutoff", Cutoff()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = ReadLine(reader, 1);
        }

        return result;
    }

    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => _database.WriteAsync(Purge, cancellationToken);

    public void Dispose() => _database.Dispose();

    private long Cutoff() => (_time.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds();

    private int Purge(SqliteWriter writer)
    {
        var cutoff = Cutoff();
        var deleted = writer.Execute("DELETE FROM transcript_lines WHERE at_utc < $cutoff;", ("$cutoff", cutoff));
        writer.Execute("DELETE FROM transcript_snapshots WHERE updated_utc < $cutoff;", ("$cutoff", cutoff));
        if (deleted > 0)
        {
            LogPurged(_logger, deleted, _options.RetentionDays);
        }

        return deleted;
    }

    private static TranscriptLine ReadLine(System.Data.Common.DbDataReader reader, int first) =>
        new(
            reader.GetString(first),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 1)),
            Enum.Parse<TranscriptSpeaker>(reader.GetString(first + 2)),
            reader.GetString(first + 3))
        {
            Options = reader.IsDBNull(first + 4) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(first + 4), Json) ?? [],
        };

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Purged {Count} transcript lines older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, double days);
}
