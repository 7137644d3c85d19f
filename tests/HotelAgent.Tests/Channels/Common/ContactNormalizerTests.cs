using HotelAgent.Core.Channels.Common;

namespace HotelAgent.Tests.Channels.Common;

public class ContactNormalizerTests
{
    [Theory]
    [InlineData("+54 9 11 5555-1234", "+5491155551234")]
    [InlineData("5491155551234", "+5491155551234")]
    [InlineData("+54 (911) 5555.1234", "+5491155551234")]
    [InlineData("0054 9 11 5555 1234", "+5491155551234")]
    [InlineData(" +1 (650) 555-1234 ", "+16505551234")]
    [InlineData("+34\u00A0612 34 56 78", "+34612345678")]
    [InlineData("+54 11 15-5555-1234", "+5491155551234")] // the national mobile "15" becomes WhatsApp's mobile "9"
    [InlineData("+54 11 4832-5500", "+541148325500")] // a landline: no 9 added
    [InlineData("99912345678", "+99912345678")] // a WhatsApp id in a range libphonenumber cannot place keeps its digits
    public void Phones_become_e164(string input, string expected) =>
        Assert.Equal(expected, ContactNormalizer.NormalizePhone(input));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("+54 9 11 CALL-ME")]
    [InlineData("12")]
    [InlineData("+1234567890123456")]
    [InlineData("54+911")]
    [InlineData("+1 234")] // too short for its country
    [InlineData("webchat:x-54-9-11-6666-0001")] // a web-chat session id is never a phone
    public void Non_phones_are_rejected(string input)
    {
        Assert.Throws<ArgumentException>(() => ContactNormalizer.NormalizePhone(input));
        Assert.False(ContactNormalizer.TryNormalizePhone(input, out _));
    }

    [Theory]
    [InlineData("  Ana@Example.COM ", "ana@example.com")]
    [InlineData("\"Ana Pérez\" <Ana.Perez@Hotel.com.ar>", "ana.perez@hotel.com.ar")]
    [InlineData("Ana Pérez <ana@example.com>", "ana@example.com")]
    public void Emails_are_bare_and_lower_case(string input, string expected)
    {
        Assert.Equal(expected, ContactNormalizer.NormalizeEmail(input));
        Assert.True(ContactNormalizer.TryNormalizeEmail(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an email")]
    [InlineData("ana@")]
    public void Non_emails_are_rejected(string input)
    {
        Assert.Throws<ArgumentException>(() => ContactNormalizer.NormalizeEmail(input));
        Assert.False(ContactNormalizer.TryNormalizeEmail(input, out _));
    }

    [Theory]
    [InlineData("11 5555-1234", "+541155551234")]
    [InlineData("mi cel es +54 9 11 5555-1234, gracias", "+5491155551234")]
    [InlineData("0351 15-555-1234", "+5493515551234")]
    [InlineData("+34 612 345 678", "+34612345678")]
    [InlineData("+54 11 4832-5500\n\nmi número: 11 4444-3333", "+541144443333")] // the hotel's own number (quoted) is skipped
    public void A_phone_typed_in_free_text_is_read_in_the_hotel_country_as_E164(string text, string expected) =>
        Assert.Equal(expected, ContactNormalizer.FindPhone(text, "es-AR", notThis: "+54 11 4832-5500"));

    [Theory]
    [InlineData("123")]
    [InlineData("no tengo")]
    [InlineData("el 10 al 12 de diciembre")]
    [InlineData("")]
    public void Free_text_without_a_phone_has_none(string text) => Assert.Null(ContactNormalizer.FindPhone(text, "es-AR"));

    [Theory]
    [InlineData("+54 9 11 6666-0001", "+5491166660001")]
    [InlineData(" Ana@Example.com ", "ana@example.com")]
    [InlineData("webchat:x-54-9-11-6666-0001", "webchat:x-54-9-11-6666-0001")]
    [InlineData("x-54-9-11-6666-0001", "x-54-9-11-6666-0001")]
    public void The_contact_index_form_keeps_non_phone_contacts_as_they_are(string contact, string expected) =>
        Assert.Equal(expected, ContactNormalizer.NormalizeContact(contact));
}
