using HotelAgent.Core.Dialog;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Dialog;

public sealed class HandoffAndUnderstandingTests : DialogTestBase
{
    [Fact]
    public async Task Mid_confidence_shows_a_menu_of_likely_intents_and_a_number_picks_one()
    {
        Effects.Scripted["tema precio y lugar"] = Nlu(NluLabels.CheckAvailability, 0.55,
            (NluLabels.CheckAvailability, 0.55), (NluLabels.AskPrice, 0.30), (NluLabels.AskLocation, 0.10));
        var g = Guest();

        var menu = await g.Say("tema precio y lugar");

        Assert.Equal(DialogStage.Clarifying, g.State.Stage);
        var reply = Assert.Single(menu.Replies);
        Assert.Equal([NluLabels.CheckAvailability, NluLabels.AskPrice, NluLabels.AskLocation], reply.Options.Select(o => o.Id));
        Assert.Contains("1. ", reply.Text, StringComparison.Ordinal);
        Assert.Contains(menu.Events, e => e.Kind == DialogEventKind.Clarified);

        await g.Say("3");

        Assert.Contains("Gurruchaga 1850", g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.Idle, g.State.Stage);
    }

    [Theory]
    [InlineData("si")]
    [InlineData("sip")]
    [InlineData("dale")]
    [InlineData("ok")]
    public async Task A_yes_after_the_menu_takes_the_option_it_asked_about(string yes)
    {
        Effects.Scripted["algo de reservas"] = Nlu(NluLabels.MakeReservation, 0.5, (NluLabels.MakeReservation, 0.5), (NluLabels.CancelReservation, 0.4));
        var g = Guest();

        var menu = await g.Say("algo de reservas");
        Assert.Contains("¿querés hacer una reserva?", Assert.Single(menu.Replies).Text, StringComparison.Ordinal);

        await g.Say(yes);

        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);
        Assert.DoesNotContain("Genial", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_no_after_the_menu_offers_the_other_options()
    {
        Effects.Scripted["algo de reservas"] = Nlu(NluLabels.MakeReservation, 0.5,
            (NluLabels.MakeReservation, 0.5), (NluLabels.CancelReservation, 0.3), (NluLabels.CheckReservation, 0.2));
        var g = Guest();

        await g.Say("algo de reservas");
        var no = await g.Say("nop");

        Assert.Equal(DialogStage.Clarifying, g.State.Stage);
        Assert.Equal([NluLabels.CancelReservation, NluLabels.CheckReservation], Assert.Single(no.Replies).Options.Select(o => o.Id));

        await g.Say("2");

        Assert.Contains("No encuentro reservas", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_no_with_a_request_of_its_own_after_the_menu_is_that_request()
    {
        await ExistingBooking(Phone, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
        Effects.Scripted["algo de reservas"] = Nlu(NluLabels.MakeReservation, 0.5, (NluLabels.MakeReservation, 0.5), (NluLabels.CheckReservation, 0.4));
        var g = Guest();

        await g.Say("algo de reservas");
        await g.Say("no, quiero cancelar mi reserva");

        Assert.Equal(DialogStage.ConfirmingCancellation, g.State.Stage);
    }

    [Fact]
    public async Task A_yes_to_change_or_cancel_after_the_booking_is_shown_asks_which()
    {
        await ExistingBooking(Phone, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
        var g = Guest();

        var status = await g.Say("quiero ver mi reserva");
        Assert.Contains("¿Querés cambiar o cancelar algo?", g.Text, StringComparison.Ordinal);
        Assert.Equal([NluLabels.ModifyReservation, NluLabels.CancelReservation], status.Replies[^1].Options.Select(o => o.Id));

        var yes = await g.Say("si");

        Assert.DoesNotContain("Genial", g.Text, StringComparison.Ordinal);
        Assert.Equal([NluLabels.ModifyReservation, NluLabels.CancelReservation], yes.Replies[^1].Options.Select(o => o.Id));

        await g.Say("Cancelar mi reserva", replyId: NluLabels.CancelReservation);

        Assert.Equal(DialogStage.ConfirmingCancellation, g.State.Stage);
    }

    [Fact]
    public async Task A_no_to_change_or_cancel_closes_without_touching_the_booking()
    {
        await ExistingBooking(Phone, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12));
        var g = Guest();

        await g.Say("quiero ver mi reserva");
        await g.Say("no gracias");

        Assert.Equal(DialogStage.Idle, g.State.Stage);
        Assert.Contains("acá estoy", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_menu_button_picks_the_intent()
    {
        Effects.Scripted["algo de reservas"] = Nlu(NluLabels.MakeReservation, 0.5, (NluLabels.MakeReservation, 0.5), (NluLabels.CancelReservation, 0.4));
        var g = Guest();

        await g.Say("algo de reservas");
        await g.Say("Hacer una reserva", replyId: NluLabels.MakeReservation);

        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);
    }

    [Fact]
    public async Task Three_fallbacks_in_a_row_hand_off_to_a_person()
    {
        Effects.Scripted["zzq prrt"] = Nlu(NluLabels.OutOfScope, 0.3);
        Effects.Scripted["blorf gnn"] = Nlu(NluLabels.OutOfScope, 0.3);
        Effects.Scripted["kkk wububu"] = Nlu(NluLabels.OutOfScope, 0.3);
        var g = Guest();

        var first = await g.Say("zzq prrt");
        Assert.Contains(first.Events, e => e.Kind == DialogEventKind.Fallback);
        Assert.Contains("no te entendí", g.Text, StringComparison.Ordinal);
        await g.Say("blorf gnn");
        Assert.False(g.State.HandedOff);

        var third = await g.Say("kkk wububu");

        var ev = Assert.Single(third.Events, e => e.Kind == DialogEventKind.HandoffStarted);
        Assert.Equal("fallbacks", ev.Reason);
        Assert.True(g.State.HandedOff);
        Assert.Equal(DialogStage.HandedOff, g.State.Stage);
        Assert.Contains("persona", g.Text, StringComparison.Ordinal);
        var notice = Assert.Single(Effects.Notices);
        Assert.True(notice.IsHandoff);
        Assert.Equal(Phone, notice.GuestId);
        Assert.Equal("kkk wububu", notice.LastGuestText);
    }

    [Fact]
    public async Task An_understood_turn_resets_the_fallback_count()
    {
        Effects.Scripted["zzq prrt"] = Nlu(NluLabels.OutOfScope, 0.3);
        Effects.Scripted["blorf gnn"] = Nlu(NluLabels.OutOfScope, 0.3);
        var g = Guest();

        await g.Say("zzq prrt");
        await g.Say("blorf gnn");
        await g.Say("donde quedan?");
        await g.Say("zzq prrt");

        Assert.False(g.State.HandedOff);
        Assert.Equal(1, g.State.FallbackCount);
    }

    [Fact]
    public async Task Very_low_confidence_twice_hands_off()
    {
        Effects.Scripted["?!?! ###"] = Nlu(NluLabels.OutOfScope, 0.1);
        Effects.Scripted["@@ ~~ %%"] = Nlu(NluLabels.OutOfScope, 0.05);
        var g = Guest();

        await g.Say("?!?! ###");
        var second = await g.Say("@@ ~~ %%");

        Assert.Equal("low_confidence", Assert.Single(second.Events, e => e.Kind == DialogEventKind.HandoffStarted).Reason);
    }

    [Fact]
    public async Task Strong_negative_sentiment_hands_off()
    {
        var g = Guest();

        var outcome = await g.Say("son unos inútiles, pésimo servicio, una vergüenza");

        Assert.Equal("negative_sentiment", Assert.Single(outcome.Events, e => e.Kind == DialogEventKind.HandoffStarted).Reason);
        Assert.Single(Effects.Notices);
    }

    [Fact]
    public async Task Explicit_request_for_a_person_hands_off()
    {
        var g = Guest();

        var outcome = await g.Say("quiero hablar con una persona");

        Assert.Equal("requested", Assert.Single(outcome.Events, e => e.Kind == DialogEventKind.HandoffStarted).Reason);
        Assert.True(g.State.HandedOff);
    }

    [Fact]
    public async Task The_guest_repeating_themselves_hands_off()
    {
        var g = Guest();

        await g.Say("necesito saber si tienen lugar");
        await g.Say("necesito saber si tienen lugar!!");
        Assert.False(g.State.HandedOff);
        var third = await g.Say("Necesito saber si tienen lugar");

        Assert.Equal("repetition", Assert.Single(third.Events, e => e.Kind == DialogEventKind.HandoffStarted).Reason);
    }

    [Fact]
    public async Task Short_answers_like_yes_do_not_count_as_repetition()
    {
        var g = Guest();

        await g.Say("sí");
        await g.Say("sí");
        await g.Say("sí");

        Assert.False(g.State.HandedOff);
    }

    [Fact]
    public async Task A_handed_off_guest_gets_no_replies_until_staff_release()
    {
        var g = Guest();
        await g.Say("quiero hablar con una persona");
        var callsAtHandoff = Effects.Calls.Count;

        var silent = await g.Say("hola? hay alguien?");
        Assert.Empty(silent.Replies);
        Assert.Empty(silent.Events);
        Assert.Equal(callsAtHandoff, Effects.Calls.Count);
        Assert.True(g.State.HandedOff);

        g.State = g.State.Release();
        Assert.False(g.State.HandedOff);
        Assert.Equal(DialogStage.Idle, g.State.Stage);

        await g.Say("hola");
        Assert.Contains("Hotel Palermo Soho", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slot_filling_beats_a_low_confidence_intent()
    {
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre");
        Assert.Equal(AskedSlot.Guests, g.State.Asked);

        // The NLU alone reads a bare "2" as out_of_scope with mid confidence; in context it is the party size.
        var outcome = await g.Say("2");

        Assert.Equal(2, g.State.Stay.Guests);
        Assert.DoesNotContain(outcome.Events, e => e.Kind is DialogEventKind.Fallback or DialogEventKind.Clarified);
    }

    [Fact]
    public async Task An_unclear_message_at_confirmation_asks_again_and_never_books()
    {
        Effects.Scripted["tema raro"] = Nlu(NluLabels.AskPrice, 0.5, (NluLabels.AskPrice, 0.5), (NluLabels.AskPolicies, 0.3));
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("prefiero no");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);

        await g.Say("tema raro");

        Assert.Empty(Effects.CreateRequests);
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Contains("¿Confirmo la reserva?", g.Text, StringComparison.Ordinal);
        var booked = await g.Say("sí");
        Assert.Contains(booked.Events, e => e.Kind == DialogEventKind.Booked);
    }

    [Fact]
    public async Task An_unclear_message_mid_flow_asks_the_flows_question_again_instead_of_a_menu()
    {
        Effects.Scripted["tema raro"] = Nlu(NluLabels.AskPrice, 0.5, (NluLabels.AskPrice, 0.5), (NluLabels.AskPolicies, 0.3));
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");

        var unclear = await g.Say("tema raro");
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.DoesNotContain(unclear.Replies.SelectMany(r => r.Options), o => o.Id is NluLabels.Goodbye or NluLabels.Help);
        await g.Say("la doble");

        Assert.Equal(DialogStage.CollectingGuestDetails, g.State.Stage);
        Assert.Equal("doble", g.State.Selected?.RoomType);
    }

    [Fact]
    public async Task A_fallback_mid_flow_repeats_the_pending_question()
    {
        Effects.Scripted["zzq prrt"] = Nlu(NluLabels.OutOfScope, 0.3);
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre");

        await g.Say("zzq prrt");

        Assert.Contains("no te entendí", g.Text, StringComparison.Ordinal);
        Assert.Contains("personas", g.Text, StringComparison.Ordinal);
        Assert.Contains("somos 2", g.Text, StringComparison.Ordinal); // asked again, rephrased with an example
        Assert.Equal(AskedSlot.Guests, g.State.Asked);
    }
}
