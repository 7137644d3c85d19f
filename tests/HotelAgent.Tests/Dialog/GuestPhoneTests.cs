using HotelAgent.Core.Dialog;

namespace HotelAgent.Tests.Dialog;

public sealed class GuestPhoneTests
{
    [Theory]
    [InlineData("11 5555-1234", "+541155551234")]
    [InlineData("mi cel es +54 9 11 5555-1234, gracias", "+5491155551234")]
    [InlineData("0351 15-555-1234", "+5493515551234")]
    [InlineData("+34 612 345 678", "+34612345678")]
    [InlineData("+54 11 4832-5500\n\nmi número: 11 4444-3333", "+541144443333")] // the hotel's own number (quoted) is skipped
    public void A_typed_phone_is_read_in_the_hotel_country_as_E164(string text, string expected) =>
        Assert.Equal(expected, GuestPhone.Find(text, "es-AR", notThis: "+54 11 4832-5500"));

    [Theory]
    [InlineData("123")]
    [InlineData("no tengo")]
    [InlineData("el 10 al 12 de diciembre")]
    [InlineData("")]
    public void Anything_else_is_no_phone(string text) => Assert.Null(GuestPhone.Find(text, "es-AR"));
}
