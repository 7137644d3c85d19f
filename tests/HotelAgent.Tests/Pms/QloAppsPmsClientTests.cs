using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.QloApps;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Pms;

public sealed class QloAppsPmsClientTests : IAsyncLifetime
{
    private static readonly DateOnly Dec10 = new(2026, 12, 10);
    private static readonly DateOnly Dec12 = new(2026, 12, 12);
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();
    private FakeQloAppsServer _server = null!;
    private QloAppsPmsClient _pms = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeQloAppsServer.StartAsync();
        _pms = NewClient(FakeQloAppsServer.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _pms.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    internal static QloAppsOptions Options(string baseUrl, string apiKey) => new()
    {
        BaseUrl = baseUrl,
        ApiKey = apiKey,
        HotelId = FakeQloAppsServer.HotelId,
        RoomTypeMap = new(StringComparer.OrdinalIgnoreCase) { ["4"] = "familiar" },
    };

    private QloAppsPmsClient NewClient(string apiKey) =>
        new(() => _http, Options(_server.BaseUrl, apiKey), HotelProfile.Load(null), new QloAppsBookingIndex(_dir.File("qlo.db")), _time);

    private static NewReservation Booking(string key, string roomType = "doble", int guests = 2, string contact = "+5491155551234", string? email = null) => new()
    {
        IdempotencyKey = key,
        GuestName = "Ana María Pérez",
        Contact = contact,
        Email = email,
        Channel = Channel.WhatsApp,
        RoomType = roomType,
        CheckIn = Dec10,
        CheckOut = Dec12,
        Guests = guests,
    };

    [Fact]
    public async Task Room_types_map_to_canonical_codes_by_setting_and_by_name()
    {
        var types = await _pms.GetRoomTypesAsync();

        Assert.Equal(["simple", "doble", "suite", "familiar"], types.Select(t => t.Code));
        var doble = types.Single(t => t.Code == "doble");
        Assert.Equal("Deluxe Double Room", doble.Name);
        Assert.Equal(3, doble.Inventory);
        Assert.Equal(95000m, doble.NightlyRate);
        Assert.Equal(2, doble.Capacity);
        Assert.Equal(4, types.Single(t => t.Code == "familiar").Capacity);
        Assert.Equal("Suite Palermo", types.Single(t => t.Code == "suite").Name);
        Assert.Contains(_server.Log, l => l.StartsWith("GET /api/room_types?display=full&output_format=JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_uses_hotel_ari_prices_with_tax_and_filters_capacity()
    {
        _server.TaxRate = 0.1m;

        var offers = await _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2));

        Assert.Equal(["doble", "familiar", "suite"], offers.Select(o => o.RoomType));
        var doble = offers[0];
        Assert.Equal(209000m, doble.TotalPrice);
        Assert.Equal(104500m, doble.NightlyRate);
        Assert.Equal(3, doble.Available);
        Assert.Equal("ARS", doble.Currency);
        Assert.Contains("desayuno buffet", doble.Includes);
        Assert.Contains(_server.Log, l => l.StartsWith("POST /api/hotel_ari?output_format=JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Booking_lifecycle_create_get_find_modify_cancel()
    {
        var created = await _pms.CreateReservationAsync(Booking("k1"));

        Assert.Equal("QLO-100", created.Reference);
        Assert.Equal("doble", created.RoomType);
        Assert.Equal(190000m, created.TotalPrice);
        Assert.Equal(95000m, created.NightlyRate);
        Assert.Equal(2, created.Guests);
        Assert.Equal("Ana María Pérez", created.GuestName);
        Assert.Null(created.Email);
        var fake = _server.Booking(100)!;
        Assert.Equal("5491155551234@guests.hotelagent.invalid", (string?)fake.Customer["email"]);
        Assert.Equal("Ana", (string?)fake.Customer["firstname"]);
        Assert.Equal("María Pérez", (string?)fake.Customer["lastname"]);
        Assert.Equal("+5491155551234", (string?)fake.Customer["phone"]);

        // Idempotent: the same key does not create a second order.
        Assert.Equal(created, await _pms.CreateReservationAsync(Booking("k1")));
        Assert.Equal(1, _server.BookingCount);

        Assert.Equal(created, await _pms.GetReservationAsync("qlo-100"));
        Assert.Equal(created.Reference, Assert.Single(await _pms.FindReservationsByContactAsync("+54 9 11 5555 1234")).Reference);

        var modified = await _pms.ModifyReservationAsync(created.Reference, new ReservationChange { IdempotencyKey = "m1", RoomType = "suite", CheckOut = Dec12.AddDays(1) });
        Assert.Equal("suite", modified.RoomType);
        Assert.Equal(630000m, modified.TotalPrice);
        Assert.Equal(3, _server.Booking(100)!.IdProduct);

        var outcome = await _pms.CancelReservationAsync(created.Reference, "c1");
        Assert.True(outcome.Free);
        Assert.Equal(ReservationStatus.Cancelled, outcome.Reservation.Status);
        Assert.True(_server.Booking(100)!.Cancelled);
        Assert.Equal(ReservationStatus.Cancelled, (await _pms.GetReservationAsync(created.Reference)).Status);
        Assert.Single(await _pms.ListReservationsAsync(new ReservationFilter { Status = ReservationStatus.Cancelled }));
    }

    [Fact]
    public async Task Full_room_type_maps_to_no_availability()
    {
        await _pms.CreateReservationAsync(Booking("a", "suite"));

        var e = await Assert.ThrowsAsync<NoAvailabilityException>(() => _pms.CreateReservationAsync(Booking("b", "suite")));
        Assert.Equal("suite", e.RoomType);
        Assert.DoesNotContain(await _pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2)), o => o.RoomType == "suite");
        await Assert.ThrowsAsync<NoAvailabilityException>(() => _pms.CreateReservationAsync(Booking("c", "doble", guests: 3)));
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_found_again_by_its_key()
    {
        await _pms.CreateReservationAsync(Booking("other", "simple", guests: 1));
        _server.LoseNextCreateAnswer = true;

        await Assert.ThrowsAsync<PmsUnavailableException>(() => _pms.CreateReservationAsync(Booking("lost")));
        var retried = await _pms.CreateReservationAsync(Booking("lost"));

        Assert.Equal("QLO-101", retried.Reference);
        Assert.Equal("doble", retried.RoomType);
        Assert.Equal(2, _server.BookingCount);
        Assert.Equal(retried, await _pms.CreateReservationAsync(Booking("lost")));
        Assert.Equal(2, _server.BookingCount);
        Assert.Equal(["QLO-100", "QLO-101"], (await _pms.FindReservationsByContactAsync("+5491155551234")).Select(r => r.Reference).Order());
    }

    [Fact]
    public async Task Occupancy_is_sent_per_room()
    {
        var r = await _pms.CreateReservationAsync(Booking("fam", "familiar", guests: 3, contact: "ana@example.com"));

        Assert.Equal(3, r.Guests);
        Assert.Equal(3, _server.Booking(100)!.Adults);
        Assert.Equal("ana@example.com", r.Email);
        Assert.Equal("ana@example.com", (string?)_server.Booking(100)!.Customer["email"]);
    }

    [Fact]
    public async Task Unknown_reference_and_bad_key()
    {
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => _pms.GetReservationAsync("QLO-999"));
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => _pms.GetReservationAsync("HPS-ABC"));

        using var badKey = NewClient("WRONG");
        var e = await Assert.ThrowsAsync<PmsRequestRejectedException>(() => badKey.GetRoomTypesAsync());
        Assert.Equal(401, e.StatusCode);
    }

    [Fact]
    public async Task Server_errors_and_garbage_are_pms_unavailable()
    {
        _server.Fault = QloFault.ServerError;
        await Assert.ThrowsAsync<PmsUnavailableException>(() => _pms.GetRoomTypesAsync());
        _server.Fault = QloFault.Garbage;
        await Assert.ThrowsAsync<PmsUnavailableException>(() => _pms.GetRoomTypesAsync());
    }
}
