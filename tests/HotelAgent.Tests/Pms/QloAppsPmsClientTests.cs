using System.Text.Json.Nodes;
using HotelAgent.Core.Health;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.QloApps;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Caching.Memory;

namespace HotelAgent.Tests.Pms;

/// <summary>
/// The QloApps adapter against <see cref="FakeQloAppsServer"/>, which answers as the real QloApps 1.6.1 did (demo hotel, USD,
/// 4 % tax, Room Maintenance Fees auto-added at 250/night). Prices of Dec 10–12 (2 nights) as hotel_ari quotes them:
/// General 2600, Delux 3640, Executive 4680, Luxury 5720.
/// </summary>
public sealed class QloAppsPmsClientTests : IAsyncLifetime
{
    private static readonly DateOnly Dec10 = new(2026, 12, 10);
    private static readonly DateOnly Dec12 = new(2026, 12, 12);
    private QloAppsHarness _qlo = null!;

    private FakeQloAppsServer Server => _qlo.Server;

    private QloAppsPmsClient Pms => _qlo.Client;

    public async Task InitializeAsync() => _qlo = await QloAppsHarness.StartAsync();

    public async Task DisposeAsync() => await _qlo.DisposeAsync();

    /// <summary>Kept for other tests: a client configuration for the fake.</summary>
    internal static QloAppsOptions Options(string baseUrl, string apiKey) => QloAppsHarness.Options(baseUrl, apiKey);

    private static NewReservation Booking(string key, string roomType = "doble", int guests = 2, string contact = "+5491155551234", string? email = null,
        Channel channel = Channel.WhatsApp, string name = "Ana María Pérez", string? phone = null) => new()
    {
        IdempotencyKey = key,
        GuestName = name,
        Contact = contact,
        Email = email,
        Phone = phone,
        Channel = channel,
        RoomType = roomType,
        CheckIn = Dec10,
        CheckOut = Dec12,
        Guests = guests,
    };

    private int Posts => Server.Requests.Count(r => r.ToString().StartsWith("POST /api/bookings", StringComparison.Ordinal));

    // ---------------------------------------------------------------- catalogue, capacity (7), shapes (8)

