using System.Globalization;

namespace HotelAgent.Core.Nlu;

/// <summary>Cardinal and ordinal number words (Spanish and English) and digit forms ("15th", "1ro").</summary>
internal static class NumberWords
{
    private static readonly Dictionary<string, int> Cardinals = new(StringComparer.Ordinal)
    {
        ["un"] = 1, ["uno"] = 1, ["una"] = 1, ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5, ["seis"] = 6,
        ["siete"] = 7, ["ocho"] = 8, ["nueve"] = 9, ["diez"] = 10, ["once"] = 11, ["doce"] = 12, ["trece"] = 13,
        ["catorce"] = 14, ["quince"] = 15, ["dieciseis"] = 16, ["diecisiete"] = 17, ["dieciocho"] = 18,
        ["diecinueve"] = 19, ["veinte"] = 20, ["veintiuno"] = 21, ["veintiun"] = 21, ["veintidos"] = 22,
        ["veintitres"] = 23, ["veinticuatro"] = 24, ["veinticinco"] = 25, ["veintiseis"] = 26, ["veintisiete"] = 27,
        ["veintiocho"] = 28, ["veintinueve"] = 29, ["treinta"] = 30,
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8,
        ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20,
        ["primero"] = 1,
    };

    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.Ordinal)
    {
        ["primera"] = 1, ["primero"] = 1, ["primer"] = 1, ["segunda"] = 2, ["segundo"] = 2, ["tercera"] = 3,
        ["tercero"] = 3, ["tercer"] = 3, ["cuarta"] = 4, ["quinta"] = 5, ["quinto"] = 5,
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["fifth"] = 5,
        ["1ra"] = 1, ["1ro"] = 1, ["1era"] = 1, ["1ero"] = 1, ["2da"] = 2, ["2do"] = 2, ["3ra"] = 3, ["3ro"] = 3,
        ["3er"] = 3, ["4ta"] = 4, ["4to"] = 4, ["5ta"] = 5, ["5to"] = 5,
    };

    /// <summary>Value of a token as a cardinal: "3", "tres", "three", "15th", "1ro", "1°". "once" is Spanish only.</summary>
    public static int? Parse(string token, bool english)
    {
        if (token.Length == 0)
            return null;
        if (char.IsAsciiDigit(token[0]))
        {
            var end = 0;
            while (end < token.Length && char.IsAsciiDigit(token[end]))
                end++;
            if (end > 4)
                return null;
            var suffix = token.AsSpan(end);
            if (suffix.Length == 0 || suffix is "st" or "nd" or "rd" or "th" or "ro" or "ero" or "do" or "er" or "to" or "vo" or "mo" or "no")
                return int.Parse(token.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture);
            return null;
        }
        if (english && token == "once")
            return null;
        return Cardinals.TryGetValue(token, out var v) ? v : null;
    }

    /// <summary>Ordinal words for menu choices ("la segunda", "the first").</summary>
    /// <summary>The number each token says (<see cref="Parse"/>), null where it says none: the extractors' parallel array.</summary>
    public static int?[] ParseAll(string[] tokens, bool english)
    {
        var numbers = new int?[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
            numbers[i] = Parse(tokens[i], english);
        return numbers;
    }

    public static int? ParseOrdinal(string token) => Ordinals.TryGetValue(token, out var v) ? v : null;
}

