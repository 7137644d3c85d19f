using HotelAgent.Core.Dialog;

namespace HotelAgent.Tests.Dialog;

public sealed class HotelKnowledgeTests : DialogTestBase
{
    [Theory]
    [InlineData("qué tipos de habitaciones tienen?", "Suite Palermo")]
    [InlineData("tienen pileta?", "Pileta descubierta")]
    [InlineData("hay gimnasio?", "7:00 a 22:00")]
    [InlineData("tienen estacionamiento?", "Cochera")]
    [InlineData("donde quedan?", "Gurruchaga 1850")]
    [InlineData("como llego desde el aeropuerto?", "Aeroparque")]
    [InlineData("a que hora es el check in?", "14:00")]
    [InlineData("hasta que hora es el check out?", "10:00")]
    [InlineData("cual es la politica de cancelacion?", "48 horas")]
    [InlineData("aceptan niños?", "Menores de 3 años")]
    [InlineData("aceptan mascotas?", "mascotas pequeñas")]
    [InlineData("como se paga?", "tarjetas de crédito")]
    public async Task Hotel_questions_are_answered_from_the_profile(string question, string expected)
    {
        var g = Guest();

        var outcome = await g.Say(question);

        Assert.Contains(expected, g.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Events, e => e.Kind is DialogEventKind.Fallback or DialogEventKind.UnknownQuestion);
    }

    [Fact]
    public async Task Location_includes_the_map_link()
    {
        var g = Guest();

        await g.Say("donde quedan?");

        Assert.Contains(Profile.MapUrl!, g.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_amenity_the_hotel_does_not_list_gets_an_honest_answer_and_staff_are_told()
    {
        var g = Guest();

        var outcome = await g.Say("tienen spa?");

        Assert.Contains("no tengo ese dato", g.Text, StringComparison.Ordinal);
        Assert.Contains("recepción", g.Text, StringComparison.Ordinal);
        Assert.Contains("hidromasaje", g.Text, StringComparison.Ordinal); // what the profile does say (the suite's jacuzzi)
        Assert.Contains(outcome.Events, e => e.Kind == DialogEventKind.UnknownQuestion);
        var notice = Assert.Single(Effects.Notices);
        Assert.False(notice.IsHandoff);
        Assert.Equal("unknown_question", notice.Reason);
        Assert.False(g.State.HandedOff);
    }

    [Fact]
    public async Task An_unknown_hotel_question_is_honest_counts_as_fallback_and_notifies_staff()
    {
        Effects.Scripted["tienen sala de conferencias?"] = Nlu("out_of_scope", 0.8);
        var g = Guest();

        var outcome = await g.Say("tienen sala de conferencias?");

        Assert.Contains("No tengo ese dato", g.Text, StringComparison.Ordinal);
        Assert.Contains(Profile.Phone, g.Text, StringComparison.Ordinal);
        Assert.Contains(outcome.Events, e => e.Kind == DialogEventKind.UnknownQuestion);
        Assert.Equal(1, g.State.FallbackCount);
        Assert.Equal("unknown_question", Assert.Single(Effects.Notices).Reason);
    }

    [Fact]
    public async Task Small_talk_out_of_scope_gets_a_polite_answer()
    {
        var g = Guest();

        await g.Say("quién ganó el partido?");

        Assert.Contains("asistente del Hotel Palermo Soho", g.Text, StringComparison.Ordinal);
        Assert.Empty(Effects.Notices);
    }

    [Fact]
    public async Task Help_and_goodbye()
    {
        var g = Guest();

        await g.Say("ayuda");
        Assert.Contains("Disponibilidad y precios", g.Text, StringComparison.Ordinal);

        await g.Say("quiero reservar");
        await g.Say("chau gracias");
        Assert.Contains("Gracias por escribirnos", g.Text, StringComparison.Ordinal);
        Assert.Equal(DialogStage.Idle, g.State.Stage);
    }

    [Fact]
    public async Task English_questions_get_english_answers()
    {
        var g = Guest(displayName: null);

        await g.Say("hello, where is the hotel located?");

        Assert.Equal("en", g.State.Language);
        Assert.Contains("Address: Gurruchaga 1850", g.Text, StringComparison.Ordinal);
        Assert.Contains("2 blocks from Plaza Serrano", g.Text, StringComparison.Ordinal); // the profile's English directions
    }

    [Fact]
    public async Task A_side_question_mid_flow_is_answered_and_the_flow_question_repeated()
    {
        var g = Guest();
        await g.Say("quiero reservar del 10 al 12 de diciembre");

        await g.Say("tienen pileta?");

        Assert.Contains("Pileta", g.Text, StringComparison.Ordinal);
        Assert.Contains("¿Cuántas personas", g.Text, StringComparison.Ordinal);
        Assert.Equal(AskedSlot.Guests, g.State.Asked);
    }

    [Fact]
    public async Task Three_unknown_questions_in_a_row_hand_off()
    {
        Effects.Scripted["tienen sala de conferencias?"] = Nlu("out_of_scope", 0.8);
        Effects.Scripted["hay cancha de tenis en el hotel?"] = Nlu("out_of_scope", 0.8);
        Effects.Scripted["tienen bicicletas para prestar?"] = Nlu("out_of_scope", 0.8);
        var g = Guest();

        await g.Say("tienen sala de conferencias?");
        await g.Say("hay cancha de tenis en el hotel?");
        Assert.False(g.State.HandedOff);
        var third = await g.Say("tienen bicicletas para prestar?");

        Assert.Equal("fallbacks", Assert.Single(third.Events, e => e.Kind == DialogEventKind.HandoffStarted).Reason);
    }
}
