namespace HotelAgent.Core.Pms;

/// <summary>Canonical form of a guest contact so "+54 9 11 5555-1234" and "+5491155551234" find the same bookings.</summary>
public static class ContactNormalizer
{
    public static string Normalize(string contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var trimmed = contact.Trim();
        if (trimmed.Contains('@', StringComparison.Ordinal))
        {
            return trimmed.ToLowerInvariant();
        }

        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? trimmed : "+" + digits;
    }

    public static bool IsEmail(string contact) => contact.Contains('@', StringComparison.Ordinal);
}
