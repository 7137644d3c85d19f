using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Channels.Common;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>
/// The guest as QloApps accepts it: names its <c>Validate::isName</c> takes (no digits, none of <c>!&lt;&gt;,;?=+()@#"°{}_$%:</c>,
/// at most 32 characters each; accents kept), a real email or a stable placeholder, and a phone only when the guest has one.
/// A name QloApps refuses is a PHP fatal on its side (an empty HTTP 500), so names are cleaned before they are sent.
/// </summary>
internal static class QloAppsGuest
{
    /// <summary>QloApps' customer.firstname / customer.lastname column size.</summary>
    public const int MaxNameLength = 32;

    /// <summary>First and last name QloApps accepts. A one-word name gets last name "-"; no usable letters gives "Huésped".</summary>
    public static (string First, string Last) Names(string? fullName)
    {
        var words = Clean(fullName).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length switch
        {
            0 => ("Huésped", "-"),
            1 => (Fit(words[0]), "-"),
            _ => (Fit(words[0]), Fit(string.Join(' ', words[1..]))),
        };
    }

    /// <summary>Letters of any script, combining accents, spaces, apostrophes, hyphens and dots; anything else becomes a space.</summary>
    internal static string Clean(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            var keep = char.IsLetter(c) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                || c is '\'' or '’' or '-' or '.';
            sb.Append(keep ? c : ' ');
        }

        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('-', '.')).Where(w => w.Length > 0));
    }

    /// <summary>At most 32 characters, cut at a word boundary when there is one.</summary>
    private static string Fit(string text)
    {
        if (text.Length <= MaxNameLength)
        {
            return text;
        }

        var cut = text[..MaxNameLength];
        var space = cut.LastIndexOf(' ');
        return (space > 0 ? cut[..space] : cut).Trim();
    }

    /// <summary>
    /// The email sent to QloApps (which requires one per customer and matches customers by it): the guest's own, else a
    /// placeholder under <paramref name="placeholderDomain"/> that is stable for the same contact (phone digits, or a hash of
    /// any other contact such as a web-chat session, so two guests never share a QloApps customer).
    /// </summary>
    public static string Email(string? email, string contact, string placeholderDomain)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            return email.Trim();
        }

        if (ContactNormalizer.IsEmail(contact))
        {
            return contact.Trim();
        }

        if (ContactNormalizer.TryNormalizePhone(contact, out var phone))
        {
            return phone[1..] + "@" + placeholderDomain;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contact.Trim().ToLowerInvariant())))[..16];
        return "guest-" + hash + "@" + placeholderDomain;
    }

    /// <summary>
    /// A real phone of the guest in E.164, or null: the one they gave, else their WhatsApp number. Never derived from another kind
    /// of contact (a web-chat session id is not a phone).
    /// </summary>
    public static string? Phone(string? given, string contact, Channel channel)
    {
        if (ContactNormalizer.TryNormalizePhone(given, out var typed))
        {
            return typed;
        }

        return channel == Channel.WhatsApp && ContactNormalizer.TryNormalizePhone(contact, out var whatsApp) ? whatsApp : null;
    }
}
