using System.Net.Mail;
using System.Text;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// Normalizes guest contacts so one person maps to one guest record: phones to E.164, emails to a lower-case
/// bare address.
/// </summary>
/// <remarks>
/// Argentine mobiles: WhatsApp reports them as <c>549 + area + number</c> (with the mobile "9"), while people
/// often type <c>+54 11 15-5555-1234</c> (national "15" prefix) or omit the 9. We do not rewrite these forms:
/// WhatsApp's <c>wa_id</c> is the canonical id for that channel and is passed through unchanged. Callers that
/// match a typed number against a WhatsApp id should compare after removing a leading <c>549</c>/<c>54</c>.
/// </remarks>
public static class ContactNormalizer
{
    /// <summary>
    /// E.164 form: <c>+</c> followed by digits. Spaces, dashes, dots and parentheses are stripped; a leading
    /// <c>00</c> international prefix becomes <c>+</c>; numbers without <c>+</c> are assumed to already carry
    /// their country code (as WhatsApp ids do).
    /// </summary>
    /// <exception cref="ArgumentException">No digits, letters, or more than 15 digits.</exception>
    public static string NormalizePhone(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var digits = new StringBuilder(phone.Length);
        foreach (var c in phone.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is '+' && digits.Length == 0)
            {
                continue;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '\u00A0' or '/'))
            {
                throw new ArgumentException($"Not a phone number (unexpected '{c}').", nameof(phone));
            }
        }

        var result = digits.ToString();
        if (!phone.TrimStart().StartsWith('+') && result.StartsWith("00", StringComparison.Ordinal))
        {
            result = result[2..];
        }

        if (result.Length is < 4 or > 15)
        {
            throw new ArgumentException("A phone number has 4 to 15 digits.", nameof(phone));
        }

        return "+" + result;
    }

    /// <summary>Same as <see cref="NormalizePhone"/> but returns false instead of throwing.</summary>
    public static bool TryNormalizePhone(string? phone, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(phone))
        {
            return false;
        }

        try
        {
            normalized = NormalizePhone(phone);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Bare lower-case address: <c>"Ana Pérez" &lt;Ana@Example.COM&gt;</c> → <c>ana@example.com</c>.</summary>
    /// <exception cref="ArgumentException">Not an email address.</exception>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var trimmed = email.Trim();
        if (!MailAddress.TryCreate(trimmed, out var address) || string.IsNullOrEmpty(address.Host))
        {
            throw new ArgumentException("Not an email address.", nameof(email));
        }

        return address.Address.ToLowerInvariant();
    }

    /// <summary>Same as <see cref="NormalizeEmail"/> but returns false instead of throwing.</summary>
    public static bool TryNormalizeEmail(string? email, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        try
        {
            normalized = NormalizeEmail(email);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
