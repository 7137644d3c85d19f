using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text;

namespace HotelAgent.Core.Nlu;

/// <summary>
/// Typo tolerance for the words that carry a booking, the way WhatsApp guests write them: "abitacion pal 3 de enro x 2
/// noxes", "kiero reserbar", "dicienbre", "perzonas", "q dias tenes livre". Works on normalized tokens (lower case, no
/// accents) and only ever writes a word of a small closed vocabulary (months, number words, stay and party nouns, booking
/// verbs) or expands a fixed chat shorthand ("q", "pal", "xq", "dsd"...).
/// <list type="bullet">
/// <item>Spanish spelling is folded to a sound key (h dropped, b/v, s/z/c before e/i, qu/k/c, ll/y, x and ch, n before b/p)
/// and a token whose key is a vocabulary word's key is that word ("avitacion", "nochez", "dies", "catorse").</item>
/// <item>Otherwise an edit distance in key space against the vocabulary, by length: none under 4 letters, 1 dropped
/// letter for 4 ("enro", "abrl"), 1 edit from 5 letters ("febrro", "agsto"), 2 from 8; same first sound; the nearest word
/// only, and never when two vocabulary words are equally near ("tienem": tiene or tienen?).</item>
/// <item>Never changed: any word of the vocabulary, any real Spanish word form the corrector would otherwise turn into
/// another one (<c>Data/spelling-protected.txt</c>, generated from the hunspell es_ES dictionary with <c>nlu spelling-guard</c>:
/// "entero", "abrir", "solos", "reservan", "mazo"...), tokens with digits or symbols (dates, codes, emails), and whole
/// messages that read as English.</item>
/// </list>
/// Pure and deterministic: the dialog calls it inside the orchestration.
/// </summary>
public static class SpellingNormalizer
{
    public const string ProtectedResource = "HotelAgent.Core.Nlu.Data.spelling-protected.txt";

    /// <summary>WhatsApp shorthand, written out (a value may be two words).</summary>
    private static readonly FrozenDictionary<string, string> Shorthand = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["q"] = "que", ["k"] = "que", ["ke"] = "que", ["qe"] = "que",
        ["xq"] = "porque", ["xk"] = "porque", ["pq"] = "porque", ["porq"] = "porque",
        ["tmb"] = "tambien", ["tmbn"] = "tambien", ["tb"] = "tambien", ["tbm"] = "tambien", ["tambn"] = "tambien",
        ["dsp"] = "despues", ["dps"] = "despues", ["dsps"] = "despues", ["desp"] = "despues",
        ["dsd"] = "desde",
        ["pal"] = "para el", ["pa"] = "para", ["xa"] = "para",
        ["xfa"] = "por favor", ["xfavor"] = "por favor", ["porfis"] = "por favor",
        ["grax"] = "gracias", ["grs"] = "gracias", ["grcs"] = "gracias", ["graxias"] = "gracias",
        ["hab"] = "habitacion", ["habit"] = "habitacion", ["habs"] = "habitaciones",
        ["cdo"] = "cuando", ["bn"] = "bien", ["mjr"] = "mejor",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The closed vocabulary: the only words a misspelling is ever corrected to.</summary>
    private static readonly string[] Vocabulary =
    [
        // months (DateExtractor reads "setiembre" and "septiembre" alike)
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre",
        "noviembre", "diciembre",
        // number words
        "uno", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece",
        "catorce", "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidos",
        "veintitres", "veinticuatro", "veinticinco", "veintiseis", "veintisiete", "veintiocho", "veintinueve", "treinta",
        // the stay and the party
        "noche", "noches", "persona", "personas", "adulto", "adultos", "adulta", "adultas", "huesped", "huespedes",
        "habitacion", "habitaciones", "semana", "semanas", "fecha", "fechas",
        // asking, booking, changing, cancelling
        "reserva", "reservas", "reservar", "reservo", "reservame", "reservamela", "reservala", "reservalo", "reservamos",
        "reservaria", "reservado", "reservada", "reservacion",
        "cancelar", "cancela", "cancelo", "cancelala", "cancelalo", "cancelamos", "cancelacion",
        "cambiar", "cambio", "cambia", "cambiala", "cambialo", "cambiame", "cambiamos", "cambiarla",
        "quiero", "queria", "quisiera", "queremos", "queriamos", "quisieramos",
        "necesito", "necesitamos", "necesitaria", "necesitaba",
        "tenes", "tienen", "tiene", "tenemos", "tendrias", "tendrian",
        "libre", "libres", "disponible", "disponibles", "disponibilidad", "lugar",
        "precio", "precios", "cuanto", "cuanta", "cuantos", "cuantas", "cuesta", "cuestan",
        // frequent words whose misspellings would otherwise land on "cuanto"
        "cuando",
        "llegamos", "llego", "llegada", "llegar", "salida", "entrada", "desde", "hasta", "somos", "seriamos",
    ];

