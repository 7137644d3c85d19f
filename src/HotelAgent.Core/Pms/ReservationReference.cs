using System.Security.Cryptography;

namespace HotelAgent.Core.Pms;

/// <summary>Booking references like "HPS-4K7Q2M": hotel initials plus 6 characters without look-alikes (no 0/O, 1/I).</summary>
public static class ReservationReference
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string New(string prefix)
    {
        Span<char> code = stackalloc char[6];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return prefix.Length == 0 ? new string(code) : prefix + "-" + new string(code);
    }

    /// <summary>"Hotel Palermo Soho" → "HPS" (first letters of up to 3 words, ASCII letters only); "HA" when none.</summary>
    public static string PrefixFromHotelName(string hotelName)
    {
        var letters = hotelName
            .Split([' ', '-', '_', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(RemoveAccent(w[0])))
            .Where(char.IsAsciiLetterUpper)
            .Take(3)
            .ToArray();
        return letters.Length == 0 ? "HA" : new string(letters);
    }

    /// <summary>Uppercases and trims what a guest typed ("hps-4k7q2m ") so it matches the stored reference.</summary>
    public static string Normalize(string reference) => reference.Trim().ToUpperInvariant();

    private static char RemoveAccent(char c)
    {
        var decomposed = c.ToString().Normalize(System.Text.NormalizationForm.FormD);
        return decomposed[0];
    }
}
