using HotelAgent.Core.Pms;

namespace HotelAgent.Tests.Pms;

public class PriceFormatterTests
{
    [Theory]
    [InlineData(95000, "ARS", "es-AR", "ARS 95.000")]
    [InlineData(1250000, "ARS", "es-AR", "ARS 1.250.000")]
    [InlineData(95000.5, "ARS", "es-AR", "ARS 95.000,50")]
    [InlineData(120, "USD", "es-AR", "USD 120")]
    [InlineData(95000, "ARS", "en-US", "ARS 95,000")]
    [InlineData(120, "usd", "en-US", "USD 120")]
    [InlineData(99.9, "EUR", "es-ES", "EUR 99,90")]
    [InlineData(-15000, "ARS", "es-AR", "-ARS 15.000")]
    public void Always_shows_the_currency_code_with_the_guest_cultures_separators(double amount, string currency, string culture, string expected)
    {
        var text = PriceFormatter.Format((decimal)amount, currency, culture);
        Assert.Equal(expected, text.Replace('\u00A0', ' ').Replace('\u202F', ' '));
    }

    [Fact]
    public void Unknown_culture_falls_back_to_es_AR()
    {
        Assert.Equal("ARS 65.000", PriceFormatter.Format(65000m, "ARS", "xx-NOPE").Replace('\u00A0', ' '));
    }

    [Fact]
    public void Reference_prefix_comes_from_the_hotel_initials()
    {
        Assert.Equal("HPS", ReservationReference.PrefixFromHotelName("Hotel Palermo Soho"));
        Assert.Equal("ÁGU".Length, ReservationReference.PrefixFromHotelName("Álamo Grand Uspallata").Length);
        Assert.Equal("AGU", ReservationReference.PrefixFromHotelName("Álamo Grand Uspallata"));
        Assert.Matches("^HPS-[2-9A-HJ-NP-Z]{6}$", ReservationReference.New("HPS"));
    }
}
