using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Tests.Fakes.Dialog;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Dialog;

/// <summary>
/// Conversations with the real dialog, the real offline NLU and the QloApps adapter against the fake QloApps (answers as the
/// real QloApps 1.6.1: USD, hotel_ari prices with auto-added fees, "at least one phone number", guest counts kept on a
/// count-only change). Dec 10–12 for 2: Delux Rooms USD 3.640.
/// </summary>
public sealed class QloAppsConversationTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 21);
    private QloAppsHarness _qlo = null!;
    private ReceptionistDialog _dialog = null!;
    private DirectDialogEffects _effects = null!;
    private readonly List<HandoffNotice> _notices = [];

    public async Task InitializeAsync()
    {
        _qlo = await QloAppsHarness.StartAsync();
        var rooms = new PmsRoomCatalogue(_qlo.Client, _qlo.Profile, _qlo.Time, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30));
        _dialog = new ReceptionistDialog(_qlo.Profile, rooms: rooms);
        _effects = new DirectDialogEffects(DialogTestEffects.SharedNlu.Value, _qlo.Client, n =>
        {
            _notices.Add(n);
            return Task.CompletedTask;
        });
    }

    public async Task DisposeAsync() => await _qlo.DisposeAsync();

    private DialogConversation Guest(Channel channel = Channel.WhatsApp, string guestId = "+5491155551234", string? name = "Juan Pérez") =>
        new(_dialog, _effects, channel, guestId, name, Today);

    [Fact]
    public async Task A_chat_booking_confirms_exactly_the_quoted_price_that_QloApps_stores_in_its_currency()
    {
        var g = Guest();

        await g.Say("hola, tenés lugar para 2 del 10 al 12 de diciembre?");
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        var quote = g.State.Offers.Single(o => o.RoomType == "doble");
        Assert.Equal(("Delux Rooms", 3640m, "USD"), (quote.Name, quote.TotalPrice, quote.Currency));
        Assert.Contains("Delux Rooms: USD 1.820 por noche, total USD 3.640", g.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("$ ", g.Text, StringComparison.Ordinal);

        await g.Say("Delux Rooms", replyId: "doble");
        await g.Say("sí");
        await g.Say("prefiero no");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Contains("Total: USD 3.640", g.Text, StringComparison.Ordinal);
        Assert.Contains(g.Last!.Replies[^1].Options, o => o.Id == "yes" && o.Title == "Sí, reservar");

        // The web chat sends a button's title as text: "Sí, reservar" confirms (it used to restart the quote list).
        var booked = await g.Say("Sí, reservar");

        var ev = Assert.Single(booked.Events, e => e.Kind == DialogEventKind.Booked);
        Assert.Equal((3640m, "USD"), (ev.Total!.Value, ev.Currency));
        Assert.Contains("total USD 3.640", g.Text, StringComparison.Ordinal);
        Assert.Contains(ev.Reference!, g.Text, StringComparison.Ordinal);
        Assert.Equal(3640m, _qlo.Server.Booking(1)!.TotalWithTax);
        Assert.Equal("USD", _qlo.Server.Booking(1)!.Currency);
        Assert.Equal("+5491155551234", _qlo.Server.Booking(1)!.Phone);
    }

    [Fact]
    public async Task An_email_guest_is_asked_for_a_phone_after_saying_yes_and_the_booking_goes_through()
    {
        var g = Guest(Channel.Email, "ana.gomez@example.com", "Ana Gómez");

        await g.Say("Hola, quisiera reservar una habitación para 2 personas del 10 al 12 de diciembre");
        await g.Say("Executive Rooms", replyId: "ejecutiva");
        await g.Say("sí");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);

        await g.Say("sí");
        Assert.Equal(AskedSlot.Phone, g.State.Asked);
        Assert.Contains("teléfono", g.Text, StringComparison.Ordinal);
        Assert.Equal(0, _qlo.Server.BookingCount);

        await g.Say("123");
        Assert.Equal(AskedSlot.Phone, g.State.Asked);
        Assert.Contains("no me pareció un número válido", g.Text, StringComparison.Ordinal);

        var booked = await g.Say("mi celular es 11 5555-1234");
        var ev = Assert.Single(booked.Events, e => e.Kind == DialogEventKind.Booked);
        Assert.Equal(4680m, ev.Total);
        // An email guest's confirmation is the reply itself, with the .ics (the dialog's promise policy, docs/dialog.md).
        Assert.Contains("Te adjunto el archivo", g.Text, StringComparison.Ordinal);
        var stored = _qlo.Server.Booking(1)!;
        Assert.Equal(("+541155551234", "ana.gomez@example.com", "Ana", "Gómez"), (stored.Phone, stored.Email, stored.FirstName, stored.LastName));
        Assert.Equal(DialogStage.Idle, g.State.Stage);
    }

    [Fact]
    public async Task A_guest_count_change_QloApps_ignores_is_told_truthfully_and_reception_is_notified()
    {
        var existing = await _qlo.Client.CreateReservationAsync(new NewReservation
        {
            IdempotencyKey = "seed",
            GuestName = "Juan Pérez",
            Contact = "+5491155551234",
            Channel = Channel.WhatsApp,
            RoomType = "doble",
            CheckIn = new DateOnly(2026, 12, 10),
            CheckOut = new DateOnly(2026, 12, 12),
            Guests = 2,
        });
        var g = Guest();

        await g.Say("quiero modificar mi reserva");
        Assert.Contains("Delux Rooms", g.Text, StringComparison.Ordinal); // QloApps' name, not the profile's "Habitación Doble"
        await g.Say("Personas", replyId: "change_guests");
        await g.Say("1");
        Assert.Equal(DialogStage.ConfirmingModification, g.State.Stage);
        await g.Say("sí");

        Assert.Contains("No pude cambiar la cantidad de personas", g.Text, StringComparison.Ordinal);
        Assert.Contains("sigue registrada para 2 personas", g.Text, StringComparison.Ordinal);
        Assert.Contains("recepción", g.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("¡Listo!", g.Text, StringComparison.Ordinal);
        var notice = Assert.Single(_notices);
        Assert.False(notice.IsHandoff);
        Assert.StartsWith("guest_count_not_applied: " + existing.Reference, notice.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _qlo.Server.Booking(1)!.Adults);
    }

    [Fact]
    public async Task A_change_to_a_QloApps_room_type_without_canonical_code_is_picked_from_the_options()
    {
        await _qlo.Client.CreateReservationAsync(new NewReservation
        {
            IdempotencyKey = "seed",
            GuestName = "Juan Pérez",
            Contact = "+5491155551234",
            Channel = Channel.WhatsApp,
            RoomType = "doble",
            CheckIn = new DateOnly(2026, 12, 10),
            CheckOut = new DateOnly(2026, 12, 12),
            Guests = 2,
        });
        var g = Guest();

        await g.Say("quiero modificar mi reserva");
        await g.Say("La habitación", replyId: "change_room");
        Assert.Equal(["general-rooms", "doble", "ejecutiva", "luxury-rooms"], g.Last!.Replies[^1].Options.Select(o => o.Id));

        await g.Say("Luxury Rooms", replyId: "luxury-rooms");
        Assert.Equal(DialogStage.ConfirmingModification, g.State.Stage);
        Assert.Contains("Total: USD 5.720 (antes USD 3.640)", g.Text, StringComparison.Ordinal);
        await g.Say("sí");

        Assert.Contains("QLO-1: Luxury Rooms", g.Text, StringComparison.Ordinal);
        Assert.Equal((4, 5720m), (_qlo.Server.Booking(1)!.IdProduct, _qlo.Server.Booking(1)!.TotalWithTax));
    }

    [Fact]
    public async Task Room_type_lists_and_names_come_from_QloApps_not_the_hotel_profile()
    {
        var g = Guest();

        await g.Say("qué tipos de habitaciones tienen?");
        foreach (var name in new[] { "General Rooms", "Delux Rooms", "Executive Rooms", "Luxury Rooms" })
        {
            Assert.Contains(name, g.Text, StringComparison.Ordinal);
        }

        Assert.Contains("hasta 2 personas", g.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Habitación", g.Text, StringComparison.Ordinal);

        // A kind of room QloApps does not have: said plainly, and QloApps' rooms offered.
        await g.Say("tenés una suite para 2 del 10 al 12 de diciembre?");
        Assert.Contains("No tenemos habitación suite", g.Text, StringComparison.Ordinal);
        Assert.Contains("Luxury Rooms", g.Text, StringComparison.Ordinal);

        // A party no QloApps room holds (max 2 adults) is sent to reception.
        await g.Say("y para 4 personas del 10 al 12 de diciembre?");
        Assert.Contains("hasta 2 personas", g.Text, StringComparison.Ordinal);
        Assert.Contains(_qlo.Profile.Phone, g.Text, StringComparison.Ordinal);
    }
}
