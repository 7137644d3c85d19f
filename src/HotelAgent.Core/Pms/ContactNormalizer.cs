namespace HotelAgent.Core.Pms;

/// <summary>
/// Canonical form of a guest contact for the PMS's contact index, so "+54 9 11 5555-1234" and "+5491155551234" find the
/// same bookings. Only text that IS a phone number (digits and the usual separators) becomes <c>+digits</c>: any other
/// contact (a web-chat session id such as <c>webchat:x-54-9-11-6666-0001</c>) stays as it is, so its digits never match a
/// phone. The lookup is a candidate search; who may see a booking is decided by <see cref="Security.ReservationAccessPolicy"/>.
/// </summary>
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

        return Channels.Common.ContactNormalizer.TryNormalizePhone(trimmed, out var phone) ? phone : trimmed;
    }

    public static bool IsEmail(string contact) => contact.Contains('@', StringComparison.Ordinal);
}
