using System.Text.Json;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Analytics;

/// <summary>
/// The interaction log as <c>/api/staff/stats</c> reads it, on SQLite and on Azure Tables: records written by two instances
/// add up, either instance reads the same figures, and both providers compute them the same way.
/// </summary>
public abstract class InteractionLogContractTests(StoreBackend backend) : IDisposable
{
    private static readonly TimeSpan BuenosAires = TimeSpan.FromHours(-3);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 25, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Records_from_two_instances_give_the_same_statistics_on_either()
    {
        var a = backend.Interactions(_time);
        var b = backend.Interactions(_time);
        var records = new (IInteractionLog Log, InteractionRecord Record)[]
        {
            (a, Rec(Day(19, 9), "conv-a", "check_availability", InteractionOutcomes.Answered, 1000)),
            (b, Rec(Day(19, 9), "conv-a", "check_availability", InteractionOutcomes.Duplicate, 5)),
            (a, Rec(Day(19, 10), "conv-a", "make_reservation", InteractionOutcomes.Clarified, 2000)),
            (b, Rec(Day(19, 11), "conv-a", "Make_Reservation", InteractionOutcomes.Booked, 3000) with { BookingReference = "HPS-1", Revenue = 240.50m, Currency = "ars" }),
            (a, Rec(Day(19, 12), "conv-b", "request_human", InteractionOutcomes.Handoff, 500, Channel.Email)),
            (b, Rec(Day(19, 13), "conv-c", "ask_amenities", InteractionOutcomes.Answered, 1500)),
            (a, Rec(Day(19, 13), "conv-c", "ask_amenities", InteractionOutcomes.RateLimited, 0)),
            // 23:30 in Buenos Aires on the 20th is the 21st in UTC: days are cut in the hotel's time zone.
            (b, Rec(new DateTimeOffset(2027, 3, 20, 23, 30, 0, BuenosAires), "conv-d", "make_reservation", InteractionOutcomes.Booked, 800) with { Revenue = 100.25m, Currency = "ARS" }),
            (a, Rec(Day(21), "conv-a", "cancel_reservation", InteractionOutcomes.Cancelled, 700) with { BookingReference = "HPS-1" }),
            (b, Rec(Day(21), "conv-e", "make_reservation", InteractionOutcomes.Booked, 900) with { Revenue = 50m, Currency = "USD" }),
        };
        await Task.WhenAll(records.Select(r => Task.Run(() => r.Log.RecordAsync(r.Record))));

        var from = new DateOnly(2027, 3, 19);
        var to = new DateOnly(2027, 3, 21);
        var statsA = await a.GetStatsAsync(from, to);
        var statsB = await b.GetStatsAsync(from, to);
        Assert.Equal(JsonSerializer.Serialize(statsA), JsonSerializer.Serialize(statsB));
        Assert.Equal(JsonSerializer.Serialize(await a.GetTotalsAsync(from, to)), JsonSerializer.Serialize(await b.GetTotalsAsync(from, to)));

        var d19 = statsA[0];
        Assert.Equal(6, d19.Messages);
        Assert.Equal(3, d19.Conversations);
        Assert.Equal(1, d19.Bookings);
        Assert.Equal(0.3333, d19.Conversions, 4);
        Assert.Equal(1, d19.Handoffs);
        Assert.Equal(1, d19.Duplicates);
        Assert.Equal(1, d19.RateLimited);
        Assert.Equal(1600, d19.AverageLatencyMs, 1);
        // HPS-1 was cancelled on the 21st: it counts apart, not as the 19th's revenue.
        Assert.Equal(0m, d19.Revenue);
        Assert.Equal((1, 240.50m), (d19.CancelledBookings, d19.CancelledRevenueByCurrency["ARS"]));
        Assert.Equal(new Dictionary<string, int> { ["ask_amenities"] = 2, ["check_availability"] = 1, ["make_reservation"] = 2, ["request_human"] = 1 }, d19.ByIntent);

        var d20 = statsA[1];
        Assert.Equal(1, d20.Messages);
        Assert.Equal(100.25m, d20.Revenue);
        Assert.Equal(1, d20.Conversions);

        var totals = await b.GetTotalsAsync(from, to);
        Assert.Equal(9, totals.Messages);
        Assert.Equal(5, totals.Conversations);
        Assert.Equal(3, totals.Bookings);
        Assert.Equal(0.6, totals.Conversions, 4); // a, d, e of a..e
        Assert.Equal(0.2, totals.HandoffRate, 4);
        Assert.Equal(100.25m, totals.RevenueByCurrency["ARS"]);
        Assert.Equal(50m, totals.RevenueByCurrency["USD"]);
        Assert.Equal(240.50m, totals.CancelledRevenue);
    }