    private static readonly FrozenSet<string> VocabularySet = Vocabulary.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Sound key → the vocabulary word (keys are unique in the vocabulary, checked by a test).</summary>
    private static readonly FrozenDictionary<string, string> ByKey =
        Vocabulary.GroupBy(Key, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>Vocabulary keys by their first sound, for the edit-distance pass.</summary>
    private static readonly FrozenDictionary<char, (string Key, string Word)[]> ByFirst =
        Vocabulary.Select(w => (Key: Key(w), Word: w)).GroupBy(p => p.Key[0]).ToFrozenDictionary(g => g.Key, g => g.ToArray());

    /// <summary>
    /// Dictionary forms that a guest writing about a booking never means, corrected anyway: "somo 3" (an old noun; here
    /// "somos"), "marso" (a rare verb form; here "marzo"), the English "dies", "dose", "doze" (here "diez", "doce"; English
    /// messages are never corrected at all).
    /// </summary>
    private static readonly FrozenSet<string> Unprotected = new[] { "somo", "marso", "dies", "dose", "doze" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly Lazy<FrozenSet<string>> Protected = new(LoadProtected, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>
    /// Corrects the tokens of one normalized message (see the class summary). <paramref name="original"/> is the raw text
    /// (its accents count as Spanish evidence); a message that reads as English is returned as it is.
    /// </summary>
    public static string Correct(string normalized, string original)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        ArgumentNullException.ThrowIfNull(original);
        if (normalized.Length == 0)
            return normalized;
        var tokens = normalized.Split(' ');
        var (es, en) = TextSignals.LanguageScores(original, tokens);
        if (en > es)
            return normalized;

        StringBuilder? sb = null;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var fixedToken = CorrectToken(token, i + 1 < tokens.Length ? tokens[i + 1] : null);
            if (fixedToken is not null && sb is null)
            {
                sb = new StringBuilder(normalized.Length + 16);
                sb.Append(string.Join(' ', tokens, 0, i));
            }

            if (sb is not null)
            {
                if (i > 0)
                    sb.Append(' ');
                sb.Append(fixedToken ?? token);
            }
        }

        return sb?.ToString() ?? normalized;
    }

    /// <summary>The correction of one token, or null when it stays as it is.</summary>
    public static string? CorrectWord(string token) => CorrectToken(token, next: null);

    private static string? CorrectToken(string token, string? next)
    {
        if (token.Length == 0 || token.Length > 24)
            return null;
        if (token == "x")
        {
            // "x 2 noches" / "x 2" stay as they are (the extractors read "x" before a number as por / para); "x noche" is "por noche"
            return next is null || next.Length == 0 || char.IsAsciiDigit(next[0]) || NumberWords.Parse(next, english: false) is not null ? null : "por";
        }

        if (token.Length > 1 && token[^1] == '.')
        {
            // the dialog's normalization keeps dots (emails): "enro." is "enro" before a full stop
            var core = token.TrimEnd('.');
            return core.Length > 0 && CorrectToken(core, next) is { } fixedCore ? fixedCore + token[core.Length..] : null;
        }

        if (Shorthand.TryGetValue(token, out var expanded))
            return expanded;
        foreach (var c in token)
        {
            if (c is < 'a' or > 'z')
                return null;
        }

        if (VocabularySet.Contains(token) || Protected.Value.Contains(token))
            return null;
        if (Memo.TryGetValue(token, out var memo))
            return memo.Length == 0 ? null : memo;
        var found = Nearest(token);
        var result = found is not null && !string.Equals(found, token, StringComparison.Ordinal) ? found : null;
        if (Memo.Count < MemoCapacity)
            Memo.TryAdd(token, result ?? string.Empty);
        return result;
    }

    // The answer for a word never changes, and guests reuse the same words: the first few thousand words seen are
    // remembered (bounded: the memory stays small whatever arrives), which keeps the correction off the per-message cost.
    private const int MemoCapacity = 4096;
    private static readonly ConcurrentDictionary<string, string> Memo = new(StringComparer.Ordinal);

    /// <summary>The vocabulary word <paramref name="token"/> is a misspelling of, ignoring the protected words (the guard tool).</summary>
    internal static string? Nearest(string token)
    {
        var key = Key(token);
        if (key.Length == 0)
            return null;
        if (ByKey.TryGetValue(key, out var word))
            return word;
        if (!ByFirst.TryGetValue(key[0], out var candidates))
            return null;

        string? best = null;
        var bestDistance = int.MaxValue;
        var tie = false;
        foreach (var (candidateKey, candidate) in candidates)
        {
            var max = MaxEdits(key.Length, candidateKey.Length);
            if (max == 0 || Math.Abs(candidateKey.Length - key.Length) > max)
                continue;
            var d = Fuzzy.DamerauLevenshtein(key, candidateKey, max);
            if (d > max)
                continue;
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
                tie = false;
            }
            else if (d == bestDistance && !string.Equals(best, candidate, StringComparison.Ordinal))
            {
                tie = true;
            }
        }

        return tie ? null : best;
    }

