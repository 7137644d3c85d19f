using System.Globalization;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Analytics;

/// <summary>
/// The interaction log in SQLite (<c>analytics.db</c> under the data directory). One row per handled message;
/// days are cut in the hotel's time zone when the row is written so per-day queries are simple index scans. Inserts go
/// one at a time through the file's single writer on a prepared statement; statistics read on pooled connections.
/// </summary>
public sealed partial class SqliteInteractionLog : IInteractionLog, IDisposable
{
    private const string DayFormat = "yyyy-MM-dd";

    private const string InsertSql = """
        INSERT INTO interactions (ts, day, conversation_id, channel, intent, confidence, outcome, booking_reference, revenue, currency, latency_ms)
        VALUES ($ts, $day, $conversation, $channel, $intent, $confidence, $outcome, $booking, $revenue, $currency, $latency)
        """;

    private readonly SqliteDatabase _database;
    private readonly TimeZoneInfo _timeZone;
    private readonly AnalyticsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteInteractionLog> _logger;

    public SqliteInteractionLog(
        IOptions<HotelAgentOptions> hotelOptions,
        IOptions<AnalyticsOptions> options,
        TimeProvider time,
        ILogger<SqliteInteractionLog> logger)
    {
        ArgumentNullException.ThrowIfNull(hotelOptions);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        DatabasePath = Path.Combine(hotelOptions.Value.ResolveDataDirectory(), _options.DatabaseFileName);
        // Schema, then the retention purge, once per instance before the first use.
        _database = new SqliteDatabase(DatabasePath, initialize: writer =>
        {
            writer.ExecuteScript(Schema);
            Purge(writer);
        });
        _timeZone = ResolveTimeZone(_options.TimeZone, logger);
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string DatabasePath { get; }

    public async Task RecordAsync(InteractionRecord record, CancellationToken cancellationToken = default)
    {
        var row = InteractionRow.From(record, _timeZone);
        await _database.WriteAsync(
            writer => writer.Execute(
                InsertSql,
                ("$ts", row.Timestamp),
                ("$day", row.Day),
                ("$conversation", row.ConversationId),
                ("$channel", row.Channel),
                ("$intent", row.Intent),
                ("$confidence", row.Confidence),
                ("$outcome", row.Outcome),
                ("$booking", row.BookingReference),
                ("$revenue", row.Revenue),
                ("$currency", row.Currency),
                ("$latency", row.LatencyMs)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<DailyInteractionStats>> GetStatsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ValidateRange(from, to);
        var rows = new SortedDictionary<DateOnly, InteractionStatsAccumulator>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            rows[d] = new InteractionStatsAccumulator();
        }

        var found = await AggregateAsync(from, to, perDay: true, cancellationToken);
        foreach (var (key, acc) in found)
        {
            rows[ParseDay(key)] = acc;
        }

        return rows.Select(kv => kv.Value.ToStats(kv.Key)).ToList();
    }

    public async Task<InteractionTotals> GetTotalsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        ValidateRange(from, to);
        var found = await AggregateAsync(from, to, perDay: false, cancellationToken);
        var acc = found.Values.SingleOrDefault() ?? new InteractionStatsAccumulator();
        return acc.ToTotals(from, to);
    }

    private void ValidateRange(DateOnly from, DateOnly to) => InteractionRow.ValidateRange(from, to, _options.MaxRangeDays);

    /// <summary>Aggregates rows of the day range, grouped per day or as one group (key "total").</summary>
    private async Task<Dictionary<string, InteractionStatsAccumulator>> AggregateAsync(DateOnly from, DateOnly to, bool perDay, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, InteractionStatsAccumulator>(StringComparer.Ordinal);
        InteractionStatsAccumulator Get(string key)
        {
            if (!groups.TryGetValue(key, out var acc))
            {
                acc = new InteractionStatsAccumulator();
                groups[key] = acc;
            }

            return acc;
        }

        // The grouping expression is one of two constants, never user input.
        var key = perDay ? "day" : "'total'";
        var f = from.ToString(DayFormat, CultureInfo.InvariantCulture);
        var t = to.ToString(DayFormat, CultureInfo.InvariantCulture);
        await using var connection = await _database.OpenReadConnectionAsync(cancellationToken);

        await using (var totals = connection.CreateCommand())
        {
#pragma warning disable CA2100 // Only the constant grouping expression is interpolated.
            totals.CommandText = $"""
                SELECT {key},
                       SUM(outcome <> 'duplicate'),
                       COUNT(DISTINCT CASE WHEN outcome <> 'duplicate' THEN conversation_id END),
                       SUM(outcome = 'booked'),
                       COUNT(DISTINCT CASE WHEN outcome = 'booked' THEN conversation_id END),
                       SUM(outcome = 'handoff'),
                       COUNT(DISTINCT CASE WHEN outcome = 'handoff' THEN conversation_id END),
                       SUM(outcome = 'duplicate'),
                       SUM(outcome = 'rate_limited'),
                       AVG(CASE WHEN outcome NOT IN ('duplicate', 'rate_limited') THEN latency_ms END)
                FROM interactions WHERE day BETWEEN $from AND $to GROUP BY {key}
                """;
#pragma warning restore CA2100
            totals.Parameters.AddWithValue("$from", f);
            totals.Parameters.AddWithValue("$to", t);
            await using var reader = await totals.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var acc = Get(reader.GetString(0));
                acc.Messages = reader.GetInt32(1);
                acc.Conversations = reader.GetInt32(2);
                acc.Bookings = reader.GetInt32(3);
                acc.BookedConversations = reader.GetInt32(4);
                acc.Handoffs = reader.GetInt32(5);
                acc.HandedOffConversations = reader.GetInt32(6);
                acc.Duplicates = reader.GetInt32(7);
                acc.RateLimited = reader.GetInt32(8);
                acc.AverageLatencyMs = reader.IsDBNull(9) ? 0 : reader.GetDouble(9);
            }
        }

        await using (var intents = connection.CreateCommand())
        {
#pragma warning disable CA2100 // Only the constant grouping expression is interpolated.
            intents.CommandText = $"""
                SELECT {key}, intent, COUNT(*) FROM interactions
                WHERE day BETWEEN $from AND $to AND outcome <> 'duplicate' GROUP BY {key}, intent
                """;
#pragma warning restore CA2100
            intents.Parameters.AddWithValue("$from", f);
            intents.Parameters.AddWithValue("$to", t);
            await using var reader = await intents.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Get(reader.GetString(0)).ByIntent[reader.GetString(1)] = reader.GetInt32(2);
            }
        }

