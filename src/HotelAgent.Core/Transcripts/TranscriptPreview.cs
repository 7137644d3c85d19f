using System.Globalization;
using System.Text.RegularExpressions;

namespace HotelAgent.Core.Transcripts;

/// <summary>
/// The short preview of a message shown in staff lists: email addresses and phone-like digit runs masked the way logs
/// mask contacts (domain, last 4 digits), whitespace folded, cut on a grapheme boundary.
/// </summary>
public static partial class TranscriptPreview
{
    public const int DefaultLength = 80;

    public static string For(string? text, int maxLength = DefaultLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var masked = Email().Replace(text, m => "***@" + m.Groups["domain"].Value);
        masked = DigitRun().Replace(masked, m =>
        {
            var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
            return digits.Length >= 7 ? "***" + digits[^4..] : m.Value;
        });
        masked = Whitespace().Replace(masked, " ").Trim();
        if (masked.Length <= maxLength)
        {
            return masked;
        }

        var cut = 0;
        var elements = StringInfo.GetTextElementEnumerator(masked);
        while (elements.MoveNext())
        {
            var end = elements.ElementIndex + ((string)elements.Current).Length;
            if (end > maxLength - 1)
            {
                break;
            }

            cut = end;
        }

        return masked[..cut].TrimEnd() + "…";
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@(?<domain>[A-Za-z0-9.\-]+\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    /// <summary>Digits with the separators people type in phone and card numbers (+54 9 11 5555-1234, 4111 1111 1111 1111).</summary>
    [GeneratedRegex(@"\+?\d[\d\s().\-]{5,}\d", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