    [Fact]
    public async Task Revenue_counts_live_bookings_at_their_latest_amount_and_cancelled_ones_apart_whichever_instance_recorded_the_change()
    {
        var a = backend.Interactions(_time);
        var b = backend.Interactions(_time);
        await a.RecordAsync(Rec(Day(19, 9), "conv-a", "make_reservation", InteractionOutcomes.Booked, 1) with { BookingReference = "HA-1", Revenue = 200m, Currency = "ARS" });
        await a.RecordAsync(Rec(Day(19, 10), "conv-b", "make_reservation", InteractionOutcomes.Booked, 1) with { BookingReference = "HA-2", Revenue = 300m, Currency = "ARS" });
        await a.RecordAsync(Rec(Day(19, 11), "conv-c", "make_reservation", InteractionOutcomes.Booked, 1) with { BookingReference = "HA-3", Revenue = 150m, Currency = "ARS" });
        await b.RecordAsync(Rec(Day(20, 9), "conv-b", "modify_reservation", InteractionOutcomes.Modified, 1) with { BookingReference = "HA-2", Revenue = 400m, Currency = "ARS" });
        await b.RecordAsync(Rec(Day(20, 12), "conv-b", "modify_reservation", InteractionOutcomes.Modified, 1) with { BookingReference = "HA-2", Revenue = 450m, Currency = "ARS" });
        await b.RecordAsync(Rec(Day(20, 10), "conv-c", "modify_reservation", InteractionOutcomes.Modified, 1) with { BookingReference = "HA-3", Revenue = 175m, Currency = "ARS" });
        await a.RecordAsync(Rec(Day(21, 9), "conv-c", "cancel_reservation", InteractionOutcomes.Cancelled, 1) with { BookingReference = "HA-3" });

        foreach (var log in new[] { a, b })
        {
            var totals = await log.GetTotalsAsync(new DateOnly(2027, 3, 19), new DateOnly(2027, 3, 21));
            var day19 = (await log.GetStatsAsync(new DateOnly(2027, 3, 19), new DateOnly(2027, 3, 19))).Single();

            // HA-1 as booked, HA-2 at its last price, HA-3 (changed, then cancelled) apart at its last price.
            Assert.Equal(3, totals.Bookings);
            Assert.Equal(650m, totals.Revenue);
            Assert.Equal(650m, totals.RevenueByCurrency["ARS"]);
            Assert.Equal((1, 175m), (totals.CancelledBookings, totals.CancelledRevenue));
            Assert.Equal((650m, 1, 175m), (day19.Revenue, day19.CancelledBookings, day19.CancelledRevenue));
        }
    }

    [Fact]
    public async Task Ranges_are_validated_and_contacts_are_refused()
    {
        var log = backend.Interactions(_time);
        await Assert.ThrowsAsync<ArgumentException>(() => log.GetStatsAsync(new DateOnly(2027, 3, 2), new DateOnly(2027, 3, 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => log.GetTotalsAsync(new DateOnly(2026, 1, 1), new DateOnly(2027, 3, 1)));
        await Assert.ThrowsAsync<ArgumentException>(() => log.RecordAsync(Rec(Day(19), "+5491155550000", "greeting", InteractionOutcomes.Answered, 1)));
        var empty = await log.GetStatsAsync(new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 2));
        Assert.All(empty, d => Assert.Equal(0, d.Messages));
    }

    private static InteractionRecord Rec(DateTimeOffset at, string conversation, string intent, string outcome, double latency, Channel channel = Channel.WhatsApp) =>
        new(at, conversation, channel, intent, 0.9, outcome, latency);

    private static DateTimeOffset Day(int day, int hour = 10) => new(2027, 3, day, hour, 0, 0, BuenosAires);
}

public sealed class SqliteInteractionLogContractTests() : InteractionLogContractTests(StoreBackend.Sqlite());

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablesInteractionLogContractTests(AzuriteFixture azurite) : InteractionLogContractTests(StoreBackend.Azure(azurite));
