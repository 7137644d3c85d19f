using HotelAgent.Core.Hotel;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Embedded;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Pms;

/// <summary>More guests than rooms book at once: exactly as many confirmations as rooms, inventory never negative.</summary>
public sealed class EmbeddedPmsConcurrencyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly HotelProfile _profile = HotelProfile.Load(null);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Twenty_parallel_bookings_for_three_rooms_give_exactly_three_confirmations()
    {
        // Four PMS instances on the same file: the shared in-process write gate plus BEGIN IMMEDIATE serialise them.
        var clients = Enumerable.Range(0, 4).Select(_ => new EmbeddedPmsClient(_dir.File("pms.db"), _profile, TimeProvider.System)).ToArray();
        try
        {
            await clients[0].InitializeAsync();
            var from = new DateOnly(2027, 1, 5);
            var to = new DateOnly(2027, 1, 8);
            var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            {
                try
                {
                    return (object)await clients[i % clients.Length].CreateReservationAsync(EmbeddedPmsClientTests.Booking("guest-" + i, "triple", from, to, 3));
                }
                catch (NoAvailabilityException e)
                {
                    return e;
                }
            })));

            var confirmed = results.OfType<Reservation>().ToList();
            Assert.Equal(3, confirmed.Count);
            Assert.Equal(17, results.OfType<NoAvailabilityException>().Count());
            Assert.Equal(3, confirmed.Select(r => r.Reference).Distinct().Count());
            var booked = await clients[0].BookedPerNightAsync("triple");
            Assert.Equal(3, booked.Count);
            Assert.All(booked.Values, v => Assert.Equal(3, v));
            Assert.Empty(await clients[1].SearchAvailabilityAsync(new StayQuery(from, to, 3, "triple")));
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public async Task Overlapping_partial_ranges_never_overbook_any_night()
    {
        var clients = Enumerable.Range(0, 3).Select(_ => new EmbeddedPmsClient(_dir.File("pms.db"), _profile, TimeProvider.System)).ToArray();
        try
        {
            await clients[0].InitializeAsync();
            var start = new DateOnly(2027, 2, 1);

            // 30 guests, familiar has 2 rooms, stays of 1-4 nights starting on days 0-5.
            var requests = Enumerable.Range(0, 30).Select(i => (CheckIn: start.AddDays(i % 6), Nights: 1 + (i % 4))).ToList();
            var results = await Task.WhenAll(requests.Select((q, i) => Task.Run(async () =>
            {
                try
                {
                    return await clients[i % clients.Length].CreateReservationAsync(EmbeddedPmsClientTests.Booking("p-" + i, "familiar", q.CheckIn, q.CheckIn.AddDays(q.Nights), 4));
                }
                catch (NoAvailabilityException)
                {
                    return null;
                }
            })));

            var confirmed = results.OfType<Reservation>().ToList();
            Assert.NotEmpty(confirmed);
            var booked = await clients[0].BookedPerNightAsync("familiar");
            for (var night = start; night < start.AddDays(10); night = night.AddDays(1))
            {
                var expected = confirmed.Count(r => r.CheckIn <= night && night < r.CheckOut);
                Assert.InRange(expected, 0, 2);
                Assert.Equal(expected, booked.GetValueOrDefault(night));
            }

            // Every rejected stay really had a full night when the dust settled.
            foreach (var (q, i) in requests.Select((q, i) => (q, i)).Where(x => results[x.i] is null))
            {
                var full = Enumerable.Range(0, q.Nights).Any(d => booked.GetValueOrDefault(q.CheckIn.AddDays(d)) >= 2);
                Assert.True(full, $"request {i} was rejected but every night had a room free");
            }
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    [Fact]
    public async Task Forty_concurrent_bookings_of_free_nights_from_two_instances_all_confirm_while_guests_search()
    {
        // Writes are serialised in-process by the shared writer instead of racing for SQLite's lock (SQLITE_BUSY).
        using var a = new EmbeddedPmsClient(_dir.File("pms.db"), _profile, TimeProvider.System);
        using var b = new EmbeddedPmsClient(_dir.File("pms.db"), _profile, TimeProvider.System);
        var first = new DateOnly(2027, 6, 1);
        using var start = new ManualResetEventSlim();
        var bookings = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var night = first.AddDays(i);
            return await (i % 2 == 0 ? a : b).CreateReservationAsync(EmbeddedPmsClientTests.Booking("free-" + i, "triple", night, night.AddDays(1), 2));
        })).ToList();
        var searches = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var night = first.AddDays(i);
            return await (i % 2 == 0 ? b : a).SearchAvailabilityAsync(new StayQuery(night, night.AddDays(1), 2, "triple"));
        })).ToList();
        start.Set();

        var confirmed = await Task.WhenAll(bookings);
        await Task.WhenAll(searches);

        Assert.Equal(40, confirmed.Select(r => r.Reference).Distinct().Count());
        var booked = await a.BookedPerNightAsync("triple");
        Assert.Equal(40, booked.Count);
        Assert.All(booked.Values, v => Assert.Equal(1, v));
    }

    [Fact]
    public async Task Parallel_cancellations_and_bookings_keep_counts_consistent()
    {
        using var pms = new EmbeddedPmsClient(_dir.File("pms.db"), _profile, TimeProvider.System);
        var from = new DateOnly(2027, 3, 1);
        var to = from.AddDays(2);
        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("s-" + i, "simple", from, to, 1))));

        var work = first.Select(r => (Task)pms.CancelReservationAsync(r.Reference, "cancel-" + r.Reference))
            .Concat(Enumerable.Range(0, 10).Select(i => (Task)Task.Run(async () =>
            {
                try
                {
                    await pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("t-" + i, "simple", from, to, 1));
                }
                catch (NoAvailabilityException)
                {
                }
            })));
        await Task.WhenAll(work);

        var confirmed = (await pms.ListReservationsAsync(new ReservationFilter { Status = ReservationStatus.Confirmed })).Count;
        Assert.InRange(confirmed, 0, 4);
        var booked = await pms.BookedPerNightAsync("simple");
        Assert.Equal(confirmed, booked[from]);
        Assert.Equal(confirmed, booked[from.AddDays(1)]);
    }
}