    /// <summary>
    /// Edits allowed between a token and a vocabulary word, by the shorter key: none under 4 (too many real words are that
    /// close), for 4 only a dropped letter of a 5-letter word ("enro", "abrl"), 1 from 5, 2 from 8.
    /// </summary>
    private static int MaxEdits(int tokenLength, int wordLength)
    {
        var shorter = Math.Min(tokenLength, wordLength);
        return shorter switch
        {
            >= 8 => 2,
            >= 5 => 1,
            4 when tokenLength == 4 && wordLength == 5 => 1,
            _ => 0,
        };
    }

    /// <summary>
    /// The sound of a Spanish spelling, the way it is misspelt: h is silent (but "ch"), b = v (= w), s = z = c before e/i,
    /// k = qu before e/i = c elsewhere, ll = y, x between letters is "ch" in chat ("noxe"; keys only compare, so "taxi" is
    /// harmless), n before b/p sounds m ("dicienbre"), g before e/i = j, gu before e/i = g, y not before a vowel = i.
    /// </summary>
    internal static string Key(string word)
    {
        var sb = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var next = i + 1 < word.Length ? word[i + 1] : '\0';
            var after = i + 2 < word.Length ? word[i + 2] : '\0';
            switch (c)
            {
                case 'c' when next == 'h':
                    sb.Append('#');
                    i++;
                    break;
                case 'x':
                    sb.Append('#');
                    break;
                case 'h':
                    break;
                case 'q':
                    sb.Append('k');
                    if (next == 'u' && after is 'e' or 'i')
                        i++;
                    break;
                case 'c':
                    sb.Append(next is 'e' or 'i' ? 's' : 'k');
                    break;
                case 'z':
                    sb.Append('s');
                    break;
                case 'v' or 'w':
                    sb.Append('b');
                    break;
                case 'g' when next is 'e' or 'i':
                    sb.Append('j');
                    break;
                case 'g' when next == 'u' && after is 'e' or 'i':
                    sb.Append('g');
                    i++;
                    break;
                case 'l' when next == 'l':
                    sb.Append('y');
                    i++;
                    break;
                case 'y':
                    sb.Append(next is 'a' or 'e' or 'i' or 'o' or 'u' ? 'y' : 'i');
                    break;
                case 'n' when next is 'b' or 'p' or 'v':
                    sb.Append('m');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Words of <paramref name="words"/> (one per line, any case and accents) that the corrector would change if they were
    /// not protected, with their correction: run over a dictionary's word forms it gives <c>Data/spelling-protected.txt</c>.
    /// </summary>
    public static IEnumerable<(string Word, string Correction)> Collisions(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in words)
        {
            var word = TextNormalizer.Normalize(raw, correctSpelling: false);
            if (word.Length == 0 || word.Contains(' ', StringComparison.Ordinal) || !seen.Add(word) || VocabularySet.Contains(word)
                || word.Any(c => c is < 'a' or > 'z'))
                continue;
            if (Shorthand.ContainsKey(word))
                continue; // shorthand is written out whatever a dictionary says ("pal", "k")
            if (Nearest(word) is { } found && !string.Equals(found, word, StringComparison.Ordinal))
                yield return (word, found);
        }
    }

    /// <summary>The vocabulary (tests).</summary>
    internal static IReadOnlyList<string> VocabularyWords => Vocabulary;

    internal static bool IsProtected(string word) => Protected.Value.Contains(word);

    private static FrozenSet<string> LoadProtected()
    {
        using var stream = typeof(SpellingNormalizer).Assembly.GetManifestResourceStream(ProtectedResource)
            ?? throw new InvalidOperationException($"Embedded resource {ProtectedResource} not found.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var set = new HashSet<string>(StringComparer.Ordinal);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var word = line.Trim();
            if (word.Length > 0 && word[0] != '#' && word.Split(' ', 2)[0] is var w && !Unprotected.Contains(w))
                set.Add(w);
        }

        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
