using HotelAgent.Core.Nlu;

namespace HotelAgent.Tests.Nlu;

/// <summary>Party composition read from how guests write it; counts are checked with the sample hotel's infant age (3).</summary>
public sealed class PartyExtractorTests
{
    private const int InfantAge = 3;

    [Theory]
    [InlineData("somos 2 adultos y un bebé de 1 año", 2, 0, 1, 2)]
    [InlineData("somos 2 y un bebé", 2, 0, 1, 2)]
    [InlineData("2 adultos + 2 nenes de 5 y 8", 2, 2, 0, 4)]
    [InlineData("vamos con mi señora y los chicos (3 y 10)", 2, 2, 0, 4)]
    [InlineData("mi marido, yo y la beba de 8 meses", 2, 0, 1, 2)]
    [InlineData("2 adults and a toddler", 2, 0, 1, 2)]
    [InlineData("una pareja con un nene chiquito", 2, 1, 0, 3)]
    [InlineData("somos 2 adultos y 3 chicos, del 10 al 12 de enero", 2, 3, 0, 5)]
    [InlineData("somos 4: mi señora, yo y los 2 chicos", 2, 2, 0, 4)]
    [InlineData("estamos con mi marido y nuestros dos hijos (8 y 11 años)", 2, 2, 0, 4)]
    [InlineData("we are 2 adults with 2 kids aged 6 and 9", 2, 2, 0, 4)]
    [InlineData("my wife and I with our 2-year-old", 2, 0, 1, 2)]
    [InlineData("somos 4 con 2 nenes", 2, 2, 0, 4)]
    [InlineData("en mi reserva somos 2 pero se suma mi hijo de 8", 2, 1, 0, 3)]
    [InlineData("qeriamos ir del 21 al 23 d enero, somos mi novio yo y nuestro bebe de 5 meses", 2, 0, 1, 2)]
    [InlineData("la familiar para mí, mi esposa y nuestros 3 hijos de 1, 4 y 6", 2, 2, 1, 4)]
    [InlineData("somos 2 con 2 nenes, uno de 2 y otro de 5", 2, 1, 1, 3)]
    [InlineData("2 adultos 1 bebe", 2, 0, 1, 2)]
    [InlineData("para 2 personas y un bebé", 2, 0, 1, 2)]
    [InlineData("3 personas: 2 adultos y un bebé", 2, 0, 1, 2)]
    public void Reads_adults_children_and_infants(string text, int adults, int children, int infants, int guests)
    {
        var party = PartyExtractor.Extract(text);

        Assert.NotNull(party);
        Assert.Equal(adults, party.Adults);
        Assert.Equal(children, party.CountedChildren(InfantAge));
        Assert.Equal(infants, party.Infants(InfantAge));
        Assert.Equal(guests, party.Guests(InfantAge));
    }

    [Theory]
    [InlineData("somos una familia de 4")]
    [InlineData("para 2 personas del 10 al 12")]
    [InlineData("los nenes pagan?")]
    [InlineData("los menores de 3 años pagan?")]
    [InlineData("che, tenés lugar para el finde? somos 2 pibes")]
    [InlineData("tienen una habitación más chica?")]
    [InlineData("aceptan niños?")]
    public void A_plain_count_or_a_policy_question_is_no_party(string text) => Assert.Null(PartyExtractor.Extract(text));

    [Fact]
    public void Children_named_without_the_adults_leave_the_adults_unknown()
    {
        var party = PartyExtractor.Extract("viajamos con un bebé de 10 meses");

        Assert.NotNull(party);
        Assert.Null(party.Adults);
        Assert.Null(party.Guests(InfantAge));
        Assert.Equal(1, party.Infants(InfantAge));
    }

    [Fact]
    public void The_infant_age_is_the_hotels_not_a_constant()
    {
        var party = PartyExtractor.Extract("somos 2 adultos y un nene de 2 años")!;

        Assert.Equal(2, party.Guests(3));   // under 3: an infant
        Assert.Equal(3, party.Guests(2));   // a hotel whose infants are under 2: a child who takes a bed
    }

    [Theory]
    [InlineData("tiene 2 años", 24)]
    [InlineData("tiene 2 añitos", 24)]
    [InlineData("el nene tiene 8 meses", 8)]
    [InlineData("tiene 6", 72)]
    [InlineData("she's 4 years old", 48)]
    public void Reads_an_age_given_as_an_answer(string text, int months)
    {
        var age = Assert.Single(PartyExtractor.Ages(text));
        Assert.Equal(months, age.AgeMonths);
    }

    [Fact]
    public void An_age_answer_with_several_children_keeps_their_order_and_a_baby_word_is_an_infant()
    {
        Assert.Equal([12, 60, 84], PartyExtractor.Ages("el mas chico tiene 1 año y los otros 5 y 7").Select(a => a.AgeMonths ?? -1));
        Assert.True(Assert.Single(PartyExtractor.Ages("es un bebé")).IsInfant(InfantAge));
        Assert.Empty(PartyExtractor.Ages("la doble"));
        Assert.Empty(PartyExtractor.Ages("2"));
        Assert.Equal([60, 12], PartyExtractor.Ages("they are 5 and 1").Select(a => a.AgeMonths ?? -1));
        Assert.Equal([60, 12], PartyExtractor.Ages("5 y 1").Select(a => a.AgeMonths ?? -1));
    }
}