        await using (var revenue = connection.CreateCommand())
        {
            // Each booking at its latest amount (a change re-prices it); bookings cancelled since count apart, never as
            // revenue. Amounts are stored as invariant decimal text and summed here to keep decimal precision.
#pragma warning disable CA2100 // Only the constant grouping expression is interpolated.
            revenue.CommandText = $"""
                SELECT {key}, COALESCE(b.currency, ''),
                       COALESCE((SELECT m.revenue FROM interactions m
                                 WHERE m.booking_reference = b.booking_reference AND m.outcome = 'modified' AND m.revenue IS NOT NULL AND m.ts >= b.ts
                                 ORDER BY m.ts DESC LIMIT 1), b.revenue),
                       EXISTS (SELECT 1 FROM interactions c WHERE c.booking_reference = b.booking_reference AND c.outcome = 'cancelled')
                FROM interactions b
                WHERE b.day BETWEEN $from AND $to AND b.outcome = 'booked' AND b.revenue IS NOT NULL
                """;
#pragma warning restore CA2100
            revenue.Parameters.AddWithValue("$from", f);
            revenue.Parameters.AddWithValue("$to", t);
            await using var reader = await revenue.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!decimal.TryParse(reader.GetString(2), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
                {
                    continue;
                }

                Get(reader.GetString(0)).AddBooking(reader.GetString(1), amount, cancelled: reader.GetInt64(3) != 0);
            }
        }

        return groups;
    }

    /// <summary>Deletes records older than <see cref="AnalyticsOptions.RetentionDays"/>. Returns the number deleted.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => _database.WriteAsync(Purge, cancellationToken);

    private int Purge(SqliteWriter writer)
    {
        if (_options.RetentionDays <= 0)
        {
            return 0;
        }

        var cutoff = _time.GetUtcNow().AddDays(-_options.RetentionDays).ToString("O", CultureInfo.InvariantCulture);
        var deleted = writer.Execute("DELETE FROM interactions WHERE ts < $cutoff", ("$cutoff", cutoff));
        if (deleted > 0)
        {
            Log.Purged(_logger, deleted, _options.RetentionDays);
        }

        return deleted;
    }

    public void Dispose() => _database.Dispose();

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS interactions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ts TEXT NOT NULL,
            day TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            intent TEXT NOT NULL,
            confidence REAL NOT NULL,
            outcome TEXT NOT NULL,
            booking_reference TEXT NULL,
            revenue TEXT NULL,
            currency TEXT NULL,
            latency_ms REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_interactions_day ON interactions (day);
        CREATE INDEX IF NOT EXISTS ix_interactions_ts ON interactions (ts);
        CREATE INDEX IF NOT EXISTS ix_interactions_booking ON interactions (booking_reference, outcome);
        """;

    private static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, DayFormat, CultureInfo.InvariantCulture);

    private static TimeZoneInfo ResolveTimeZone(string id, ILogger logger)
    {
        if (InteractionRow.TryFindTimeZone(id) is { } zone)
        {
            return zone;
        }

        Log.UnknownTimeZone(logger, id);
        return TimeZoneInfo.Utc;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Analytics time zone '{TimeZone}' is unknown; days are cut in UTC")]
        public static partial void UnknownTimeZone(ILogger logger, string timeZone);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Purged {Count} interaction records older than {Days} days")]
        public static partial void Purged(ILogger logger, int count, int days);
    }
}
