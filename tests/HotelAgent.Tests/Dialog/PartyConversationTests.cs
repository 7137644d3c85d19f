using HotelAgent.Core.Dialog;
using HotelAgent.Core.Hotel;
using HotelAgent.Tests.Fakes.Dialog;

namespace HotelAgent.Tests.Dialog;

/// <summary>Who is travelling: infants do not count toward capacity, the read-back says the party, the booking carries it.</summary>
public sealed class PartyConversationTests : DialogTestBase
{
    [Fact]
    public async Task A_baby_is_not_a_guest_the_read_back_says_the_party_and_the_booking_records_the_crib()
    {
        var g = Guest();

        var quote = await g.Say("hola, quiero reservar del 10 al 12 de enero, somos 2 adultos y un bebé de 1 año");
        Assert.Equal(2, g.State.Stay.Guests);
        Assert.Contains(quote.Replies[^1].Options, o => o.Id == "doble");   // a room for 2 fits: the baby shares the bed
        Assert.Contains("2 adultos y un bebé (cuna sin cargo)", g.Text, StringComparison.Ordinal);

        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("no");
        Assert.Contains("2 adultos y un bebé (cuna sin cargo)", g.Text, StringComparison.Ordinal);
        await g.Say("sí");

        var request = Assert.Single(Effects.CreateRequests);
        Assert.Equal(2, request.Guests);
        Assert.Equal(0, request.Children);
        Assert.Equal(1, request.Infants);
        Assert.Contains("Cuna: 1", request.Note, StringComparison.Ordinal);
        var stored = Assert.Single(await Effects.Pms.FindReservationsByContactAsync(Phone));
        Assert.Equal(1, stored.Infants);
        Assert.Equal(request.Note, stored.Note);
    }

