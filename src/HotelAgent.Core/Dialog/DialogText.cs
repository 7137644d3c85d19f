using System.Globalization;
using System.Text;

namespace HotelAgent.Core.Dialog;

/// <summary>Small, deterministic text helpers (normalization, yes/no words, bare numbers, similarity).</summary>
internal static class DialogText
{
    private static readonly string[] YesWords =
    [
        "si", "sí", "dale", "ok", "okay", "okey", "confirmo", "confirmar", "si confirmo", "si dale", "de acuerdo", "perfecto",
        "yes", "yep", "yeah", "sure", "confirm", "correcto", "exacto", "esta bien", "si por favor", "yes please", "claro", "si claro",
    ];

    private static readonly string[] NoWords =
    [
        "no", "nop", "no gracias", "nope", "no thanks", "cancelar", "mejor no", "todavia no", "no por ahora", "not now",
    ];

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["un"] = 1, ["uno"] = 1, ["una"] = 1, ["one"] = 1, ["dos"] = 2, ["two"] = 2, ["tres"] = 3, ["three"] = 3,
        ["cuatro"] = 4, ["four"] = 4, ["cinco"] = 5, ["five"] = 5, ["seis"] = 6, ["six"] = 6, ["siete"] = 7, ["seven"] = 7,
        ["ocho"] = 8, ["eight"] = 8, ["nueve"] = 9, ["nine"] = 9, ["diez"] = 10, ["ten"] = 10,
    };

    /// <summary>Lower-case, no accents, punctuation and emoji collapsed to single spaces.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c) || c == '@' || c == '.' || c == '-')
            {
                sb.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else if (!space && sb.Length > 0)
            {
                sb.Append(' ');
                space = true;
            }
        }

        return sb.ToString().Trim(' ', '.', '-');
    }

    public static bool IsYes(string normalized) => YesWords.Contains(normalized, StringComparer.Ordinal);

    public static bool IsNo(string normalized) => NoWords.Contains(normalized, StringComparer.Ordinal);

    /// <summary>"3", "tres", "somos 3", "3 personas", "la 2" → the number; null when the text is more than a bare number.</summary>
    public static int? BareNumber(string normalized)
    {
        if (normalized.Length == 0)
        {
            return null;
        }

        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("somos" or "seriamos" or "la" or "el" or "opcion" or "option" or "numero" or "personas"
                or "persona" or "huespedes" or "adultos" or "people" or "guests" or "we" or "are" or "para" or "for" or "noches" or "nights"))
            .ToArray();
        if (words.Length != 1)
        {
            return null;
        }

        if (int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100)
        {
            return n;
        }

        return NumberWords.TryGetValue(words[0], out var w) ? w : null;
    }

    /// <summary>Jaccard similarity of the word sets of two normalized texts (1 = same words).</summary>
    public static double Similarity(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 1;
        }

        var wa = a.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var wb = b.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (wa.Count == 0 || wb.Count == 0)
        {
            return 0;
        }

        var inter = wa.Count(wb.Contains);
        return (double)inter / (wa.Count + wb.Count - inter);
    }

    public static bool ContainsAny(string normalized, params string[] keywords)
    {
        var padded = " " + normalized + " ";
        foreach (var k in keywords)
        {
            if (k.EndsWith('*'))
            {
                if (padded.Contains(" " + k[..^1], StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (padded.Contains(" " + k + " ", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A plausible email address in the text, or null.</summary>
    public static string? FindEmail(string text)
    {
        foreach (var token in text.Split([' ', ',', ';', '<', '>', '(', ')', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var t = token.Trim('.', ':', '"', '\'');
            var at = t.IndexOf('@', StringComparison.Ordinal);
            if (at > 0 && t.IndexOf('.', at) > at + 1 && !t.EndsWith('.'))
            {
                return t.ToLowerInvariant();
            }
        }

        return null;
    }
}
