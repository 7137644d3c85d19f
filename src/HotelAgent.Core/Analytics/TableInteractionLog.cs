using System.Globalization;
using Azure.Data.Tables;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Analytics;

/// <summary>
/// The interaction log on Azure Tables (table <c>{prefix}Interactions</c>), so <c>/api/staff/stats</c> reads the same figures
/// on every instance. Partition = the day in the hotel's time zone (the statistics query a day range: one partition-range
/// scan), row = UTC ticks + a random suffix (unique, in time order). Figures are aggregated in memory by the same
/// accumulator the SQLite log's rows feed; the contract tests keep both logs equal. A booking's later change or
/// cancellation may fall on another day, so booking events are also kept per booking (table <c>{prefix}Bookings</c>,
/// partition = booking reference, row = UTC ticks + suffix): revenue counts each booking of the range at its latest amount,
/// and cancelled ones apart, with one small partition query per booking.
/// </summary>
public sealed partial class TableInteractionLog : IInteractionLog
{
    public const string TableName = "Interactions";
    public const string BookingsTableName = "Bookings";

    private readonly AzureStorageAccount _account;
    private readonly AnalyticsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TableInteractionLog> _logger;
    private readonly TimeZoneInfo _timeZone;
    private int _purged;

    public TableInteractionLog(AzureStorageAccount account, IOptions<AnalyticsOptions> options, TimeProvider time, ILogger<TableInteractionLog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _account = account;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _timeZone = InteractionRow.TryFindTimeZone(_options.TimeZone) ?? TimeZoneInfo.Utc;
        if (InteractionRow.TryFindTimeZone(_options.TimeZone) is null)
        {
            LogUnknownTimeZone(logger, _options.TimeZone);
        }
    }

    public async Task RecordAsync(InteractionRecord record, CancellationToken cancellationToken = default)
    {
        var row = InteractionRow.From(record, _timeZone);
        var table = await TableAsync(cancellationToken);
        var entity = new TableEntity(row.Day, record.Timestamp.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"))
        {
            ["Ts"] = row.Timestamp,
            ["ConversationId"] = row.ConversationId,
            ["Channel"] = row.Channel,
            ["Intent"] = row.Intent,
            ["Confidence"] = row.Confidence,
            ["Outcome"] = row.Outcome,
            ["BookingReference"] = row.BookingReference,
            ["Revenue"] = row.Revenue,
            ["Currency"] = row.Currency,
            ["LatencyMs"] = row.LatencyMs,
        };
        await table.AddEntityAsync(entity, cancellationToken);
        if (row.BookingReference is { Length: > 0 } reference
            && row.Outcome is InteractionOutcomes.Booked or InteractionOutcomes.Modified or InteractionOutcomes.Cancelled)
        {
            var bookings = await _account.GetTableAsync(BookingsTableName, cancellationToken);
            await bookings.AddEntityAsync(
                new TableEntity(TableKeys.Escape(reference), entity.RowKey)
                {
                    ["Ts"] = row.Timestamp,
                    ["Outcome"] = row.Outcome,
                    ["Revenue"] = row.Revenue,
                },
                cancellationToken);
        }
    }

    public async Task<IReadOnlyList<DailyInteractionStats>> GetStatsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        InteractionRow.ValidateRange(from, to, _options.MaxRangeDays);
        var days = new SortedDictionary<DateOnly, InteractionStatsAccumulator>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            days[d] = new InteractionStatsAccumulator();
        }

        var booked = new List<(InteractionStatsAccumulator Group, InteractionRow Row)>();
        await foreach (var row in ReadAsync(from, to, cancellationToken))
        {
            var day = days[InteractionRow.ParseDay(row.Day)];
            day.Add(row);
            booked.AddRange(BookingOf(day, row));
        }

        await AddRevenueAsync(booked, cancellationToken);

