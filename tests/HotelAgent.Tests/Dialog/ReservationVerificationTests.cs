using System.Text.RegularExpressions;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Security;

namespace HotelAgent.Tests.Dialog;

/// <summary>
/// The identity model in the dialog: a booking is seen only by the identity that made it, or by reference plus a one-time
/// code sent to the booking's own contact. Checked against the real embedded PMS and the real verifier.
/// </summary>
public sealed partial class ReservationVerificationTests : DialogTestBase
{
    private static readonly DateOnly Dec10 = new(2026, 12, 10);
    private static readonly DateOnly Dec12 = new(2026, 12, 12);
    private const string WhatsAppGuest = "+5491166660001";

    [Theory]
    [InlineData("webchat:x-54-9-11-6666-0001")]
    [InlineData("webchat:5491166660001")]
    [InlineData("webchat:web-5491166660001")]
    [InlineData("webchat:abc5491166660001xyz")]
    [InlineData("5491166660001")]
    [InlineData("+5491166660001x")]
    public async Task A_web_chat_session_whose_id_holds_a_whatsapp_guests_digits_sees_and_cancels_nothing(string sessionGuestId)
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12, name: "Valentina Ruiz");
        var g = Guest(Channel.WebChat, sessionGuestId, displayName: null);

        await g.Say("quiero ver mi reserva");
        Assert.Contains("No encuentro reservas", g.Text, StringComparison.Ordinal);
        await g.Say("quiero cancelar mi reserva");
        await g.Say("sí");
        await g.Say("sí, cancelala");

        var heard = string.Join("\n", g.AllReplies.Select(r => r.Text + string.Join(' ', r.Options.Select(o => o.Id + o.Title + o.Description))));
        Assert.DoesNotContain(booking.Reference, heard, StringComparison.Ordinal);
        Assert.DoesNotContain("Valentina", heard, StringComparison.Ordinal);
        Assert.DoesNotContain(Effects.Calls, c => c.StartsWith("cancel:", StringComparison.Ordinal));
        Assert.Equal(ReservationStatus.Confirmed, (await Effects.Pms.GetReservationAsync(booking.Reference)).Status);
        Assert.Empty(Effects.Outbox);
    }

    [Fact]
    public async Task The_web_chat_session_that_booked_finds_its_booking_and_a_session_with_the_same_digits_does_not()
    {
        var own = await ExistingBooking("webchat:session-0001", Dec10, Dec12, name: "Ana Gómez", channel: Channel.WebChat);
        var mine = Guest(Channel.WebChat, "webchat:session-0001", displayName: null);
        var other = Guest(Channel.WebChat, "webchat:session-0001-x", displayName: null);

        await mine.Say("quiero ver mi reserva");
        await other.Say("quiero ver mi reserva");

        Assert.Contains(own.Reference, mine.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(own.Reference, other.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_from_an_address_that_did_not_book_can_neither_read_nor_cancel()
    {
        var booking = await ExistingBooking("ana@example.com", Dec10, Dec12, name: "Ana Gómez");
        var g = Guest(Channel.Email, "intruso@example.com", displayName: "Ana Gómez");

        await g.Say("quiero ver mi reserva");
        await g.Say("quiero cancelar mi reserva");
        await g.Say("sí");
        await g.Say($"cancelá la reserva {booking.Reference}");
        await g.Say("sí");
        await g.Say("123456");

        var heard = string.Join("\n", g.AllReplies.Select(r => r.Text));
        Assert.DoesNotContain("Ana", heard, StringComparison.Ordinal);
        Assert.DoesNotContain("10/12", heard, StringComparison.Ordinal);
        Assert.DoesNotContain(Effects.Calls, c => c.StartsWith("cancel:", StringComparison.Ordinal));
        Assert.Equal(ReservationStatus.Confirmed, (await Effects.Pms.GetReservationAsync(booking.Reference)).Status);

        // The one code that went out went to the booking's own address, never to the sender.
        var code = Assert.Single(Effects.Outbox);
        Assert.Equal(Channel.Email, code.Channel);
        Assert.Equal("ana@example.com", code.GuestId);
    }

    [Fact]
    public async Task An_email_from_the_bookings_address_sees_it_but_cancels_only_with_the_code_sent_to_that_address()
    {
        var booking = await ExistingBooking("ana@example.com", Dec10, Dec12, name: "Ana Gómez");
        var g = Guest(Channel.Email, "ana@example.com", displayName: "Ana Gómez");

        await g.Say("quiero ver mi reserva");
        Assert.Contains(booking.Reference, g.Text, StringComparison.Ordinal);

        await g.Say("quiero cancelar mi reserva");
        Assert.Equal(DialogStage.VerifyingCode, g.State.Stage);
        Assert.DoesNotContain(Effects.Calls, c => c.StartsWith("cancel:", StringComparison.Ordinal));
        var sent = Assert.Single(Effects.Outbox);
        Assert.Equal("ana@example.com", sent.GuestId);

        await g.Say(CodeIn(sent));
        Assert.Equal(DialogStage.ConfirmingCancellation, g.State.Stage);
        await g.Say("sí");

        Assert.Equal(ReservationStatus.Cancelled, (await Effects.Pms.GetReservationAsync(booking.Reference)).Status);
        Assert.Single(Effects.Outbox); // the requester is the booking's own address: its reply is the notice
    }

    [Fact]
    public async Task A_reference_with_a_wrong_code_gets_nothing_and_too_many_wrong_codes_lock_even_the_right_one()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12, name: "Valentina Ruiz");
        var g = Guest(Channel.WebChat, "webchat:attacker-0001", displayName: null);

        await g.Say($"quiero cancelar la reserva {booking.Reference}");
        Assert.Equal(DialogStage.VerifyingCode, g.State.Stage);
        var right = CodeIn(Assert.Single(Effects.Outbox));
        var guesses = Enumerable.Range(100_000, 20).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(c => c != right).ToArray();

        for (var i = 0; i < Effects.SecurityOptions.MaxCodeAttempts - 1; i++)
        {
            await g.Say(guesses[i]);
            Assert.Contains("no coincide", g.Text, StringComparison.Ordinal);
            Assert.Equal(DialogStage.VerifyingCode, g.State.Stage);
        }

        await g.Say(guesses[Effects.SecurityOptions.MaxCodeAttempts - 1]);
        Assert.Contains("bloqueé", g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.Idle, g.State.Stage);

        // Locked: asking again sends no new code, and the right code no longer works.
        await g.Say($"quiero cancelar la reserva {booking.Reference}");
        Assert.Single(Effects.Outbox);
        await g.Say(right);
        await g.Say("sí");

        var heard = string.Join("\n", g.AllReplies.Select(r => r.Text));
        Assert.DoesNotContain("Valentina", heard, StringComparison.Ordinal);
        Assert.DoesNotContain("10/12", heard, StringComparison.Ordinal);
        Assert.DoesNotContain(Effects.Calls, c => c.StartsWith("cancel:", StringComparison.Ordinal));
        Assert.Equal(ReservationStatus.Confirmed, (await Effects.Pms.GetReservationAsync(booking.Reference)).Status);
    }

    [Fact]
    public async Task The_right_code_works_and_the_bookings_own_whatsapp_is_told_of_the_cancellation()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12, name: "Valentina Ruiz");
        var g = Guest(Channel.WebChat, "webchat:laptop-valentina", displayName: null);

        await g.Say($"quiero cancelar la reserva {booking.Reference}");
        var code = Assert.Single(Effects.Outbox);
        Assert.Equal(Channel.WhatsApp, code.Channel);
        Assert.Equal(WhatsAppGuest, code.GuestId);
        Assert.Contains(booking.Reference, code.Reply.Text, StringComparison.Ordinal);

        await g.Say($"el código es {CodeIn(code)}");
        Assert.Equal(DialogStage.ConfirmingCancellation, g.State.Stage);
        Assert.Contains("Valentina", g.Text, StringComparison.Ordinal);
        await g.Say("sí");

        Assert.Equal(ReservationStatus.Cancelled, (await Effects.Pms.GetReservationAsync(booking.Reference)).Status);
        var notice = Effects.Outbox.Last();
        Assert.Equal(Channel.WhatsApp, notice.Channel);
        Assert.Equal(WhatsAppGuest, notice.GuestId);
        Assert.Contains("cancelada", notice.Reply.Text, StringComparison.Ordinal);
        Assert.Contains(booking.Reference, notice.Reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verified_change_notifies_the_owner_and_the_owners_own_change_sends_no_extra_notice()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12, name: "Valentina Ruiz");
        var web = Guest(Channel.WebChat, "webchat:laptop-valentina", displayName: null);

        await web.Say($"quiero cambiar la reserva {booking.Reference}");
        await web.Say(CodeIn(Effects.Outbox.Single()));
        await web.Say("Las fechas", replyId: "change_dates");
        await web.Say("del 20 al 23 de diciembre");
        await web.Say("sí");

        Assert.Equal(new DateOnly(2026, 12, 20), (await Effects.Pms.GetReservationAsync(booking.Reference)).CheckIn);
        var notice = Effects.Outbox.Last();
        Assert.Equal(WhatsAppGuest, notice.GuestId);
        Assert.Contains("modificada", notice.Reply.Text, StringComparison.Ordinal);

        var before = Effects.Outbox.Count;
        var owner = Guest(Channel.WhatsApp, WhatsAppGuest, displayName: "Valentina Ruiz");
        await owner.Say("quiero cancelar mi reserva");
        await owner.Say("sí");
        Assert.Equal(ReservationStatus.Cancelled, (await Effects.Pms.GetReservationAsync(booking.Reference)).Status);
        Assert.Equal(before, Effects.Outbox.Count);
    }

    [Fact]
    public async Task The_answer_is_the_same_whether_the_reference_exists_or_not_and_only_a_real_booking_gets_a_code()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12);
        var real = Guest(Channel.WebChat, "webchat:probe-real-01", displayName: null);
        var fake = Guest(Channel.WebChat, "webchat:probe-fake-01", displayName: null);

        await real.Say($"quiero ver la reserva {booking.Reference}");
        await fake.Say("quiero ver la reserva HPS-ZZZZZZ");

        Assert.Equal(real.Text, fake.Text);
        Assert.Equal(real.State.Stage, fake.State.Stage);
        Assert.Equal(WhatsAppGuest, Assert.Single(Effects.Outbox).GuestId);

        await fake.Say("123456");
        Assert.Contains("no coincide", fake.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_code_does_not_work()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12);
        var g = Guest(Channel.WebChat, "webchat:slow-typer-01", displayName: null);

        await g.Say($"quiero ver la reserva {booking.Reference}");
        Effects.Time.Advance(TimeSpan.FromMinutes(Effects.SecurityOptions.CodeLifetimeMinutes + 1));
        await g.Say(CodeIn(Effects.Outbox.Single()));

        Assert.Contains("venció", g.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("10/12", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Codes_per_booking_are_limited_so_a_reference_cannot_be_used_to_flood_its_owner()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12);
        for (var i = 0; i < 6; i++)
        {
            var g = Guest(Channel.WebChat, $"webchat:flooder-{i:D4}", displayName: null);
            await g.Say($"quiero ver la reserva {booking.Reference}");
            Assert.Equal(DialogStage.VerifyingCode, g.State.Stage);
        }

        Assert.Equal(Effects.SecurityOptions.MaxCodesPerReservationPerHour, Effects.Outbox.Count);
    }

    [Fact]
    public async Task A_code_proves_a_booking_for_the_conversation_that_asked_only()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12, name: "Valentina Ruiz");
        var asker = Guest(Channel.WebChat, "webchat:asker-000001", displayName: null);
        var thief = Guest(Channel.WebChat, "webchat:thief-000001", displayName: null);

        await asker.Say($"quiero ver la reserva {booking.Reference}");
        await thief.Say($"quiero ver la reserva {booking.Reference}");
        var firstCode = CodeIn(Effects.Outbox.First());

        // The thief's own challenge was sent a different code; the asker's code does not open the thief's challenge.
        await thief.Say(firstCode);
        Assert.DoesNotContain("Valentina", thief.Text, StringComparison.Ordinal);

        await asker.Say(firstCode);
        Assert.Contains("Valentina", asker.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_replays_deterministically_from_recorded_effects()
    {
        var booking = await ExistingBooking(WhatsAppGuest, Dec10, Dec12);
        var recorder = new Fakes.Dialog.ReplayingDialogEffects(Effects);
        var live = new Fakes.Dialog.DialogConversation(Dialog, recorder, Channel.WebChat, "webchat:replay-00001", null, Today);
        await live.Say($"quiero cancelar la reserva {booking.Reference}");
        var code = CodeIn(Effects.Outbox.Single());
        await live.Say(code);
        await live.Say("sí");

        var replay = new Fakes.Dialog.DialogConversation(Dialog, recorder.ForReplay(), Channel.WebChat, "webchat:replay-00001", null, Today);
        await replay.Say($"quiero cancelar la reserva {booking.Reference}");
        await replay.Say(code);
        await replay.Say("sí");

        Assert.Equal(live.AllReplies.Select(r => r.Text), replay.AllReplies.Select(r => r.Text));
        Assert.Equal(1, Effects.Calls.Count(c => c.StartsWith("cancel:", StringComparison.Ordinal)));
    }

    private static string CodeIn(OutboundMessage message) => CodePattern().Match(message.Reply.Text).Value;

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