    [Fact]
    public async Task Children_count_as_guests_and_their_ages_are_read_back()
    {
        var g = Guest();

        var quote = await g.Say("2 adultos + 2 nenes de 5 y 8, del 10 al 12 de enero");

        Assert.Equal(4, g.State.Stay.Guests);
        Assert.Equal("familiar", Assert.Single(quote.Replies[^1].Options).Id);
        Assert.Contains("2 adultos y 2 niños (5 y 8 años)", g.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("edad", g.Text, StringComparison.Ordinal);   // every age known: nothing to ask
    }

    [Fact]
    public async Task A_child_of_unknown_age_is_counted_the_guest_is_told_once_and_an_age_under_the_limit_requotes()
    {
        var g = Guest();

        var quote = await g.Say("una pareja con un nene chiquito, del 10 al 12 de enero");
        Assert.Equal(3, g.State.Stay.Guests);
        Assert.DoesNotContain(quote.Replies[^1].Options, o => o.Id == "doble");
        Assert.Contains("edad", g.Text, StringComparison.Ordinal);
        Assert.True(g.State.Stay.AgesAsked);

        var requote = await g.Say("tiene 2 años");
        Assert.Equal(2, g.State.Stay.Guests);
        Assert.Contains(requote.Replies[^1].Options, o => o.Id == "doble");
        Assert.Contains("un bebé (cuna sin cargo)", g.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("edad", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_number_after_the_ages_hint_still_picks_an_option()
    {
        var g = Guest();

        await g.Say("somos 2 y un nene, del 3 al 5 de enero");
        await g.Say("1");

        Assert.Equal("triple", g.State.Selected?.RoomType);
        Assert.Equal(3, g.State.Stay.Guests);
    }

    [Fact]
    public async Task The_infant_age_comes_from_the_hotel_profile()
    {
        var profile = Profile with { Policies = Profile.Policies with { InfantsUnderAge = 2 } };
        var g = new DialogConversation(new ReceptionistDialog(profile), Effects, Core.Messaging.Channel.WhatsApp, Phone, "Juan Pérez", Today);

        await g.Say("somos 2 adultos y un nene de 2 años, del 10 al 12 de enero");

        Assert.Equal(3, g.State.Stay.Guests);   // 2 is not under 2: a child who takes a bed
        Assert.Contains("1 niño (2 años)", g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adults_given_after_the_baby_complete_the_party()
    {
        var g = Guest();

        await g.Say("viajamos con un bebé de 10 meses, del 8 al 10 de enero");
        Assert.Equal(AskedSlot.Guests, g.State.Asked);

        await g.Say("2");

        Assert.Equal(2, g.State.Stay.Guests);
        Assert.Equal(1, g.State.Stay.Party?.Infants(3));
    }

    [Fact]
    public async Task A_party_too_big_for_any_room_is_told_with_the_contact_and_the_ages_that_would_change_it()
    {
        var g = Guest();

        await g.Say("somos 2 adultos y 3 chicos, del 10 al 12 de enero");
        Assert.Contains(Profile.Phone, g.Text, StringComparison.Ordinal);
        Assert.Contains("edades", g.Text, StringComparison.Ordinal);

        var quote = await g.Say("el mas chico tiene 1 año y los otros 5 y 7");
        Assert.Equal(4, g.State.Stay.Guests);
        Assert.Equal("familiar", Assert.Single(quote.Replies[^1].Options).Id);
    }

    [Fact]
    public async Task A_plain_new_count_replaces_the_party()
    {
        var g = Guest();

        await g.Say("somos 2 adultos y un bebé, del 10 al 12 de enero");
        await g.Say("mejor para 3");

        Assert.Equal(3, g.State.Stay.Guests);
        Assert.Null(g.State.Stay.Party);
    }

    [Fact]
    public async Task No_crib_at_the_summary_is_kept_not_read_as_a_no_to_the_booking()
    {
        var g = Guest();
        await g.Say("del 10 al 12 de enero somos 2 adultos y un bebé");
        await g.Say("la doble");
        await g.Say("sí");
        await g.Say("no");

        await g.Say("no necesitamos cuna");
        Assert.Equal(DialogStage.ConfirmingBooking, g.State.Stage);
        Assert.Contains("2 adultos y un bebé (sin cuna)", g.Text, StringComparison.Ordinal);
        await g.Say("sí");

        var request = Assert.Single(Effects.CreateRequests);
        Assert.Equal(1, request.Infants);
        Assert.Contains("Sin cuna", request.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fit_question_does_not_count_the_baby()
    {
        var g = Guest();
        await g.Say("hola, del 10 al 12 de enero para 2");

        await g.Say("entramos 2 adultos y un bebé en la doble?");

        Assert.StartsWith("Sí", g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.OfferingRooms, g.State.Stage);
    }

    [Fact]
    public async Task Ages_in_parentheses_are_not_read_as_days()
    {
        var g = Guest(displayName: "Rachel Green");

        await g.Say("I'm traveling with my 2 kids (4 and 7), jan 10-12");

        Assert.Equal((new DateOnly(2027, 1, 10), new DateOnly(2027, 1, 12)), (g.State.Stay.CheckIn!.Value, g.State.Stay.CheckOut!.Value));
        Assert.Equal(3, g.State.Stay.Guests);
    }

    [Fact]
    public void The_party_survives_the_state_json()
    {
        var state = DialogState.New with
        {
            Stay = new StaySlots
            {
                Guests = 2,
                Party = new Core.Nlu.Party { Adults = 2, Children = [new Core.Nlu.PartyChild(8), new Core.Nlu.PartyChild(null, Baby: true)] },
                AgesAsked = true,
            },
        };

        var back = DialogJson.Deserialize(DialogJson.Serialize(state));

        Assert.Equal(2, back.Stay.Party?.Adults);
        Assert.Equal(state.Stay.Party!.Children, back.Stay.Party!.Children);
        Assert.True(back.Stay.AgesAsked);
    }

    [Fact]
    public void The_sample_hotel_sets_its_infant_age()
    {
        Assert.Equal(3, HotelProfile.Load(null).Policies.InfantsUnderAge);
    }
}
