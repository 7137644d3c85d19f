using System.Globalization;
using System.Text;

namespace HotelAgent.Core.Nlu;

/// <summary>Text normalization shared by the classifier and the entity extractors.</summary>
internal static partial class TextNormalizer
{
    /// <summary>
    /// Lowercase, strip accents (ñ becomes n), collapse runs of 3+ identical letters to one ("holaaa" → "hola"),
    /// map a few emoji to tokens (emo_ok, emo_pos, emo_neg, emo_laugh, emo_wave, emo_please), keep '?' as a token,
    /// turn other punctuation into spaces (keeping '/', '-' inside tokens for dates and codes), collapse spaces, and
    /// (unless <paramref name="correctSpelling"/> is false) fix the misspelt booking words and chat shorthand of a Spanish
    /// message (<see cref="SpellingNormalizer"/>: "abitacion pal 3 de enro" → "habitacion para el 3 de enero").
    /// </summary>
    public static string Normalize(string text, bool correctSpelling = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 8);
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var prev = '\0';
        var run = 0;
        for (var i = 0; i < decomposed.Length; i++)
        {
            var c = decomposed[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < decomposed.Length)
                {
                    AppendEmoji(sb, char.ConvertToUtf32(c, decomposed[i + 1]));
                    i++;
                }
                prev = ' ';
                run = 0;
                continue;
            }
            var cat = CharUnicodeInfo.GetUnicodeCategory(c);
            if (cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format)
                continue;
            if (c is '\u2764' or '\u263A' or '\u2705' or '\u274C' or '\u2639')
            {
                AppendEmoji(sb, c);
                prev = ' ';
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                var lc = char.ToLowerInvariant(c);
                if (lc == prev && char.IsLetter(lc))
                {
                    run++;
                    if (run >= 2)
                    {
                        // third identical letter: collapse the whole run to a single letter
                        if (run == 2)
                            sb.Length--;
                        continue;
                    }
                }
                else
                {
                    run = 0;
                }
                sb.Append(lc);
                prev = lc;
                continue;
            }
            run = 0;
            if (c is '/' or '-' or '@' or '.' or ':' or '+' or '#')
            {
                // keep inside tokens (15/12, 2026-12-15, HA-7K2M9Q, a@b.com, 10:30); a trailing one becomes a space
                if (i + 1 < decomposed.Length && char.IsLetterOrDigit(decomposed[i + 1]) && prev != ' ' && prev != '\0')
                {
                    sb.Append(c);
                    prev = c;
                    continue;
                }
                if (c is '+' or '#')
                {
                    AppendSpaced(sb, c.ToString());
                    prev = ' ';
                    continue;
                }
            }
            if (c is '?' or '¿')
            {
                AppendSpaced(sb, "?");
                prev = ' ';
                continue;
            }
            if (prev != ' ' && sb.Length > 0)
                sb.Append(' ');
            prev = ' ';
        }
        // collapse double spaces and trim
        var s = CollapseSpaces(sb.ToString());
        if (correctSpelling)
            s = SpellingNormalizer.Correct(s, text);
        if (s.Contains('-', StringComparison.Ordinal))
        {
            // "dec 12-14", "del 12-14 de enero": a glued day range reads like "12 - 14" (dates keep '-' inside tokens
            // for 2026-12-15 and codes, which this leaves alone: exactly two numbers of one or two digits; "15-12" stays
            // the 15th of December, see IsDayRange).
            s = DayRange().Replace(s, m => IsDayRange(s, m) ? $"{m.Groups[1].Value} - {m.Groups[2].Value}" : m.Value);
            // "20-22/12": both days in the month after the slash.
            s = DayRangeOfMonth().Replace(s, "$1/$3 - $2/$3");
        }

        return CollapseSpaces(s);
    }

    /// <summary>
    /// "12-14" is a range of days when it goes forward and the second number cannot be a month ("20-22") or a month is
    /// named right before or after it ("jan 3-5", "3-5 de enero"); otherwise ("15-12", "10-12") it is a day-month date.
    /// </summary>
    private static bool IsDayRange(string s, System.Text.RegularExpressions.Match m)
    {
        var first = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var second = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (second <= first || first == 0)
        {
            return false;
        }

        if (second > 12)
        {
            return true;
        }

        var before = s[..m.Index].TrimEnd().Split(' ');
        var after = s[(m.Index + m.Length)..].TrimStart().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var next = after.Length > 0 && after[0] is "de" or "of" && after.Length > 1 ? after[1] : after.FirstOrDefault();
        return DateExtractor.IsMonth(before[^1]) || (next is not null && DateExtractor.IsMonth(next));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w/.:-])(\d{1,2})-(\d{1,2})(?![\w/.:-])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DayRange();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w/.:-])(\d{1,2})-(\d{1,2})/(\d{1,2})(?![\w/.:-])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DayRangeOfMonth();

    private static void AppendSpaced(StringBuilder sb, string token)
    {
        if (sb.Length > 0 && sb[^1] != ' ')
            sb.Append(' ');
        sb.Append(token).Append(' ');
    }

    private static void AppendEmoji(StringBuilder sb, int cp)
    {
        var token = cp switch
        {
            0x1F44D or 0x1F44C or 0x2705 or 0x1F4AA => "emo_ok",
            0x1F44E or 0x274C or 0x2639 or 0x1F621 or 0x1F620 or 0x1F92C or 0x1F624 or 0x1F612 or 0x1F4A9 => "emo_neg",
            0x1F602 or 0x1F923 or 0x1F606 or 0x1F639 => "emo_laugh",
            0x1F44B => "emo_wave",
            0x1F64F => "emo_please",
            0x1F622 or 0x1F62D or 0x1F61E or 0x1F614 => "emo_sad",
            >= 0x1F600 and <= 0x1F64F => "emo_pos",
            0x2764 or 0x263A or 0x1F60D or 0x1F970 or 0x1F917 => "emo_pos",
            _ => null,
        };
        if (token is not null)
            AppendSpaced(sb, token);
        else if (sb.Length > 0 && sb[^1] != ' ')
            sb.Append(' ');
    }

    private static string CollapseSpaces(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c == ' ' && (sb.Length == 0 || sb[^1] == ' '))
                continue;
            sb.Append(c);
        }
        if (sb.Length > 0 && sb[^1] == ' ')
            sb.Length--;
        return sb.ToString();
    }
}
