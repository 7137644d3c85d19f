using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Pms;

/// <summary>
/// The embedded PMS on SQLite and on Azure Tables: the same answers, and two instances selling from one inventory never
/// overbook a night (a second client object on the same state is a second instance).
/// </summary>
public abstract class EmbeddedPmsContractTests(StoreBackend backend) : IDisposable
{
    private static readonly DateOnly Jan30 = new(2027, 1, 30);
    private readonly HotelProfile _profile = HotelProfile.Load(null);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Room_types_come_from_the_profile_and_availability_counts_every_night_across_months()
    {
        var pms = backend.Pms(_profile, _time);
        var types = await pms.GetRoomTypesAsync();
        Assert.Equal(_profile.RoomTypes.Select(t => t.Code), types.Select(t => t.Code));
        Assert.Equal(1, types.Single(t => t.Code == "suite").Inventory);

        // A stay across the month boundary (Jan 30 - Feb 2) takes three nights in two months.
        var booked = await pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-suite", "suite", Jan30, Jan30.AddDays(3)));
        Assert.Equal(3 * 210000m, booked.TotalPrice);
        Assert.Empty(await pms.SearchAvailabilityAsync(new StayQuery(new DateOnly(2027, 2, 1), new DateOnly(2027, 2, 3), 2, "suite")));
        Assert.Single(await pms.SearchAvailabilityAsync(new StayQuery(new DateOnly(2027, 2, 2), new DateOnly(2027, 2, 4), 2, "suite")));
        var calendar = await pms.GetAvailabilityCalendarAsync(new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 1));
        Assert.Equal(0, calendar.Single(c => c.RoomType == "suite").Available);
        Assert.Equal(8, calendar.Single(c => c.RoomType == "doble").Available);
        await Assert.ThrowsAsync<UnknownRoomTypeException>(() => pms.SearchAvailabilityAsync(new StayQuery(Jan30, Jan30.AddDays(1), 2, "penthouse")));
        await Assert.ThrowsAsync<NoAvailabilityException>(() => pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-big", "doble", Jan30, Jan30.AddDays(1), guests: 3)));
    }

