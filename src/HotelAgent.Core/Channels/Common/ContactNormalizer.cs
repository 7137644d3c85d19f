using System.Globalization;
using System.Net.Mail;
using PhoneNumbers;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// The one place guest contacts are made canonical, so one person maps to one guest record and one set of bookings:
/// phones to E.164 (parsed by libphonenumber, including Argentina's mobile <c>9</c>), emails to a lower-case bare address,
/// anything else (a web-chat session id) left exactly as it is.
/// </summary>
/// <remarks>
/// A contact is read as a phone only when it consists of digits and the usual separators: libphonenumber alone would
/// also accept letters (vanity numbers) and pull digits out of other text, and a web-chat session id such as
/// <c>webchat:x-54-9-11-6666-0001</c> must never match a phone's bookings.
/// </remarks>
public static class ContactNormalizer
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// E.164 form. A number without <c>+</c> is taken to carry its country code (as WhatsApp ids do); a leading <c>00</c>
    /// is the international prefix. libphonenumber's canonical form is taken when it knows the number is valid (so
    /// <c>+54 11 15-5555-1234</c> becomes the WhatsApp id <c>+5491155551234</c>); a number of a possible length that its
    /// metadata does not know yet (a new range) keeps the digits given. Argentine numbers typed without the mobile
    /// <c>9</c> or <c>15</c> are not rewritten: they are also valid landlines.
    /// </summary>
    /// <exception cref="ArgumentException">Not a phone number.</exception>
    public static string NormalizePhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return TryNormalizePhone(phone, out var normalized)
            ? normalized
            : throw new ArgumentException("Not a phone number.", nameof(phone));
    }

    /// <summary>Same as <see cref="NormalizePhone"/> but returns false instead of throwing.</summary>
    public static bool TryNormalizePhone(string? phone, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(phone) || !IsPhoneShaped(phone.Trim(), out var digits))
        {
            return false;
        }

        if (!phone.TrimStart().StartsWith('+') && digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }

        PhoneNumber? number;
        try
        {
            number = Phones.Parse("+" + digits, null);
        }
        catch (NumberParseException)
        {
            number = null; // unknown country code, too short or too long for libphonenumber's metadata
        }

        if (number is not null && Phones.IsValidNumber(number))
        {
            normalized = Phones.Format(number, PhoneNumberFormat.E164);
            return true;
        }

        // A WhatsApp id is verified by Meta: a signed message must never be dropped because this library's metadata
        // lags a numbering plan, so any E.164-length digit string the library cannot place keeps its digits as given.
        if ((number is not null && Phones.IsPossibleNumber(number)) || digits.Length is >= MinimumUnplacedDigits and <= 15)
        {
            normalized = "+" + digits;
            return true;
        }

        return false;
    }

    /// <summary>The shortest digit string kept as a phone when libphonenumber cannot place it (shorter ones are typos).</summary>
    private const int MinimumUnplacedDigits = 8;

    /// <summary>
    /// The first valid phone number in a guest's free text ("11 5555-1234", "mi cel es 0351 15 555 1234") in E.164, read
    /// with the hotel's country as the default region, other than <paramref name="notThis"/> (the hotel's own number, which
    /// an email reply may quote); null when there is none.
    /// </summary>
    public static string? FindPhone(string? text, string hotelCulture, string? notThis = null)
    {
        if (string.IsNullOrWhiteSpace(text) || !text.Any(char.IsAsciiDigit))
        {
            return null;
        }

        var region = Region(hotelCulture);
        var excluded = notThis is null ? null : FindPhone(notThis, hotelCulture);
        foreach (var match in Phones.FindNumbers(text, region, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
        {
            var phone = Phones.Format(match.Number, PhoneNumberFormat.E164);
            if (!string.Equals(phone, excluded, StringComparison.Ordinal))
            {
                return phone;
            }
        }

        return null;
    }

    /// <summary>Bare lower-case address: <c>"Ana Pérez" &lt;Ana@Example.COM&gt;</c> → <c>ana@example.com</c>.</summary>
    /// <exception cref="ArgumentException">Not an email address.</exception>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return TryNormalizeEmail(email, out var normalized)
            ? normalized
            : throw new ArgumentException("Not an email address.", nameof(email));
    }

    /// <summary>Same as <see cref="NormalizeEmail"/> but returns false instead of throwing.</summary>
    public static bool TryNormalizeEmail(string? email, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(email) || !MailAddress.TryCreate(email.Trim(), out var address) || string.IsNullOrEmpty(address.Host))
        {
            return false;
        }

        normalized = address.Address.ToLowerInvariant();
        return true;
    }

    /// <summary>
    /// Canonical form of any contact for the PMS's contact index, so "+54 9 11 5555-1234" and "+5491155551234" find the
    /// same bookings: an address lower-cased, a phone in E.164, any other contact (a web-chat session id) unchanged, so its
    /// digits never match a phone. The lookup is a candidate search; who may see a booking is decided by
    /// <see cref="Security.ReservationAccessPolicy"/>.
    /// </summary>
    public static string NormalizeContact(string contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var trimmed = contact.Trim();
        if (IsEmail(trimmed))
        {
            return trimmed.ToLowerInvariant();
        }

        return TryNormalizePhone(trimmed, out var phone) ? phone : trimmed;
    }

    public static bool IsEmail(string contact) => contact.Contains('@', StringComparison.Ordinal);

    /// <summary>Digits with spaces, dashes, dots, parentheses or slashes between them, and at most one leading <c>+</c>.</summary>
    private static bool IsPhoneShaped(string text, out string digits)
    {
        var buffer = new char[text.Length];
        var count = 0;
        digits = string.Empty;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                buffer[count++] = c;
            }
            else if (c is '+' && i == 0)
            {
                continue;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '\u00A0' or '/'))
            {
                return false;
            }
        }

        digits = new string(buffer, 0, count);
        return count > 0;
    }

    private static string Region(string culture)
    {
        try
        {
            return new RegionInfo(CultureInfo.GetCultureInfo(culture).Name).TwoLetterISORegionName;
        }
        catch (ArgumentException)
        {
            return "AR";
        }
    }
}
