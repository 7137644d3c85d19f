using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Observability;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Analytics;

public sealed class SqliteInteractionLogTests : IDisposable
{
    private static readonly TimeSpan Madrid = TimeSpan.FromHours(1); // CET in November
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private SqliteInteractionLog CreateLog(AnalyticsOptions? options = null) => new(
        Options.Create(new HotelAgentOptions { DataDirectory = _dir.Path }),
        Options.Create(options ?? new AnalyticsOptions()),
        _time,
        NullLogger<SqliteInteractionLog>.Instance);

    private static InteractionRecord Rec(DateTimeOffset at, string conversation, string intent, string outcome, Channel channel = Channel.WhatsApp, double latency = 800)
        => new(at, conversation, channel, intent, 0.9, outcome, latency);

    private static DateTimeOffset Day(int day, int hour = 10) => new(2026, 11, day, hour, 0, 0, Madrid);

    [Fact]
    public async Task Stores_in_analytics_db_under_the_data_directory()
    {
        var log = CreateLog();
        await log.RecordAsync(Rec(Day(20), "conv-whatsapp-aaa", "greeting", InteractionOutcomes.Answered));

        Assert.Equal(Path.Combine(_dir.Path, "analytics.db"), log.DatabasePath);
        Assert.True(File.Exists(log.DatabasePath));
    }

    [Fact]
    public async Task Per_day_stats_count_messages_intents_bookings_conversions_handoffs_and_revenue()
    {
        var log = CreateLog();
        // Day 19: conversation A books (3 messages), conversation B is handed off, C only asks.
        await log.RecordAsync(Rec(Day(19, 9), "conv-a", "Availability", InteractionOutcomes.Answered, latency: 1000));
        await log.RecordAsync(Rec(Day(19, 9), "conv-a", "availability", InteractionOutcomes.Duplicate, latency: 5));
        await log.RecordAsync(Rec(Day(19, 10), "conv-a", "booking", InteractionOutcomes.Clarified, latency: 2000));
        await log.RecordAsync(Rec(Day(19, 11), "conv-a", "booking", InteractionOutcomes.Booked, latency: 3000) with { BookingReference = "HA-1001", Revenue = 240.50m, Currency = "eur" });
        await log.RecordAsync(Rec(Day(19, 12), "conv-b", "complaint", InteractionOutcomes.Handoff, Channel.Email, latency: 500));
        await log.RecordAsync(Rec(Day(19, 13), "conv-c", "faq", InteractionOutcomes.Answered, latency: 1500));
        await log.RecordAsync(Rec(Day(19, 13), "conv-c", "faq", InteractionOutcomes.RateLimited, latency: 0));
        // Day 21: one more booking in the same currency plus a cancellation.
        await log.RecordAsync(Rec(Day(21), "conv-d", "booking", InteractionOutcomes.Booked) with { Revenue = 100m, Currency = "EUR" });
        await log.RecordAsync(Rec(Day(21), "conv-a", "cancel", InteractionOutcomes.Cancelled) with { BookingReference = "HA-1001" });

        var stats = await log.GetStatsAsync(new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 21));

