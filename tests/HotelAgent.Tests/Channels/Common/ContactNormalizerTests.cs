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
    public void Phones_become_e164(string input, string expected) =>
        Assert.Equal(expected, ContactNormalizer.NormalizePhone(input));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("+54 9 11 CALL-ME")]
    [InlineData("12")]
    [InlineData("+1234567890123456")]
    [InlineData("54+911")]
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
}
