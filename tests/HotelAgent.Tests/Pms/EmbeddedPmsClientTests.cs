using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Embedded;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Pms;

public sealed class EmbeddedPmsClientTests : IDisposable
{
    private static readonly DateOnly Dec10 = new(2026, 12, 10);
    private static readonly DateOnly Dec12 = new(2026, 12, 12);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly HotelProfile _profile = HotelProfile.Load(null);
    private readonly EmbeddedPmsClient _pms;

    public EmbeddedPmsClientTests()
    {
        _pms = new EmbeddedPmsClient(_dir.File("pms.db"), _profile, _time);
    }

    public void Dispose()
    {
        _pms.Dispose();
        _dir.Dispose();
    }

    internal static NewReservation Booking(string key, string roomType = "doble", DateOnly? checkIn = null, DateOnly? checkOut = null, int guests = 2, string contact = "+5491155551234") => new()
    {
        IdempotencyKey = key,
        GuestName = "Ana Pérez",
        Contact = contact,
        Channel = Channel.WhatsApp,
        RoomType = roomType,
        CheckIn = checkIn ?? Dec10,
        CheckOut = checkOut ?? Dec12,
        Guests = guests,
    };

    [Fact]
    public async Task Room_types_are_seeded_from_the_hotel_profile()
    {
        var types = await _pms.GetRoomTypesAsync();

        Assert.Equal(_profile.RoomTypes.Select(r => r.Code), types.Select(t => t.Code));
        var doble = types.Single(t => t.Code == "doble");
        Assert.Equal(2, doble.Capacity);
        Assert.Equal(8, doble.Inventory);
        Assert.Equal(95000m, doble.NightlyRate);
        Assert.Equal("ARS", doble.Currency);
        Assert.Contains("desayuno buffet", doble.Includes);
        Assert.True(File.Exists(_dir.File("pms.db")));
    }

