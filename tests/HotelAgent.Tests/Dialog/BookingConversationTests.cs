using HotelAgent.Core.Dialog;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;

namespace HotelAgent.Tests.Dialog;

public sealed class BookingConversationTests : DialogTestBase
{
    [Fact]
    public async Task Spanish_guest_books_from_hola_to_a_reference()
    {
        var g = Guest();

        await g.Say("hola");
        Assert.Contains("Hotel Palermo Soho", g.Text, StringComparison.Ordinal);
        Assert.Contains("Juan", g.Text, StringComparison.Ordinal);

        await g.Say("quiero reservar una habitación");
        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Contains("entrada", g.Text, StringComparison.Ordinal);

        await g.Say("del 10 al 12 de diciembre");
        Assert.Equal(AskedSlot.Guests, g.State.Asked);
        Assert.Contains("personas", g.Text, StringComparison.Ordinal);

        var quote = await g.Say("2");
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.Equal(2, g.State.Stay.Guests);
        var reply = Assert.Single(quote.Replies);
        var doble = Assert.Single(reply.Options, o => o.Id == "doble");
        Assert.Contains(Price(95000), doble.Description, StringComparison.Ordinal);
        Assert.Contains("total " + Price(190000), reply.Text, StringComparison.Ordinal);
        Assert.Contains("desayuno buffet", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(reply.Options, o => o.Id == "simple"); // one person only: cannot hold 2

        await g.Say("la doble");
        Assert.Equal(DialogStage.CollectingGuestDetails, g.State.Stage);
        Assert.Equal("doble", g.State.Selected?.RoomType);
        Assert.Contains("Juan Pérez", g.Text, StringComparison.Ordinal);

        await g.Say("sí");
        Assert.Equal(AskedSlot.Email, g.State.Asked);
        Assert.Contains("email", g.Text, StringComparison.Ordinal);

        var summary = await g.Say("juan@example.com");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Contains("juan@example.com", g.Text, StringComparison.Ordinal);
        Assert.Contains(Price(190000), g.Text, StringComparison.Ordinal);
        Assert.Contains("2 noches", g.Text, StringComparison.Ordinal);
        Assert.Equal(["yes", "no"], summary.Replies[^1].Options.Select(o => o.Id));
        Assert.Empty(Effects.CreateRequests);

        var booked = await g.Say("sí");
        var ev = Assert.Single(booked.Events, e => e.Kind == DialogEventKind.Booked);
        Assert.Equal(190000m, ev.Total);
        Assert.Equal("ARS", ev.Currency);
        Assert.Contains(ev.Reference!, g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.Idle, g.State.Stage);

        var stored = await Effects.Pms.GetReservationAsync(ev.Reference!);
        Assert.Equal(Phone, stored.Contact);
        Assert.Equal("Juan Pérez", stored.GuestName);
        Assert.Equal("juan@example.com", stored.Email);
        Assert.Equal(new DateOnly(2026, 12, 10), stored.CheckIn);
        Assert.Equal(new DateOnly(2026, 12, 12), stored.CheckOut);
        Assert.StartsWith("msg-", Assert.Single(Effects.CreateRequests).IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_guest_books_with_buttons_and_gets_a_reference()
    {
        var g = Guest(Channel.WebChat, "web-session-42", displayName: null);

        await g.Say("hi, do you have a room from december 10 to 12 for 2 people?");
        Assert.Equal("en", g.State.Language);
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.Contains("per night", g.Text, StringComparison.Ordinal);

        await g.Say("Suite Palermo", replyId: "suite");
        Assert.Equal("suite", g.State.Selected?.RoomType);
        Assert.Equal(AskedSlot.GuestName, g.State.Asked);
        Assert.Contains("What name", g.Text, StringComparison.Ordinal);

        await g.Say("my name is John Smith");
        Assert.Equal("John Smith", g.State.GuestName);
        Assert.Equal(AskedSlot.Email, g.State.Asked);

        await g.Say("No, thanks", replyId: "skip");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Contains("Shall I confirm", g.Text, StringComparison.Ordinal);
        Assert.Contains("ARS 420,000", g.Text, StringComparison.Ordinal);

        var booked = await g.Say("Yes, book it", replyId: "yes");
        var ev = Assert.Single(booked.Events, e => e.Kind == DialogEventKind.Booked);
        Assert.Contains("Your booking is confirmed", g.Text, StringComparison.Ordinal);
        Assert.Contains(ev.Reference!, g.Text, StringComparison.Ordinal);
        Assert.Equal(420000m, ev.Total);
    }

    [Fact]
    public async Task Email_guest_is_not_asked_for_an_email()
    {
        var g = Guest(Channel.Email, "ana@example.com", displayName: "Ana Gómez");

        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la 1");
        await g.Say("sí");

        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Equal("ana@example.com", g.State.Email);
    }

    [Fact]
    public async Task A_correction_updates_only_the_check_in_and_requotes()
    {
        var g = Guest();

        await g.Say("quiero reservar del 10 al 13 de diciembre para 2 personas");
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.Contains("total " + Price(285000), g.Text, StringComparison.Ordinal);

        await g.Say("no, mejor del 11");

        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.Equal(new DateOnly(2026, 12, 11), g.State.Stay.CheckIn);
        Assert.Equal(new DateOnly(2026, 12, 14), g.State.Stay.CheckOut);
        Assert.Equal(2, g.State.Stay.Guests);
        Assert.Contains("11/12", g.Text, StringComparison.Ordinal);
        Assert.Equal(2, Effects.Calls.Count(c => c == "search"));
    }

    [Fact]
    public async Task A_correction_after_choosing_a_room_requotes_that_room()
    {
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("prefiero no");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);

        await g.Say("no, mejor del 11");

        Assert.Equal("doble", g.State.Selected?.RoomType);
        Assert.Equal(new DateOnly(2026, 12, 13), g.State.Stay.CheckOut);
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Empty(Effects.CreateRequests);
    }

    [Fact]
    public async Task Slots_are_asked_one_at_a_time_and_bare_answers_fill_them()
    {
        var g = Guest();

        await g.Say("tienen disponibilidad?");
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);

        await g.Say("el 15 de diciembre");
        Assert.Equal(AskedSlot.CheckOut, g.State.Asked);

        await g.Say("3");
        Assert.Equal(new DateOnly(2026, 12, 18), g.State.Stay.CheckOut);
        Assert.Equal(AskedSlot.Guests, g.State.Asked);

        await g.Say("tres");
        Assert.Equal(3, g.State.Stay.Guests);
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.All(g.State.Offers, o => Assert.True(o.Capacity >= 3));
    }

    [Fact]
    public async Task Nothing_is_booked_without_an_explicit_yes()
    {
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la 1");
        await g.Say("sí");
        await g.Say("prefiero no");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);

        await g.Say("mmm dejame pensar");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        await g.Say("la 1");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        await g.Say("2");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        await g.Say("y la pileta a qué hora abre?");
        Assert.Contains("9:00", g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);

        await g.Say("no");
        Assert.Contains("cambiar", g.Text, StringComparison.Ordinal);

        Assert.Empty(Effects.CreateRequests);
        Assert.Empty(await Effects.Pms.FindReservationsByContactAsync(Phone));
    }