        Assert.Equal([new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 21)], stats.Select(s => s.Date).ToArray());

        var d19 = stats[0];
        Assert.Equal(6, d19.Messages); // duplicate excluded, rate-limited included
        Assert.Equal(3, d19.Conversations);
        Assert.Equal(1, d19.Bookings);
        Assert.Equal(0.3333, d19.Conversions, 4);
        Assert.Equal(1, d19.Handoffs);
        Assert.Equal(0.3333, d19.HandoffRate, 4);
        // HA-1001 was cancelled on day 21: it is no longer revenue, it shows apart.
        Assert.Equal(0m, d19.Revenue);
        Assert.Empty(d19.RevenueByCurrency);
        Assert.Equal(1, d19.CancelledBookings);
        Assert.Equal(240.50m, d19.CancelledRevenue);
        Assert.Equal(240.50m, d19.CancelledRevenueByCurrency["EUR"]);
        Assert.Equal(1, d19.Duplicates);
        Assert.Equal(1, d19.RateLimited);
        Assert.Equal(1600, d19.AverageLatencyMs, 1); // (1000+2000+3000+500+1500)/5
        Assert.Equal(new Dictionary<string, int> { ["availability"] = 1, ["booking"] = 2, ["complaint"] = 1, ["faq"] = 2 }, d19.ByIntent);

        var d20 = stats[1];
        Assert.Equal(0, d20.Messages);
        Assert.Equal(0, d20.Conversions);
        Assert.Equal(0, d20.HandoffRate);
        Assert.Empty(d20.ByIntent);

        var d21 = stats[2];
        Assert.Equal(2, d21.Messages);
        Assert.Equal(1, d21.Bookings);
        Assert.Equal(0.5, d21.Conversions);
        Assert.Equal(100m, d21.Revenue);
        Assert.Equal(0, d21.CancelledBookings);
    }

    [Fact]
    public async Task Revenue_counts_live_bookings_at_their_latest_amount_and_cancelled_ones_apart()
    {
        var log = CreateLog();
        await log.RecordAsync(Rec(Day(19, 9), "conv-a", "booking", InteractionOutcomes.Booked) with { BookingReference = "HA-1", Revenue = 200m, Currency = "ARS" });
        await log.RecordAsync(Rec(Day(19, 10), "conv-b", "booking", InteractionOutcomes.Booked) with { BookingReference = "HA-2", Revenue = 300m, Currency = "ARS" });
        await log.RecordAsync(Rec(Day(19, 11), "conv-c", "booking", InteractionOutcomes.Booked) with { BookingReference = "HA-3", Revenue = 150m, Currency = "ARS" });
        await log.RecordAsync(Rec(Day(20, 9), "conv-b", "modify", InteractionOutcomes.Modified) with { BookingReference = "HA-2", Revenue = 450m, Currency = "ARS" });
        await log.RecordAsync(Rec(Day(20, 10), "conv-c", "modify", InteractionOutcomes.Modified) with { BookingReference = "HA-3", Revenue = 175m, Currency = "ARS" });
        await log.RecordAsync(Rec(Day(21, 9), "conv-c", "cancel", InteractionOutcomes.Cancelled) with { BookingReference = "HA-3" });

        var totals = await log.GetTotalsAsync(new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 21));
        var day19 = (await log.GetStatsAsync(new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 19))).Single();

        // HA-1 as booked, HA-2 at its changed price, HA-3 (changed, then cancelled) apart at its last price.
        Assert.Equal(3, totals.Bookings);
        Assert.Equal(650m, totals.Revenue);
        Assert.Equal(650m, totals.RevenueByCurrency["ARS"]);
        Assert.Equal(1, totals.CancelledBookings);
        Assert.Equal(175m, totals.CancelledRevenue);
        Assert.Equal((650m, 1, 175m), (day19.Revenue, day19.CancelledBookings, day19.CancelledRevenue));
    }

    [Fact]
    public async Task Totals_count_each_conversation_once_over_the_range()
    {
        var log = CreateLog();
        // conv-a asks on day 19 and books on day 20; conv-b only asks on day 20.
        await log.RecordAsync(Rec(Day(19), "conv-a", "availability", InteractionOutcomes.Answered, latency: 1000));
        await log.RecordAsync(Rec(Day(20), "conv-a", "booking", InteractionOutcomes.Booked, latency: 3000) with { Revenue = 99.99m, Currency = "EUR" });
        await log.RecordAsync(Rec(Day(20), "conv-b", "faq", InteractionOutcomes.Handoff, latency: 2000));
        await log.RecordAsync(Rec(Day(25), "conv-z", "faq", InteractionOutcomes.Answered)); // outside the range

        var totals = await log.GetTotalsAsync(new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 20));

        Assert.Equal(new DateOnly(2026, 11, 19), totals.From);
        Assert.Equal(new DateOnly(2026, 11, 20), totals.To);
        Assert.Equal(3, totals.Messages);
        Assert.Equal(2, totals.Conversations);
        Assert.Equal(1, totals.Bookings);
        Assert.Equal(0.5, totals.Conversions); // day 19 alone would say 0, day 20 alone 0.5
        Assert.Equal(0.5, totals.HandoffRate);
        Assert.Equal(99.99m, totals.Revenue);
        Assert.Equal(2000, totals.AverageLatencyMs, 1);
        Assert.Equal(3, totals.ByIntent.Values.Sum());

        var empty = await log.GetTotalsAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2));
        Assert.Equal(0, empty.Messages);
        Assert.Equal(0, empty.Conversions);
        Assert.Empty(empty.ByIntent);
    }

    [Fact]
    public async Task Days_are_cut_in_the_hotel_time_zone()
    {
        var log = CreateLog(new AnalyticsOptions { TimeZone = "Europe/Madrid" });
        // 23:30 UTC on the 20th is 00:30 on the 21st in Madrid.
        await log.RecordAsync(Rec(new DateTimeOffset(2026, 11, 20, 23, 30, 0, TimeSpan.Zero), "conv-late", "faq", InteractionOutcomes.Answered));

        var stats = await log.GetStatsAsync(new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 21));
        Assert.Equal(0, stats[0].Messages);
        Assert.Equal(1, stats[1].Messages);
    }

    [Fact]
    public async Task Stored_rows_hold_no_message_body_or_contact()
    {
        var log = CreateLog();
        var conversation = ConversationIds.For(Channel.WhatsApp, "+34600111222");
        await log.RecordAsync(Rec(Day(20), conversation, "greeting", InteractionOutcomes.Answered));

        await using var c = new SqliteConnection($"Data Source={log.DatabasePath}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM interactions";
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        var columns = Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToArray();
        Assert.DoesNotContain(columns, n => n.Contains("text", StringComparison.OrdinalIgnoreCase) || n.Contains("body", StringComparison.OrdinalIgnoreCase) || n.Contains("guest", StringComparison.OrdinalIgnoreCase));
        var values = Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.DoesNotContain(values, v => v!.Contains("600111", StringComparison.Ordinal));
        Assert.Contains(conversation, values);
    }

    [Theory]
    [InlineData("+34600111222")]
    [InlineData("ana@example.com")]
    public async Task Raw_contacts_are_refused_as_conversation_ids(string contact)
    {
        var log = CreateLog();
        await Assert.ThrowsAsync<ArgumentException>(() => log.RecordAsync(Rec(Day(20), contact, "faq", InteractionOutcomes.Answered)));
    }

    [Fact]
    public async Task Invalid_ranges_are_rejected()
    {
        var log = CreateLog(new AnalyticsOptions { MaxRangeDays = 31 });
        await Assert.ThrowsAsync<ArgumentException>(() => log.GetStatsAsync(new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => log.GetStatsAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 1)));
        Assert.Single(await log.GetStatsAsync(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1)));
    }

    [Fact]
    public async Task Records_older_than_retention_are_purged()
    {
        var log = CreateLog(new AnalyticsOptions { RetentionDays = 30 });
        await log.RecordAsync(Rec(_time.GetUtcNow().AddDays(-45), "conv-old", "faq", InteractionOutcomes.Answered));
        await log.RecordAsync(Rec(_time.GetUtcNow().AddDays(-1), "conv-new", "faq", InteractionOutcomes.Answered));

        Assert.Equal(1, await log.PurgeExpiredAsync());
        var stats = await log.GetStatsAsync(DateOnly.FromDateTime(_time.GetUtcNow().AddDays(-50).Date), DateOnly.FromDateTime(_time.GetUtcNow().Date));
        Assert.Equal(1, stats.Sum(s => s.Messages));
    }

    [Fact]
    public async Task Concurrent_writers_do_not_lose_records()
    {
        var log = CreateLog();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            log.RecordAsync(Rec(Day(20), $"conv-{i % 8}", "faq", InteractionOutcomes.Answered))));

        var day = Assert.Single(await log.GetStatsAsync(new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20)));
        Assert.Equal(40, day.Messages);
        Assert.Equal(8, day.Conversations);
    }

}