    [Fact]
    public async Task Search_offers_only_types_that_hold_the_party_priced_for_the_stay_cheapest_first()
    {
        var offers = await _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 3));

        Assert.Equal(["triple", "familiar"], offers.Select(o => o.RoomType));
        var triple = offers[0];
        Assert.Equal(2, triple.Nights);
        Assert.Equal(125000m, triple.NightlyRate);
        Assert.Equal(250000m, triple.TotalPrice);
        Assert.Equal(3, triple.Available);
        Assert.Equal("ARS", triple.Currency);
    }

    [Fact]
    public async Task Search_for_one_room_type_and_party_larger_than_any_room()
    {
        var suite = await _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2, "Suite"));
        Assert.Single(suite);
        Assert.Equal("suite", suite[0].RoomType);

        Assert.Empty(await _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 5)));
        await Assert.ThrowsAsync<UnknownRoomTypeException>(() => _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2, "penthouse")));
        await Assert.ThrowsAsync<ArgumentException>(() => _pms.SearchAvailabilityAsync(new StayQuery(Dec12, Dec10, 2)));
    }

    [Fact]
    public async Task Create_books_a_room_and_reduces_availability_for_exactly_those_nights()
    {
        var r = await _pms.CreateReservationAsync(Booking("k1", "suite"));

        Assert.Matches("^HPS-[2-9A-HJ-NP-Z]{6}$", r.Reference);
        Assert.Equal(ReservationStatus.Confirmed, r.Status);
        Assert.Equal(420000m, r.TotalPrice);
        Assert.Equal(210000m, r.NightlyRate);
        Assert.Equal(_time.GetUtcNow(), r.CreatedAt);
        Assert.Empty(await _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2, "suite")));
        Assert.Empty(await _pms.SearchAvailabilityAsync(new StayQuery(Dec10.AddDays(1), Dec12.AddDays(3), 2, "suite")));
        Assert.Single(await _pms.SearchAvailabilityAsync(new StayQuery(Dec12, Dec12.AddDays(2), 2, "suite")));
        Assert.Single(await _pms.SearchAvailabilityAsync(new StayQuery(Dec10.AddDays(-3), Dec10, 2, "suite")));

        var calendar = await _pms.GetAvailabilityCalendarAsync(Dec10.AddDays(-1), Dec12.AddDays(1));
        Assert.Equal(0, calendar.Single(c => c.RoomType == "suite").Available);
        Assert.Equal(8, calendar.Single(c => c.RoomType == "doble").Available);

        Assert.False((await Assert.ThrowsAsync<NoAvailabilityException>(() => _pms.CreateReservationAsync(Booking("k2", "suite")))).CapacityExceeded);
    }

    [Fact]
    public async Task Create_is_idempotent_by_key()
    {
        var first = await _pms.CreateReservationAsync(Booking("same-key"));
        var again = await _pms.CreateReservationAsync(Booking("same-key"));

        Assert.Equal(first, again);
        Assert.Single(await _pms.ListReservationsAsync());
        Assert.Equal(1, (await _pms.BookedPerNightAsync("doble"))[Dec10]);
    }

    [Fact]
    public async Task Party_too_large_for_the_room_type_is_rejected()
    {
        var e = await Assert.ThrowsAsync<NoAvailabilityException>(() => _pms.CreateReservationAsync(Booking("k", "doble", guests: 3)));
        Assert.Equal("doble", e.RoomType);
        Assert.True(e.CapacityExceeded);
        Assert.Equal(2, e.Capacity);
        await Assert.ThrowsAsync<UnknownRoomTypeException>(() => _pms.CreateReservationAsync(Booking("k2", "castillo")));
    }

    [Fact]
    public async Task Get_find_by_contact_and_list()
    {
        var a = await _pms.CreateReservationAsync(Booking("a", contact: "+54 9 11 5555-1234"));
        _time.Advance(TimeSpan.FromMinutes(1));
        var b = await _pms.CreateReservationAsync(Booking("b", "simple", Dec12, Dec12.AddDays(1), 1, contact: "+5491155551234"));
        await _pms.CreateReservationAsync(Booking("c", contact: "Otro@Example.com"));

        Assert.Equal(a, await _pms.GetReservationAsync(a.Reference.ToLowerInvariant()));
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => _pms.GetReservationAsync("HPS-XXXXXX"));
        Assert.Equal([b.Reference, a.Reference], (await _pms.FindReservationsByContactAsync("+5491155551234")).Select(r => r.Reference));
        var byEmail = Assert.Single(await _pms.FindReservationsByContactAsync("otro@example.com"));
        Assert.Equal("Otro@Example.com", byEmail.Email);
        Assert.Equal(3, (await _pms.ListReservationsAsync()).Count);
        Assert.Single(await _pms.ListReservationsAsync(new ReservationFilter { From = Dec12 }));
    }

    [Fact]
    public async Task Modify_moves_nights_and_reprices_atomically()
    {
        var r = await _pms.CreateReservationAsync(Booking("k"));
        var change = new ReservationChange { IdempotencyKey = "m1", CheckIn = Dec10.AddDays(1), CheckOut = Dec12.AddDays(2), RoomType = "suite" };

        var m = await _pms.ModifyReservationAsync(r.Reference, change);

        Assert.Equal("suite", m.RoomType);
        Assert.Equal(3, m.Nights);
        Assert.Equal(630000m, m.TotalPrice);
        Assert.Equal(m, await _pms.GetReservationAsync(r.Reference));
        var doble = await _pms.BookedPerNightAsync("doble");
        Assert.All(doble.Values, v => Assert.Equal(0, v));
        var suite = await _pms.BookedPerNightAsync("suite");
        Assert.Equal(3, suite.Values.Sum());
        Assert.False(suite.ContainsKey(Dec10));

        // Same key again: no second move.
        Assert.Equal(m, await _pms.ModifyReservationAsync(r.Reference, change with { CheckIn = Dec10 }));
    }

    [Fact]
    public async Task Modify_into_a_full_type_keeps_the_original_booking()
    {
        await _pms.CreateReservationAsync(Booking("other", "suite"));
        var r = await _pms.CreateReservationAsync(Booking("k"));

        await Assert.ThrowsAsync<NoAvailabilityException>(() => _pms.ModifyReservationAsync(r.Reference, new ReservationChange { IdempotencyKey = "m", RoomType = "suite" }));

        Assert.Equal(r, await _pms.GetReservationAsync(r.Reference));
        Assert.Equal(1, (await _pms.BookedPerNightAsync("doble"))[Dec10]);
        Assert.Equal(1, (await _pms.BookedPerNightAsync("suite"))[Dec10]);
    }

    [Fact]
    public async Task Modify_within_the_same_nights_of_the_last_room_succeeds()
    {
        var r = await _pms.CreateReservationAsync(Booking("k", "suite"));
        var m = await _pms.ModifyReservationAsync(r.Reference, new ReservationChange { IdempotencyKey = "m", CheckOut = Dec12.AddDays(1) });
        Assert.Equal(3, m.Nights);
    }

    [Fact]
    public async Task Cancel_releases_the_nights_and_states_a_free_cancellation_before_the_deadline()
    {
        var r = await _pms.CreateReservationAsync(Booking("k", "suite"));

        var outcome = await _pms.CancelReservationAsync(r.Reference, "c1");

        Assert.True(outcome.Free);
        Assert.Equal(0m, outcome.Charge);
        Assert.Equal(ReservationStatus.Cancelled, outcome.Reservation.Status);
        // 14:00 Buenos Aires (UTC-3) on Dec 10 minus 48 h.
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 17, 0, 0, TimeSpan.Zero), outcome.FreeCancellationDeadline.ToUniversalTime());
        Assert.Single(await _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2, "suite")));
        Assert.Equal(ReservationStatus.Cancelled, (await _pms.GetReservationAsync(r.Reference)).Status);

        var again = await _pms.CancelReservationAsync(r.Reference, "c1");
        Assert.False(again.AlreadyCancelled);
        Assert.True(again.Free);
        Assert.True((await _pms.CancelReservationAsync(r.Reference, "c2")).AlreadyCancelled);
        Assert.Equal(0, (await _pms.BookedPerNightAsync("suite"))[Dec10]);
        await Assert.ThrowsAsync<ReservationChangeRejectedException>(() => _pms.ModifyReservationAsync(r.Reference, new ReservationChange { IdempotencyKey = "m", Guests = 1 }));
    }

    [Fact]
    public async Task Late_cancellation_is_charged_the_first_night()
    {
        var r = await _pms.CreateReservationAsync(Booking("k"));
        _time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 12, 0, 0, TimeSpan.Zero));

        var outcome = await _pms.CancelReservationAsync(r.Reference, "c");

        Assert.False(outcome.Free);
        Assert.Equal(95000m, outcome.Charge);
        Assert.Equal("ARS", outcome.Currency);
    }

    [Fact]
    public async Task Profile_changes_update_rates_and_inventory_on_restart_but_keep_bookings()
    {
        var r = await _pms.CreateReservationAsync(Booking("k", "suite"));
        var changed = _profile with
        {
            RoomTypes = _profile.RoomTypes
                .Where(t => t.Code != "ejecutiva")
                .Select(t => t.Code == "suite" ? t with { Inventory = 2, NightlyRate = 250000m } : t)
                .ToList(),
        };

        using var restarted = new EmbeddedPmsClient(_dir.File("pms.db"), changed, _time);
        var types = await restarted.GetRoomTypesAsync();

        Assert.DoesNotContain(types, t => t.Code == "ejecutiva");
        var suite = Assert.Single(await restarted.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2, "suite")));
        Assert.Equal(1, suite.Available);
        Assert.Equal(250000m, suite.NightlyRate);
        Assert.Equal(420000m, (await restarted.GetReservationAsync(r.Reference)).TotalPrice);
    }

    [Fact]
    public async Task A_file_made_before_the_party_columns_gets_them_and_keeps_its_bookings()
    {
        var path = _dir.File("old.db");
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + path))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE reservations(
                    reference TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, guest_name TEXT NOT NULL, contact TEXT NOT NULL,
                    contact_norm TEXT NOT NULL, email TEXT NULL, channel TEXT NOT NULL, room_type TEXT NOT NULL, check_in TEXT NOT NULL,
                    check_out TEXT NOT NULL, guests INTEGER NOT NULL, nightly_rate TEXT NOT NULL, total_price TEXT NOT NULL,
                    currency TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, cancelled_at TEXT NULL);
                INSERT INTO reservations VALUES('HPS-OLD234', 'k-old', 'Ana Paz', '+5491155551234', '5491155551234', NULL, 'WhatsApp', 'doble',
                    '2026-12-10', '2026-12-12', 2, '95000', '190000', 'ARS', 'Confirmed', '2026-12-01T12:00:00.0000000+00:00',
                    '2026-12-01T12:00:00.0000000+00:00', NULL);
                """;
            cmd.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var pms = new EmbeddedPmsClient(path, _profile, _time);
        var old1 = await pms.GetReservationAsync("HPS-OLD234");
        Assert.Equal((2, 0, 0, (string?)null), (old1.Guests, old1.Children, old1.Infants, old1.Note));

        var created = await pms.CreateReservationAsync(Booking("k-new", "doble") with { Infants = 1, Note = "Cuna: 1" });
        Assert.Equal((1, "Cuna: 1"), (created.Infants, created.Note));
    }
}