    [Fact]
    public async Task No_rooms_for_the_dates_says_so_and_never_invents_one()
    {
        var g = Guest();
        for (var i = 0; i < 2; i++)
        {
            await ExistingBooking("+54911000000" + i, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), "familiar", "Otro Huésped", 4);
        }

        await g.Say("quiero reservar del 10 al 12 de diciembre para 4 personas");

        Assert.Empty(g.State.Offers);
        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Contains("No tengo habitaciones libres", g.Text, StringComparison.Ordinal);
        Assert.Contains("otras fechas", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_yes_to_trying_other_dates_asks_for_them_instead_of_searching_the_same_ones()
    {
        var g = Guest();
        for (var i = 0; i < 2; i++)
        {
            await ExistingBooking("+54911000000" + i, new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), "familiar", "Otro Huésped", 4);
        }

        await g.Say("quiero reservar del 10 al 12 de diciembre para 4 personas");
        await g.Say("sip");

        Assert.DoesNotContain("No tengo habitaciones libres", g.Text, StringComparison.Ordinal);
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);
        Assert.Null(g.State.Stay.CheckIn);
        Assert.Equal(4, g.State.Stay.Guests);

        await g.Say("del 14 al 16");

        Assert.Equal(new DateOnly(2026, 12, 14), g.State.Stay.CheckIn);
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
    }

    [Fact]
    public async Task A_heavily_misspelt_request_is_quoted_for_the_right_stay()
    {
        var g = Guest();

        await g.Say("ola tenes abitacion pal 3 de enro x 2 noxes? somo 3");

        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.Equal(new DateOnly(2027, 1, 3), g.State.Stay.CheckIn);
        Assert.Equal(new DateOnly(2027, 1, 5), g.State.Stay.CheckOut);
        Assert.Equal(3, g.State.Stay.Guests);
    }

    [Fact]
    public async Task Asking_which_days_of_a_month_are_free_starts_the_stay()
    {
        var g = Guest();

        await g.Say("q dias tenes livre en febrro?");

        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);
        Assert.DoesNotContain("no te entendí", g.Text, StringComparison.Ordinal);
        Assert.Contains("febrero", g.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("del 10 al 13 pa 2", "2027-02-10", "2027-02-13")]
    [InlineData("el 28, 2 noches, somos 2", "2027-02-28", "2027-03-02")]
    [InlineData("el 1 x 2 noches, somos 2", "2027-02-01", "2027-02-03")]
    public async Task Days_given_after_a_month_alone_fall_in_that_month(string days, string checkIn, string checkOut)
    {
        var g = Guest();

        await g.Say("q dias tenes livre en febrro?");
        await g.Say(days);

        Assert.Equal(DateOnly.Parse(checkIn, System.Globalization.CultureInfo.InvariantCulture), g.State.Stay.CheckIn);
        Assert.Equal(DateOnly.Parse(checkOut, System.Globalization.CultureInfo.InvariantCulture), g.State.Stay.CheckOut);
    }

    [Fact]
    public async Task A_party_larger_than_any_room_is_sent_to_reception()
    {
        var g = Guest();

        await g.Say("quiero reservar del 10 al 12 de diciembre para 9 personas");

        Assert.Contains(Profile.Phone, g.Text, StringComparison.Ordinal);
        Assert.Empty(g.State.Offers);
    }

    [Fact]
    public async Task Pms_outage_gets_a_graceful_answer_and_the_state_is_kept_for_a_retry()
    {
        var g = Guest();
        Effects.PmsDown = true;

        var outcome = await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");

        Assert.Contains(Profile.Phone, g.Text, StringComparison.Ordinal);
        Assert.Contains(Profile.Email, g.Text, StringComparison.Ordinal);
        Assert.Contains(outcome.Events, e => e.Kind == DialogEventKind.PmsUnavailable);
        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.True(g.State.Stay.IsComplete);

        Effects.PmsDown = false;
        await g.Say("dale");

        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.NotEmpty(g.State.Offers);
    }

    [Fact]
    public async Task Pms_outage_at_confirmation_retries_with_the_same_idempotency_key()
    {
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("prefiero no");

        Effects.PmsDown = true;
        await g.Say("sí");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Contains(Profile.Phone, g.Text, StringComparison.Ordinal);

        Effects.PmsDown = false;
        var booked = await g.Say("sí");

        Assert.Contains(booked.Events, e => e.Kind == DialogEventKind.Booked);
        Assert.Equal(2, Effects.CreateRequests.Count);
        Assert.Equal(Effects.CreateRequests[0].IdempotencyKey, Effects.CreateRequests[1].IdempotencyKey);
    }

    [Fact]
    public async Task Natural_answers_a_couple_a_weekday_departure_and_a_different_name_are_understood()
    {
        var g = Guest(displayName: "Caro");

        await g.Say("hay lugar la semana que viene?");
        Assert.Equal(new DateOnly(2026, 11, 23), g.State.Stay.CheckIn);
        await g.Say("hasta el domingo");
        Assert.Equal(new DateOnly(2026, 11, 29), g.State.Stay.CheckOut);
        await g.Say("somos una pareja");
        Assert.Equal(2, g.State.Stay.Guests);
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);

        await g.Say("la doble");
        Assert.Equal(AskedSlot.GuestName, g.State.Asked); // a one-word profile name ("Caro") is not a booking name: asked
        await g.Say("Carolina Díaz");
        Assert.Equal("Carolina Díaz", g.State.GuestName);
        Assert.Equal(AskedSlot.Email, g.State.Asked);
    }

    [Fact]
    public async Task On_web_chat_a_number_answers_the_numbered_options_like_a_button()
    {
        var g = Guest(Channel.WebChat, "web-7", displayName: "Ana Gómez");
        await g.Say("quiero reservar del 10 al 12 de diciembre para 2 personas");
        await g.Say("1");
        Assert.Equal("doble", g.State.Selected?.RoomType);
        await g.Say("1");
        Assert.True(g.State.GuestNameConfirmed);
        await g.Say("1");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Null(g.State.Email);

        var booked = await g.Say("1");

        Assert.Contains(booked.Events, e => e.Kind == DialogEventKind.Booked);
    }

    [Fact]
    public async Task A_full_room_type_gets_the_real_alternatives()
    {
        await ExistingBooking("+5491177776666", new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), "suite", "Otra Persona");
        var g = Guest();

        await g.Say("quiero reservar la suite del 10 al 12 de diciembre para 2 personas");

        Assert.Contains("No hay disponibilidad de la Suite Palermo", g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.DoesNotContain(g.State.Offers, o => o.RoomType == "suite");
        Assert.Contains(g.State.Offers, o => o.RoomType == "doble");
    }

    [Fact]
    public async Task A_room_question_while_dates_are_asked_gets_one_question_back_not_two()
    {
        var g = Guest();
        await g.Say("hola quiero reservar para 2 personas");
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);

        await g.Say("la doble tiene balcon?");
        Assert.Contains("balcón", g.Text, StringComparison.Ordinal);
        Assert.Equal(1, g.Text.Count(c => c == '?'));
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);
    }

    [Fact]
    public async Task A_holiday_weekend_is_not_guessed_the_guest_is_told_when_it_falls_and_asked()
    {
        var g = Guest();
        await g.Say("hola! tienen disponibilidad para el finde largo de carnaval? somos 2");
        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Null(g.State.Stay.CheckIn);
        Assert.Equal(2, g.State.Stay.Guests);
        Assert.Contains("sábado 6 al martes 9 de febrero", g.Text, StringComparison.Ordinal);
        Assert.Empty(g.State.Offers);
    }

    [Fact]
    public async Task A_party_size_with_asking_for_a_room_starts_the_stay()
    {
        var g = Guest();
        await g.Say("hola, tienen algo para 2?");
        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Equal(2, g.State.Stay.Guests);
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);
    }

    [Fact]
    public async Task A_wish_only_one_option_meets_picks_it_and_a_room_feature_is_never_unknown()
    {
        var g = Guest();
        await g.Say("buenas, para 2 del 12 al 14 de enero");
        await g.Say("alguna tiene jacuzzi?");
        Assert.DoesNotContain("no tengo ese dato", g.Text, StringComparison.Ordinal);
        Assert.Contains("Suite Palermo", g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);

        await g.Say("quiero la que tiene hidromasaje");
        Assert.Equal("suite", g.State.Selected?.RoomType);
    }

    [Fact]
    public async Task A_room_named_while_the_party_is_asked_gets_the_question_rephrased_not_repeated()
    {
        var g = Guest();
        var first = await g.Say("hola, del 6 al 9 de febrero");
        Assert.Equal(AskedSlot.Guests, g.State.Asked);
        var second = await g.Say("la doble");
        Assert.Equal(AskedSlot.Guests, g.State.Asked);
        Assert.NotEqual(first.Replies[^1].Text, second.Replies[^1].Text);
    }

    [Fact]
    public async Task Check_in_and_out_words_with_dates_are_a_stay_not_a_policy_question()
    {
        var g = Guest(Channel.WebChat, "web-family", displayName: null);
        await g.Say("we're a family of four, checking in the 3rd of january and out the 6th");
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
        Assert.Equal(new DateOnly(2027, 1, 3), g.State.Stay.CheckIn);
        Assert.Equal(new DateOnly(2027, 1, 6), g.State.Stay.CheckOut);
        Assert.Equal(4, g.State.Stay.Guests);
    }

    [Fact]
    public async Task A_yes_to_the_offer_to_quote_a_room_starts_the_stay_for_that_room()
    {
        var g = Guest();
        await g.Say("como es la suite?");
        Assert.Contains("cotice", g.Text, StringComparison.Ordinal);

        await g.Say("dale");
        Assert.Equal(DialogStage.CollectingStay, g.State.Stage);
        Assert.Equal("suite", g.State.Stay.RoomType);
        Assert.Equal(AskedSlot.CheckIn, g.State.Asked);
    }
}