        return days.Select(kv => kv.Value.ToStats(kv.Key)).ToList();
    }

    public async Task<InteractionTotals> GetTotalsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        InteractionRow.ValidateRange(from, to, _options.MaxRangeDays);
        var acc = new InteractionStatsAccumulator();
        var booked = new List<(InteractionStatsAccumulator Group, InteractionRow Row)>();
        await foreach (var row in ReadAsync(from, to, cancellationToken))
        {
            acc.Add(row);
            booked.AddRange(BookingOf(acc, row));
        }

        await AddRevenueAsync(booked, cancellationToken);
        return acc.ToTotals(from, to);
    }

    private static IEnumerable<(InteractionStatsAccumulator, InteractionRow)> BookingOf(InteractionStatsAccumulator group, InteractionRow row) =>
        row.Outcome == InteractionOutcomes.Booked && row.Revenue is not null ? [(group, row)] : [];

    /// <summary>
    /// Each booking at its latest amount (the newest change at or after it), cancelled ones apart: the twin of the SQLite
    /// log's revenue query, reading the booking's events from <see cref="BookingsTableName"/>.
    /// </summary>
    private async Task AddRevenueAsync(List<(InteractionStatsAccumulator Group, InteractionRow Row)> booked, CancellationToken cancellationToken)
    {
        if (booked.Count == 0)
        {
            return;
        }

        var bookings = await _account.GetTableAsync(BookingsTableName, cancellationToken);
        foreach (var (group, row) in booked)
        {
            var amountText = row.Revenue;
            var cancelled = false;
            if (row.BookingReference is { Length: > 0 } reference)
            {
                string? latestTs = null;
                var filter = $"PartitionKey eq {TableKeys.Quote(TableKeys.Escape(reference))}";
                await foreach (var e in bookings.QueryAsync<TableEntity>(filter, select: ["Ts", "Outcome", "Revenue"], cancellationToken: cancellationToken))
                {
                    var outcome = e.GetString("Outcome");
                    var ts = e.GetString("Ts") ?? string.Empty;
                    cancelled |= outcome == InteractionOutcomes.Cancelled;
                    if (outcome == InteractionOutcomes.Modified && e.GetString("Revenue") is { } revised
                        && string.CompareOrdinal(ts, row.Timestamp) >= 0 && (latestTs is null || string.CompareOrdinal(ts, latestTs) > 0))
                    {
                        latestTs = ts;
                        amountText = revised;
                    }
                }
            }

            if (decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
            {
                group.AddBooking(row.Currency ?? string.Empty, amount, cancelled);
            }
        }
    }

    /// <summary>Deletes the days older than <see cref="AnalyticsOptions.RetentionDays"/> (run once per process on first use, like the SQLite log).</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        if (_options.RetentionDays <= 0)
        {
            return 0;
        }

        var table = await _account.GetTableAsync(TableName, cancellationToken);
        var cutoff = InteractionRow.DayText(DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime.AddDays(-_options.RetentionDays)));
        var deleted = await Channels.Common.TableStoreMaintenance.DeleteWhereAsync(table, $"PartitionKey lt {TableKeys.Quote(cutoff)}", cancellationToken);
        if (deleted > 0)
        {
            LogPurged(_logger, deleted, _options.RetentionDays);
        }

        return deleted;
    }

    private async Task<TableClient> TableAsync(CancellationToken cancellationToken)
    {
        var table = await _account.GetTableAsync(TableName, cancellationToken);
        if (Interlocked.Exchange(ref _purged, 1) == 0)
        {
            await PurgeExpiredAsync(cancellationToken);
        }

        return table;
    }

    private async IAsyncEnumerable<InteractionRow> ReadAsync(DateOnly from, DateOnly to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var filter = $"PartitionKey ge {TableKeys.Quote(InteractionRow.DayText(from))} and PartitionKey le {TableKeys.Quote(InteractionRow.DayText(to))}";
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new InteractionRow(
                e.GetString("Ts") ?? string.Empty, e.PartitionKey, e.GetString("ConversationId") ?? string.Empty, e.GetString("Channel") ?? string.Empty,
                e.GetString("Intent") ?? "unknown", e.GetDouble("Confidence") ?? 0, e.GetString("Outcome") ?? "unknown", e.GetString("BookingReference"),
                e.GetString("Revenue"), e.GetString("Currency"), e.GetDouble("LatencyMs") ?? 0);
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Analytics time zone '{TimeZone}' is unknown; days are cut in UTC")]
    private static partial void LogUnknownTimeZone(ILogger logger, string timeZone);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Purged {Count} interaction records older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, int days);
}
