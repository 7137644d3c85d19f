using System.Globalization;
using System.Text;

namespace HotelAgent.Core.Nlu;

/// <summary>Text normalization shared by the classifier and the entity extractors.</summary>
internal static class TextNormalizer
{
    /// <summary>
    /// Lowercase, strip accents (ñ becomes n), collapse runs of 3+ identical letters to one ("holaaa" → "hola"),
    /// map a few emoji to tokens (emo_ok, emo_pos, emo_neg, emo_laugh, emo_wave, emo_please), keep '?' as a token,
    /// turn other punctuation into spaces (keeping '/', '-' inside tokens for dates and codes), collapse spaces.
    /// </summary>
    public static string Normalize(string text)
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
        var s = sb.ToString();
        return CollapseSpaces(s);
    }

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