    [Fact]
    public async Task Room_types_names_capacities_inventory_and_prices_come_from_QloApps()
    {
        var types = await Pms.GetRoomTypesAsync();

        // Delux/Executive match canonical codes; the others are still offered, under their own code.
        Assert.Equal(["general-rooms", "doble", "ejecutiva", "luxury-rooms"], types.Select(t => t.Code));
        Assert.Equal(["General Rooms", "Delux Rooms", "Executive Rooms", "Luxury Rooms"], types.Select(t => t.Name));
        Assert.All(types, t => Assert.Equal(2, t.Capacity));   // max_adults 2 (max_guests 4 counts children)
        Assert.All(types, t => Assert.Equal(5, t.Inventory));  // hotel_rooms, listed under "rooms"
        Assert.All(types, t => Assert.Equal("USD", t.Currency));
        Assert.Equal(1820m, types.Single(t => t.Code == "doble").NightlyRate); // a night as quoted: (1500 + 250 fees) + 4 % tax
        Assert.Contains("Delux Rooms offer space", types.Single(t => t.Code == "doble").Description, StringComparison.Ordinal);
        Assert.DoesNotContain("<p>", types.Single(t => t.Code == "doble").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capacity_comes_from_max_adults_bounded_by_max_guests_because_QloApps_accepts_any_party()
    {
        Server.SetOccupancy(3, maxAdults: 3, maxChildren: 1, maxGuests: 4);
        Server.SetOccupancy(4, maxAdults: 5, maxChildren: 0, maxGuests: 4);

        var three = await Pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 3));
        Assert.Equal(["ejecutiva", "luxury-rooms"], three.Select(o => o.RoomType));
        Assert.Equal([3, 4], three.Select(o => o.Capacity));
        Assert.Empty(await Pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 5)));

        // hotel_ari lists every room for 5 adults and QloApps would book 4 adults in a 2-adult room: the adapter refuses first.
        var e = await Assert.ThrowsAsync<NoAvailabilityException>(() => Pms.CreateReservationAsync(Booking("big", "doble", guests: 4)));
        Assert.True(e.CapacityExceeded);
        Assert.Equal(2, e.Capacity);
        Assert.Equal(0, Posts);
    }

    [Fact]
    public async Task Search_quotes_hotel_ari_totals_in_QloApps_currency()
    {
        var offers = await Pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2));

        Assert.Equal(["general-rooms", "doble", "ejecutiva", "luxury-rooms"], offers.Select(o => o.RoomType));
        var doble = offers[1];
        Assert.Equal(3640m, doble.TotalPrice);
        Assert.Equal(1820m, doble.NightlyRate);
        Assert.Equal(5, doble.Available);
        Assert.Equal("USD", doble.Currency); // the hotel profile says ARS: QloApps only has USD
        Assert.Contains(Server.Requests, r => r.ToString().StartsWith("POST /api/hotel_ari?output_format=JSON", StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- quote = booked price (2), currency (3)

    [Fact]
    public async Task The_quoted_total_is_the_total_QloApps_stores_and_the_confirmation_reports()
    {
        var quote = (await Pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2, "doble"))).Single();

        var booked = await Pms.CreateReservationAsync(Booking("k1"));

        // QloApps' webservice drops the auto-added fees hotel_ari includes (3000 + 120 tax); the booking asks for the quoted total.
        Assert.Equal(3640m, quote.TotalPrice);
        Assert.Equal(quote.TotalPrice, booked.TotalPrice);
        Assert.Equal(quote.TotalPrice, Server.Booking(1)!.TotalWithTax);
        Assert.Equal(quote.TotalPrice, (await Pms.GetReservationAsync(booked.Reference)).TotalPrice);
        Assert.Equal("USD", booked.Currency);
        var sent = Server.BookingRequests.Single();
        Assert.Equal("USD", (string?)sent["currency"]);
        Assert.Equal(3640m, (decimal?)sent["associations"]!["price_details"]!["total_price_with_tax"]);
    }

    [Fact]
    public async Task A_currency_setting_that_disagrees_with_QloApps_refuses_instead_of_mixing()
    {
        using var ars = _qlo.NewClient(o => o.Currency = "ARS");
        var e = await Assert.ThrowsAsync<PmsRequestRejectedException>(() => ars.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2)));
        Assert.Contains("Pms__QloApps__Currency", e.Message, StringComparison.Ordinal);
        Assert.Contains("USD", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.BookingCount);

        using var usd = _qlo.NewClient(o => o.Currency = "usd");
        var r = await usd.CreateReservationAsync(Booking("usd"));
        Assert.Equal("USD", r.Currency);
    }

    // ---------------------------------------------------------------- phone (4)

    [Fact]
    public async Task A_WhatsApp_guest_books_with_their_number_as_phone()
    {
        var r = await Pms.CreateReservationAsync(Booking("wa"));

        var stored = Server.Booking(1)!;
        Assert.Equal("+5491155551234", stored.Phone);
        Assert.Equal("5491155551234@guests.hotelagent.invalid", stored.Email);
        Assert.Null(r.Email);
        Assert.Equal("+5491155551234", r.Contact);
    }

    [Fact]
    public async Task An_email_guest_without_phone_is_asked_for_one_and_nothing_is_booked_or_invented()
    {
        var e = await Assert.ThrowsAsync<GuestPhoneRequiredException>(() =>
            Pms.CreateReservationAsync(Booking("mail", contact: "ana@example.com", channel: Channel.Email)));
        Assert.Contains("phone", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.BookingCount);
        Assert.Null((string?)Server.BookingRequests.FirstOrDefault()?["associations"]?["customer_detail"]?["phone"]);

        // Learned: the next phone-less booking fails without another POST.
        var posts = Posts;
        await Assert.ThrowsAsync<GuestPhoneRequiredException>(() => Pms.CreateReservationAsync(Booking("mail", contact: "ana@example.com", channel: Channel.Email)));
        Assert.Equal(posts, Posts);

        // With the phone the guest typed, the same key books.
        var r = await Pms.CreateReservationAsync(Booking("mail", contact: "ana@example.com", channel: Channel.Email, phone: "+54 11 5555-1234"));
        Assert.Equal("ana@example.com", r.Email);
        Assert.Equal("+541155551234", Server.Booking(1)!.Phone);
        Assert.Equal("ana@example.com", Server.Booking(1)!.Email);
    }

    [Fact]
    public async Task Changes_keep_the_phone_QloApps_would_blank_on_a_PUT_without_one()
    {
        var r = await Pms.CreateReservationAsync(Booking("p", contact: "ana@example.com", channel: Channel.Email, phone: "+54 11 5555-1234"));

        await Pms.ModifyReservationAsync(r.Reference, new ReservationChange { IdempotencyKey = "p1", CheckOut = Dec12.AddDays(1) });
        await Pms.CancelReservationAsync(r.Reference, "p2");

        Assert.Equal("+541155551234", Server.Booking(1)!.Phone);
        Assert.All(Server.BookingRequests.Skip(1), put => Assert.Equal("+541155551234", (string?)put["associations"]!["customer_detail"]!["phone"]));
    }

    [Fact]
    public async Task A_web_chat_session_id_is_never_sent_as_a_phone()
    {
        Server.RequirePhone = false;

        await Pms.CreateReservationAsync(Booking("chat-1", contact: "qlo-chat-0003", channel: Channel.WebChat));
        await Pms.CreateReservationAsync(Booking("chat-2", contact: "qlo-chat-1003", channel: Channel.WebChat, name: "Luis Gómez"));

        var sent = Server.BookingRequests[0]["associations"]!["customer_detail"]!;
        Assert.Null(sent["phone"]);
        Assert.Equal(string.Empty, Server.Booking(1)!.Phone);

        // Each session gets its own placeholder customer (digits "0003"/"1003" alone could collide across sessions).
        Assert.StartsWith("guest-", Server.Booking(1)!.Email, StringComparison.Ordinal);
        Assert.NotEqual(Server.Booking(1)!.Email, Server.Booking(2)!.Email);
        Assert.Equal("Luis", Server.Booking(2)!.FirstName);
    }

    // ---------------------------------------------------------------- names (5)

    [Theory]
    [InlineData("José Ñandú O'Brien-Müller", "José", "Ñandú O'Brien-Müller")]
    [InlineData("Ana (Anita) Pérez #2", "Ana", "Anita Pérez")]
    [InlineData("lucia_fernandez@hotmail.com", "lucia", "fernandez hotmail.com")]
    [InlineData("María José de los Santos Pérez González y Trinidad", "María", "José de los Santos Pérez")]
    [InlineData("12345", "Huésped", "-")]
    public async Task Names_are_cleaned_to_what_QloApps_accepts_keeping_accents(string name, string first, string last)
    {
        Server.RequirePhone = false;

        var r = await Pms.CreateReservationAsync(Booking("n", name: name, contact: "+5491155550000"));

        var stored = Server.Booking(1)!;
        Assert.Equal(first, stored.FirstName);
        Assert.Equal(last, stored.LastName);
        Assert.True(stored.LastName.Length <= 32);
        Assert.Equal(name, r.GuestName); // the guest keeps their own name in HotelAgent
    }

    [Fact]
    public async Task An_empty_500_on_create_is_a_rejected_request_never_retried_as_an_outage()
    {
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var resilient = new ResilientPmsClient(Pms, ResilientPmsClientTests.FastOptions(o => { o.WriteTimeoutSeconds = 10; o.TimeoutSeconds = 5; o.TotalTimeoutSeconds = 10; }),
            cache, _qlo.Health, writesAreIdempotent: true);

        // An email QloApps' Customer validation refuses: a PHP fatal (empty HTTP 500) before anything is written.
        var e = await Assert.ThrowsAsync<PmsRequestRejectedException>(() => resilient.CreateReservationAsync(Booking("fatal", email: "ana(at)example")));

        Assert.Equal(500, e.StatusCode);
        Assert.Equal(1, Posts);
        Assert.Equal(0, Server.BookingCount);
        Assert.Null(_qlo.Health.LastError);
    }

    // ---------------------------------------------------------------- guest count (6)

    [Fact]
    public async Task The_guest_count_is_sent_as_adult_and_stored()
    {
        Server.SetOccupancy(3, maxAdults: 3, maxChildren: 1, maxGuests: 4);

        var r = await Pms.CreateReservationAsync(Booking("three", "ejecutiva", guests: 3));

        Assert.Equal(3, r.Guests);
        Assert.Equal(3, Server.Booking(1)!.Adults);
        var room = Server.BookingRequests[0]["associations"]!["room_types"]![0]!["rooms"]![0]!.AsObject();
        Assert.Equal(3, (int?)room["adult"]);
        Assert.False(room.ContainsKey("adults"));
    }

    [Fact]
    public async Task A_guest_count_only_change_that_QloApps_ignores_comes_back_with_the_stored_count()
    {
        var created = await Pms.CreateReservationAsync(Booking("g"));

        var changed = await Pms.ModifyReservationAsync(created.Reference, new ReservationChange { IdempotencyKey = "g1", Guests = 1 });

        // QloApps answered 200 and kept 2 adults: the adapter reports what is stored, not what was asked.
        Assert.Equal(2, changed.Guests);
        Assert.Equal(2, Server.Booking(1)!.Adults);
        Assert.Equal(1, (int?)Server.BookingRequests[^1]["associations"]!["room_types"]![0]!["rooms"]![0]!["adult"]);

        // Together with new dates the room line is replaced, and the new count is applied.
        var moved = await Pms.ModifyReservationAsync(created.Reference, new ReservationChange { IdempotencyKey = "g2", Guests = 1, CheckOut = Dec12.AddDays(1) });
        Assert.Equal(1, moved.Guests);
        Assert.Equal(1, Server.Booking(1)!.Adults);
    }

    // ---------------------------------------------------------------- lifecycle, errors, shapes (8)

    [Fact]
    public async Task The_staff_note_goes_into_the_booking_remark_after_the_key_and_the_key_still_finds_the_order()
    {
        var created = await Pms.CreateReservationAsync(Booking("k1") with { Infants = 1, Note = "Viajan 2 adultos, bebé (8 meses). Cuna: 1." });

        Assert.Equal("HotelAgent idempotency key k1 | Viajan 2 adultos, bebé (8 meses). Cuna: 1.", Server.Booking(1)!.Remark);
        Assert.Equal(2, created.Guests);
        Assert.Equal(created.Reference, (await Pms.CreateReservationAsync(Booking("k1") with { Note = "Viajan 2 adultos, bebé (8 meses). Cuna: 1." })).Reference);
        Assert.Equal(1, Server.BookingCount);
    }

    [Fact]
    public async Task Booking_lifecycle_create_get_find_modify_cancel()
    {
        var created = await Pms.CreateReservationAsync(Booking("k1"));

        Assert.Equal("QLO-1", created.Reference);
        Assert.Equal("doble", created.RoomType);
        Assert.Equal(3640m, created.TotalPrice);
        Assert.Equal(1820m, created.NightlyRate);
        Assert.Equal(2, created.Guests);
        Assert.Equal("Ana María Pérez", created.GuestName);
        Assert.Equal("Ana", Server.Booking(1)!.FirstName);
        Assert.Equal("María Pérez", Server.Booking(1)!.LastName);
        Assert.Equal("HotelAgent idempotency key k1", Server.Booking(1)!.Remark);

        // Idempotent: the same key does not create a second order.
        Assert.Equal(created, await Pms.CreateReservationAsync(Booking("k1")));
        Assert.Equal(1, Server.BookingCount);
        Assert.Equal(created, await Pms.GetReservationAsync("qlo-1"));
        Assert.Equal(created.Reference, Assert.Single(await Pms.FindReservationsByContactAsync("+54 9 11 5555 1234")).Reference);

        var modified = await Pms.ModifyReservationAsync(created.Reference, new ReservationChange { IdempotencyKey = "m1", RoomType = "ejecutiva", CheckOut = Dec12.AddDays(1) });
        Assert.Equal("ejecutiva", modified.RoomType);
        Assert.Equal(7020m, modified.TotalPrice); // (2000 + 250) × 3 nights + 4 %, as hotel_ari quotes it
        Assert.Equal(3, Server.Booking(1)!.IdProduct);
        Assert.Equal(7020m, Server.Booking(1)!.TotalWithTax);

        var outcome = await Pms.CancelReservationAsync(created.Reference, "c1");
        Assert.True(outcome.Free);
        Assert.Equal(ReservationStatus.Cancelled, outcome.Reservation.Status);
        Assert.True(Server.Booking(1)!.Cancelled);
        Assert.Equal(ReservationStatus.Cancelled, (await Pms.GetReservationAsync(created.Reference)).Status);
        Assert.Single(await Pms.ListReservationsAsync(new ReservationFilter { Status = ReservationStatus.Cancelled }));
        Assert.Equal(5, (await Pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12.AddDays(1), 2, "ejecutiva"))).Single().Available);
    }

    [Fact]
    public async Task A_full_room_type_is_no_availability_and_a_failed_change_names_the_type_asked_for()
    {
        for (var i = 0; i < 5; i++)
        {
            await Pms.CreateReservationAsync(Booking("exec-" + i, "ejecutiva", contact: "+549115555000" + i));
        }

        var full = await Assert.ThrowsAsync<NoAvailabilityException>(() => Pms.CreateReservationAsync(Booking("exec-6", "ejecutiva")));
        Assert.Equal("ejecutiva", full.RoomType);
        Assert.DoesNotContain(await Pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2)), o => o.RoomType == "ejecutiva");

        var mine = await Pms.CreateReservationAsync(Booking("mine", "doble"));
        var e = await Assert.ThrowsAsync<NoAvailabilityException>(() =>
            Pms.ModifyReservationAsync(mine.Reference, new ReservationChange { IdempotencyKey = "to-exec", RoomType = "ejecutiva" }));
        Assert.Equal("ejecutiva", e.RoomType);
        Assert.Contains("ejecutiva", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, Server.Booking(6)!.IdProduct);
    }

    [Fact]
    public async Task When_the_last_room_goes_meanwhile_QloApps_own_refusal_names_the_type_asked_for()
    {
        var mine = await Pms.CreateReservationAsync(Booking("mine", "doble"));
        for (var i = 0; i < 4; i++)
        {
            Server.Occupy(3, Dec10, Dec12);
        }

        // hotel_ari still shows one Executive room; another guest takes it before QloApps checks the PUT.
        Server.BeforeNextBookingWrite = () => Server.Occupy(3, Dec10, Dec12);
        var e = await Assert.ThrowsAsync<NoAvailabilityException>(() =>
            Pms.ModifyReservationAsync(mine.Reference, new ReservationChange { IdempotencyKey = "to-exec", RoomType = "ejecutiva" }));

        Assert.Equal("ejecutiva", e.RoomType);
        Assert.Equal(2, Server.Booking(1)!.IdProduct);
    }

    [Fact]
    public async Task Unknown_booking_is_an_empty_404_and_a_bad_key_a_401_with_QloApps_realm()
    {
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => Pms.GetReservationAsync("QLO-999"));
        await Assert.ThrowsAsync<ReservationNotFoundException>(() => Pms.GetReservationAsync("HPS-ABC"));

        using var badKey = _qlo.NewClient(o => o.ApiKey = "WRONG");
        var e = await Assert.ThrowsAsync<PmsRequestRejectedException>(() => badKey.GetRoomTypesAsync());
        Assert.Equal(401, e.StatusCode);
        Assert.Contains("Pms__QloApps__ApiKey", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_hotel_room_types_falls_back_to_base_occupancy_and_one_without_bookings_is_told_so()
    {
        Server.Deny("hotel_room_types");
        Assert.All(await Pms.GetRoomTypesAsync(), t => Assert.Equal(2, t.Capacity));

        Server.Deny("bookings");
        var e = await Assert.ThrowsAsync<PmsRequestRejectedException>(() => Pms.CreateReservationAsync(Booking("denied")));
        Assert.Contains("bookings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_found_by_its_key_in_the_same_call()
    {
        await Pms.CreateReservationAsync(Booking("other", "general-rooms", guests: 1));
        Server.LoseNextCreateAnswer = true;

        var r = await Pms.CreateReservationAsync(Booking("lost"));

        Assert.Equal("QLO-2", r.Reference);
        Assert.Equal(3640m, r.TotalPrice);
        Assert.Equal(2, Server.BookingCount);
        Assert.Equal(r, await Pms.CreateReservationAsync(Booking("lost")));
        Assert.Equal(2, Server.BookingCount);
    }

    [Fact]
    public async Task Server_errors_and_garbage_are_pms_unavailable()
    {
        Server.Fault = QloFault.ServerError;
        await Assert.ThrowsAsync<PmsUnavailableException>(() => Pms.GetRoomTypesAsync());
        Server.Fault = QloFault.Garbage;
        await Assert.ThrowsAsync<PmsUnavailableException>(() => Pms.GetRoomTypesAsync());

        // A 5xx on create without an order behind it: outcome unknown (the key stays pending for the retry).
        Server.Fault = QloFault.None;
        await Pms.GetRoomTypesAsync();
        Server.Fault = QloFault.ServerError;
        var e = await Assert.ThrowsAsync<PmsUnavailableException>(() => Pms.CreateReservationAsync(Booking("down")));
        Assert.True(e.OutcomeUnknown);
    }

    // ---------------------------------------------------------------- PHP warnings (1)

    [Fact]
    public async Task With_PHP_warnings_a_500_create_is_reconciled_through_the_room_bookings_and_reads_still_work()
    {
        Server.PhpWarnings = true;

        var created = await Pms.CreateReservationAsync(Booking("warn"));

        // QloApps answered 500 with [PHP Warning #2] errors after writing the order, and GET /bookings/{id} fails the same way.
        Assert.Equal(1, Server.BookingCount);
        Assert.Equal("QLO-1", created.Reference);
        Assert.Equal(3640m, created.TotalPrice);
        Assert.Equal("USD", created.Currency);
        Assert.Equal(2, created.Guests);
        Assert.Equal("Ana María Pérez", created.GuestName);
        Assert.Contains(Server.Requests, r => r.ToString().StartsWith("GET /api/room_bookings", StringComparison.Ordinal));
        Assert.NotNull(_qlo.Health.PhpWarningsAt);

        Assert.Equal(created, await Pms.GetReservationAsync(created.Reference));
        Assert.Equal(created.Reference, Assert.Single(await Pms.FindReservationsByContactAsync("+5491155551234")).Reference);
        Assert.Equal(created, await Pms.CreateReservationAsync(Booking("warn")));

        var moved = await Pms.ModifyReservationAsync(created.Reference, new ReservationChange { IdempotencyKey = "wm", CheckIn = Dec10.AddDays(1), CheckOut = Dec12.AddDays(1) });
        Assert.Equal(Dec10.AddDays(1), moved.CheckIn);
        Assert.Equal(Dec10.AddDays(1), Server.Booking(1)!.From);

        var cancelled = await Pms.CancelReservationAsync(created.Reference, "wc");
        Assert.Equal(ReservationStatus.Cancelled, cancelled.Reservation.Status);
        Assert.True(Server.Booking(1)!.Cancelled);
        Assert.Equal(1, Server.BookingCount);
    }

    [Fact]
    public async Task A_4xx_whose_first_error_is_a_PHP_warning_is_read_for_its_real_reason()
    {
        Server.PhpWarnings = true;

        await Assert.ThrowsAsync<GuestPhoneRequiredException>(() => Pms.CreateReservationAsync(Booking("mail", contact: "ana@example.com", channel: Channel.Email)));

        for (var i = 0; i < 4; i++)
        {
            Server.Occupy(4, Dec10, Dec12);
        }

        // hotel_ari shows the last Luxury room; someone books it before QloApps validates our POST: its 400 carries a PHP
        // warning first and "Requested room(s) not available." after it.
        Server.BeforeNextBookingWrite = () => Server.Occupy(4, Dec10, Dec12);
        var e = await Assert.ThrowsAsync<NoAvailabilityException>(() => Pms.CreateReservationAsync(Booking("x5", "luxury-rooms")));
        Assert.Equal("luxury-rooms", e.RoomType);
        Assert.Equal(5, Server.BookingCount);
    }

    [Fact]
    public async Task Readiness_says_when_QloApps_answers_with_PHP_warnings_and_clears_when_fixed()
    {
        var check = new PmsCheck(_qlo.Health);
        Server.PhpWarnings = true;
        var r = await Pms.CreateReservationAsync(Booking("ready"));

        var warned = await check.CheckAsync(CancellationToken.None);
        Assert.Contains("PHP warnings", warned.Detail, StringComparison.Ordinal);
        Assert.Contains("error_reporting = E_ALL & ~E_WARNING & ~E_NOTICE & ~E_DEPRECATED", warned.Detail, StringComparison.Ordinal);

        Server.PhpWarnings = false;
        await Pms.GetReservationAsync(r.Reference);
        Assert.DoesNotContain("PHP", (await check.CheckAsync(CancellationToken.None)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_booking_asks_for_the_current_hotel_ari_total_never_a_stale_lower_one()
    {
        // The dialog quoted from a 30 s cache and the rate went up since (the stale 3640 is below the 4160 QloApps now computes:
        // asking for less is a division by zero in QloApps AFTER the order is written). The adapter reads hotel_ari again.
        await Pms.SearchAvailabilityAsync(new StayQuery(Dec10, Dec12, 2, "doble"));
        Server.SetPrice(2, 2000m);

        var r = await Pms.CreateReservationAsync(Booking("fresh"));

        Assert.Equal((2000m + 250m) * 2 * 1.04m, r.TotalPrice);
        Assert.Equal(r.TotalPrice, Server.Booking(1)!.TotalWithTax);
        Assert.Equal(1, Server.BookingCount);
    }
}