    [Fact]
    public async Task Bookings_are_found_by_reference_and_contact_and_a_retried_create_returns_the_same_booking()
    {
        var a = backend.Pms(_profile, _time);
        var b = backend.Pms(_profile, _time);
        var created = await a.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-1", "doble", Jan30, Jan30.AddDays(2), contact: "+54 9 11 5555-1234"));
        var again = await b.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-1", "doble", Jan30, Jan30.AddDays(2), contact: "+54 9 11 5555-1234"));
        Assert.Equal(created.Reference, again.Reference);
        var emailed = await b.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-2", "simple", Jan30, Jan30.AddDays(1), guests: 1, contact: "Ana@Example.com"));
        Assert.Equal("Ana@Example.com", emailed.Email);

        Assert.Equal(created, await b.GetReservationAsync(created.Reference.ToLowerInvariant()));
        Assert.Equal([created.Reference], (await b.FindReservationsByContactAsync("5491155551234")).Select(r => r.Reference));
        Assert.Equal([emailed.Reference], (await a.FindReservationsByContactAsync("ana@example.com")).Select(r => r.Reference));
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => a.GetReservationAsync("HPS-NOPE00"));
        var listed = await a.ListReservationsAsync(new ReservationFilter { Status = ReservationStatus.Confirmed });
        Assert.Equal(2, listed.Count);
        Assert.Equal(7, (await b.GetAvailabilityCalendarAsync(Jan30, Jan30.AddDays(2))).Single(c => c.RoomType == "doble").Available);
    }

    [Fact]
    public async Task Modify_and_cancel_move_the_inventory_once_per_idempotency_key()
    {
        var a = backend.Pms(_profile, _time);
        var b = backend.Pms(_profile, _time);
        var r = await a.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-m", "suite", Jan30, Jan30.AddDays(2)));
        var moved = await b.ModifyReservationAsync(r.Reference, new ReservationChange { IdempotencyKey = "k-m-1", CheckIn = Jan30.AddDays(1), CheckOut = Jan30.AddDays(4) });
        Assert.Equal(3 * 210000m, moved.TotalPrice);
        Assert.Equal(moved, await a.ModifyReservationAsync(r.Reference, new ReservationChange { IdempotencyKey = "k-m-1", CheckIn = Jan30.AddDays(1), CheckOut = Jan30.AddDays(4) }));
        Assert.Single(await a.SearchAvailabilityAsync(new StayQuery(Jan30, Jan30.AddDays(1), 2, "suite"))); // the first night was freed
        Assert.Empty(await a.SearchAvailabilityAsync(new StayQuery(Jan30.AddDays(3), Jan30.AddDays(4), 2, "suite")));

        var other = await a.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-o", "suite", Jan30, Jan30.AddDays(1)));
        await Assert.ThrowsAsync<NoAvailabilityException>(() =>
            b.ModifyReservationAsync(other.Reference, new ReservationChange { IdempotencyKey = "k-o-1", CheckOut = Jan30.AddDays(2) }));

        var cancelled = await b.CancelReservationAsync(moved.Reference, "k-c");
        Assert.False(cancelled.AlreadyCancelled);
        Assert.False((await a.CancelReservationAsync(moved.Reference, "k-c")).AlreadyCancelled); // a retry of the same cancel
        Assert.True((await a.CancelReservationAsync(moved.Reference, "k-c-other")).AlreadyCancelled);
        Assert.Equal(ReservationStatus.Cancelled, (await a.GetReservationAsync(moved.Reference)).Status);
        Assert.Single(await b.SearchAvailabilityAsync(new StayQuery(Jan30.AddDays(1), Jan30.AddDays(4), 2, "suite")));
        await Assert.ThrowsAsync<ReservationChangeRejectedException>(() =>
            a.ModifyReservationAsync(moved.Reference, new ReservationChange { IdempotencyKey = "k-m-2", Guests = 1 }));
    }

    [Fact]
    public async Task Two_instances_racing_for_the_last_rooms_sell_exactly_the_inventory()
    {
        var instances = new[] { backend.Pms(_profile, _time), backend.Pms(_profile, _time) };
        var checkIn = new DateOnly(2027, 2, 27);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                // Overlapping stays across the month boundary: every stay includes the night of Feb 28.
                var from = checkIn.AddDays(i % 2);
                return await instances[i % 2].CreateReservationAsync(EmbeddedPmsClientTests.Booking("race-" + i, "triple", from, from.AddDays(2), guests: 3, contact: $"+5491155550{i:D3}"));
            }
            catch (NoAvailabilityException)
            {
                return null;
            }
        })));

        var sold = results.OfType<Reservation>().ToList();
        Assert.Equal(3, sold.Count); // the triple has 3 rooms
        Assert.Equal(3, sold.Select(r => r.Reference).Distinct().Count());
        Assert.Empty(await instances[1].SearchAvailabilityAsync(new StayQuery(new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 1), 3, "triple")));
        Assert.Equal(3, (await instances[0].ListReservationsAsync(new ReservationFilter { Status = ReservationStatus.Confirmed })).Count);
    }

    [Fact]
    public async Task The_party_and_the_staff_note_are_kept_and_a_change_keeps_them()
    {
        var a = backend.Pms(_profile, _time);
        var created = await a.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-party", "triple", Jan30, Jan30.AddDays(2), guests: 3) with
        {
            Children = 1,
            Infants = 1,
            Note = "Viajan 2 adultos, niño (6 años), bebé (8 meses). Cuna: 1 (sin cargo, menores de 3 años).",
        });

        var read = await backend.Pms(_profile, _time).GetReservationAsync(created.Reference);
        Assert.Equal((3, 1, 1), (read.Guests, read.Children, read.Infants));
        Assert.Contains("Cuna: 1", read.Note, StringComparison.Ordinal);

        // Two fewer guests: the children can be no more than the guests; the infants and the note stay.
        var moved = await a.ModifyReservationAsync(created.Reference, new ReservationChange { IdempotencyKey = "k-party-m", RoomType = "simple", Guests = 1 });
        Assert.Equal((1, 1, 1), (moved.Guests, moved.Children, moved.Infants));
        Assert.Equal(read.Note, (await a.GetReservationAsync(created.Reference)).Note);

        var plain = await a.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k-plain", "doble", Jan30, Jan30.AddDays(1)));
        Assert.Equal((0, 0, (string?)null), (plain.Children, plain.Infants, plain.Note));
    }
}

public sealed class SqliteEmbeddedPmsContractTests() : EmbeddedPmsContractTests(StoreBackend.Sqlite());

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablesEmbeddedPmsContractTests(AzuriteFixture azurite) : EmbeddedPmsContractTests(StoreBackend.Azure(azurite));
