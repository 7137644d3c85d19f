using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Nlu;

namespace HotelAgent.Core.Dialog;

/// <summary>What a confirmation step is about: the verbs that confirm it differ ("cancelala" confirms a cancellation only).</summary>
internal enum ConfirmAction
{
    Generic,
    Booking,
    Cancellation,
    Modification,
}

/// <summary>How a guest answered a yes/no question.</summary>
internal enum YesNo
{
    Unclear,
    Yes,
    No,
}

/// <summary>Small, deterministic text helpers (normalization, yes/no reading, bare numbers, similarity).</summary>
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

    /// <summary>Words that say yes by themselves.</summary>
    private static readonly HashSet<string> YesCore = new(StringComparer.Ordinal)
    {
        "si", "sii", "sip", "sisi", "sis", "dale", "ok", "okay", "okey", "oki", "okis", "yes", "yep", "yeah", "yup", "ya", "claro", "obvio",
        "perfecto", "perfect", "listo", "bueno", "buenisimo", "genial", "joya", "barbaro", "exacto", "correcto", "correct", "confirmo",
        "confirmado", "afirmativo", "sure", "adelante", "va", "vamos", "supuesto", "seguro", "totalmente", "absolutamente", "great",
        "fine", "right", "confirm", "confirmed", "please", "porfa", "deuna", "tranqui", "alright", "allright", "certainly", "absolutely",
        "definitely", "aye", "okie", "vale", "venga",
        // "go ahead" said the Rioplatense way: "mandale", "metele", "hacele nomás"
        "mandale", "metele", "hacele", "avanza", "avancemos", "avanzamos", "sigamos", "seguimos", "procede",
    };

    /// <summary>Words that may come with a yes without changing it ("sí, a mi nombre, por favor").</summary>
    private static readonly HashSet<string> YesFiller = new(StringComparer.Ordinal)
    {
        "por", "favor", "porfavor", "pls", "plz", "gracias", "thanks", "thank", "you", "la", "lo", "el", "me", "mi", "a", "nombre", "mio", "mia",
        "todo", "asi", "esta", "bien", "nomas", "igual", "entonces", "then", "it", "that", "s", "is", "its", "thats", "muchas", "the", "de",
        "una", "un", "of", "course", "go", "ahead", "do", "just", "all", "good", "sounds", "ese", "esa", "eso", "dato", "datos", "reserva",
        "booking", "reservation", "senor", "senora", "che", "genio", "capo", "ahi", "ahora", "now", "yo", "my", "name", "under", "mine",
        "mismo", "misma", "estaria", "estamos", "estoy", "ta", "tal", "cual", "and", "y", "hacelo", "hacela", "haceme", "hace", "proceed",
        "ah", "oh", "okk", "igual", "es", "son", "correctas", "correcta", "fechas", "those", "dates", "exactly",
        // "dale que va", "si q si" ("q" is written out as "que")
        "que",
    };

    private static readonly Dictionary<ConfirmAction, HashSet<string>> ActionYes = new()
    {
        [ConfirmAction.Generic] = new(StringComparer.Ordinal) { "confirma", "confirmala", "confirmalo", "confirmame", "confirmar", "correcto" },
        [ConfirmAction.Booking] = new(StringComparer.Ordinal)
        {
            "reserva", "reservala", "reservalo", "reservamela", "reservamelo", "reservar", "reservame", "confirma", "confirmala", "confirmalo",
            "confirmame", "confirmamela", "confirmar", "book", "reserve", "hacemos", "cerramos", "cerrala",
        },
        [ConfirmAction.Cancellation] = new(StringComparer.Ordinal)
        {
            "cancela", "cancelala", "cancelalo", "cancelamela", "cancelar", "cancelen", "cancelenla", "anula", "anulala", "anulalo", "anular",
            "anulen", "baja", "dala", "cancel", "confirma", "confirmala", "confirmalo", "confirmame", "confirmar",
        },
        [ConfirmAction.Modification] = new(StringComparer.Ordinal)
        {
            "cambiala", "cambialo", "cambiamela", "cambiar", "cambia", "modificala", "modificalo", "modificar", "aplica", "aplicalo", "aplicar",
            "change", "apply", "update", "confirma", "confirmala", "confirmalo", "confirmame", "confirmar", "actualizala", "actualizar",
        },
    };

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "no", "nop", "nope", "nah", "nel", "negativo", "not", "dont", "nunca", "tampoco", "todavia", "aun", "espera", "espere", "wait",
        "pero", "but", "mejor", "ni", "jamas", "never", "stop",
    };

    private static readonly HashSet<string> QuestionStarts = new(StringComparer.Ordinal)
    {
        "cuanto", "cuanta", "cuantos", "cuantas", "que", "cual", "cuales", "como", "donde", "cuando", "por que", "porque", "quien",
        "tiene", "tienen", "tenes", "hay", "incluye", "incluyen", "es", "son", "entran", "caben", "puedo", "podemos", "se", "me", "how",
        "what", "which", "when", "where", "why", "who", "does", "do", "is", "are", "can", "could", "will", "would", "should", "y",
    };

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

    /// <summary>
    /// A guest's message normalized like <see cref="Normalize"/>, with the misspelt booking words and chat shorthand of a
    /// Spanish message fixed ("kiero reserbar pal 3 de enro" → "quiero reservar para el 3 de enero", "dale q va" → "dale que
    /// va"; <see cref="SpellingNormalizer"/>). Only for what the guest wrote: names and the bot's own texts use
    /// <see cref="Normalize"/>.
    /// </summary>
    public static string NormalizeGuest(string? text)
    {
        var norm = Normalize(text);
        return norm.Length == 0 ? norm : SpellingNormalizer.Correct(norm, text!);
    }

    public static bool IsYes(string normalized) => YesWords.Contains(normalized, StringComparer.Ordinal);

    public static bool IsNo(string normalized) => NoWords.Contains(normalized, StringComparer.Ordinal);

    private static string[] Words(string normalized) =>
        normalized.Replace(".", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Reads a yes or a no with extra words, the way guests answer: "si, cancelala", "Yes, cancel it", "dale, reservala",
    /// "sí, confirmame", "no, dejala". A yes needs only affirmative words, fillers and verbs of THIS step ("cancelala" is not a
    /// yes to a booking); anything else (a question, a number, a "pero") is not a yes. Negations win.
    /// </summary>
    public static YesNo ReadYesNo(string? raw, ConfirmAction action)
    {
        var text = raw ?? string.Empty;
        if (text.Contains('?', StringComparison.Ordinal))
        {
            return YesNo.Unclear;
        }

        var norm = NormalizeGuest(text.Replace("de una", "deuna", StringComparison.OrdinalIgnoreCase));
        var words = Words(norm);
        if (words.Length == 0)
        {
            return text.Contains("👍", StringComparison.Ordinal) || text.Contains("👌", StringComparison.Ordinal) || text.Contains('✅', StringComparison.Ordinal)
                ? YesNo.Yes
                : YesNo.Unclear;
        }

        var verbs = ActionYes[action];

        // "ah no, entonces no", "bueno, no": a leading interjection does not hide the no
        var lead = 0;
        while (lead < words.Length - 1 && words[lead] is "ah" or "oh" or "eh" or "uh" or "um" or "mm" or "mmm" or "hmm" or "bueno" or "entonces" or "pues" or "well" or "ok" or "okay" or "uy")
        {
            lead++;
        }

        if (lead > 0 && Negations.Contains(words[lead]) && words[lead] is "no" or "nop" or "nope" or "nah" or "not" or "negativo" or "mejor")
        {
            words = words[lead..];
        }

        if (Negations.Contains(words[0]) || norm.StartsWith("para nada", StringComparison.Ordinal))
        {
            if (words.Length >= 2 && words[0] == "no" && words[1] is "se" or "entiendo" or "estoy" or "tengo" or "puedo")
            {
                return YesNo.Unclear; // "no sé", "no entiendo": not an answer
            }

            // "no, mejor no" is a no; "no... cancelala" mixes both: ask again
            return words.Any(verbs.Contains) ? YesNo.Unclear : YesNo.No;
        }

        var affirmative = false;
        foreach (var w in words)
        {
            if (Negations.Contains(w) || w.Any(char.IsAsciiDigit))
            {
                return YesNo.Unclear;
            }

            if (YesCore.Contains(w) || YesCore.Contains(Squeeze(w)) || (verbs.Contains(w) && IsImperative(w, text)))
            {
                affirmative = true;
            }
            else if (!YesFiller.Contains(w) && !verbs.Contains(w) && !YesFiller.Contains(Squeeze(w)))
            {
                return YesNo.Unclear;
            }
        }

        // "ok gracias", "genial, thanks" read as a thank-you, not as consent: only a clear yes word or verb makes it a yes
        if (affirmative && words.Any(w => w is "gracias" or "thanks" or "thank")
            && words.All(w => !YesCore.Contains(w) || w is "ok" or "okay" or "okey" or "oki" or "okis" or "bueno" or "genial" or "perfecto" or "perfect" or "joya"
                or "barbaro" or "listo" or "great" or "fine" or "buenisimo")
            && !words.Any(w => verbs.Contains(w) && IsImperative(w, text)))
        {
            return YesNo.Unclear;
        }

        return affirmative ? YesNo.Yes : YesNo.Unclear;
    }

    /// <summary>
    /// Letters stretched for emphasis folded back ("siii", "daleee", "okkk", "obviooo"): each run of one letter becomes one.
    /// Only used when the word itself is not known, so real double letters ("llevar") are never touched.
    /// </summary>
    internal static string Squeeze(string word)
    {
        if (word.Length < 3)
        {
            return word;
        }

        var sb = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (sb.Length == 0 || sb[^1] != c)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// A verb said as an order, not a noun: "cancelala", "reservámela", "confirmame", "book", "cancel"; "reserva" only when written
    /// "reservá" ("cuál es mi reserva" is not a yes).
    /// </summary>
    private static bool IsImperative(string word, string raw) =>
        word.EndsWith("la", StringComparison.Ordinal) || word.EndsWith("lo", StringComparison.Ordinal) || word.EndsWith("me", StringComparison.Ordinal)
        || word.EndsWith("len", StringComparison.Ordinal) || word is "book" or "reserve" or "cancel" or "confirm" or "change" or "apply" or "update"
            or "confirmar" or "cancelar" or "anular" or "reservar" or "cambiar" or "modificar" or "aplicar" or "hacemos" or "cerramos" or "baja" or "dala"
        || raw.Contains(word[..^1] + "á", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts with a yes word and has no negation, digit or question mark ("dale, la simple").</summary>
    public static bool StartsWithYes(string? raw)
    {
        var text = raw ?? string.Empty;
        var words = Words(NormalizeGuest(text));
        return !text.Contains('?', StringComparison.Ordinal) && words.Length > 0 && YesCore.Contains(words[0])
            && !words.Any(w => Negations.Contains(w) || w.Any(char.IsAsciiDigit));
    }

    /// <summary>A question rather than an answer: a question mark, or an interrogative start ("cuánto sale", "what's").</summary>
    public static bool IsQuestion(string? raw)
    {
        var text = raw ?? string.Empty;
        if (text.Contains('?', StringComparison.Ordinal) || text.Contains('¿', StringComparison.Ordinal))
        {
            return true;
        }

        var words = Words(NormalizeGuest(text));
        return words.Length >= 2 && QuestionStarts.Contains(words[0]) && words[0] is not ("y" or "me" or "se" or "es" or "que");
    }

    /// <summary>"ok", "dale", "genial", "perfecto", "👍": an acknowledgement with no content.</summary>
    /// <summary>Words that say yes on their own; "ok", "genial" or "perfecto" before a question may only acknowledge.</summary>
    private static readonly HashSet<string> ExplicitYes = new(StringComparer.Ordinal)
    {
        "si", "sii", "sip", "sisi", "dale", "yes", "yep", "yeah", "yup", "claro", "confirmo", "confirmado", "afirmativo", "sure",
        "adelante", "deuna", "absolutely", "definitely", "certainly",
    };

    /// <summary>
    /// "sí porfa. ah, ¿a qué hora se puede entrar?", "dale, ¿aceptan mascotas?": the answer given before a question that follows
    /// it, when it holds an explicit yes (or the step's own verb); null otherwise ("¿sí?", "ok, ¿y a qué hora...?").
    /// </summary>
    public static string? YesBeforeQuestion(string? raw, ConfirmAction action)
    {
        var text = raw ?? string.Empty;
        var q = text.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return null;
        }

        var open = text.LastIndexOf('¿', q);
        var cut = open >= 0 ? open : text.LastIndexOfAny(['.', '!', '\n', ','], q);
        if (cut <= 0)
        {
            return null;
        }

        var lead = text[..cut].Trim().TrimEnd(',', '.', '!', ';', ' ');
        if (lead.Length == 0 || lead.Contains('?', StringComparison.Ordinal) || ReadYesNo(lead, action) != YesNo.Yes)
        {
            return null;
        }

        var words = Words(NormalizeGuest(lead.Replace("de una", "deuna", StringComparison.OrdinalIgnoreCase)));
        return words.Any(w => ExplicitYes.Contains(w) || ActionYes[action].Contains(w)) ? lead : null;
    }

    public static bool IsAcknowledgement(string? raw)
    {
        var norm = NormalizeGuest(raw);
        if (norm.Length == 0)
        {
            return (raw ?? string.Empty).Contains("👍", StringComparison.Ordinal) || (raw ?? string.Empty).Contains("👌", StringComparison.Ordinal);
        }

        var words = Words(norm);
        return words.Length <= 4 && words.All(w => YesCore.Contains(w) || w is "gracias" or "thanks" or "muchas" or "mil" or "bien" or "ahi" or "entonces"
            or "de" or "una" or "deuna" or "buenisimo" or "barbaro" or "copado" or "excelente" or "cool" or "nice" or "awesome" or "got" or "it" or "entiendo"
            or "entendido" or "understood" or "vale");
    }

    /// <summary>"gracias", "muchas gracias", "thanks!": thanks that do not end the conversation.</summary>
    public static bool IsThanksOnly(string? raw)
    {
        var words = Words(NormalizeGuest(raw));
        return words.Length is > 0 and <= 4 && words.Any(w => w is "gracias" or "thanks" or "thank" or "genial" or "perfecto")
            && words.All(w => w is "gracias" or "muchas" or "mil" or "thanks" or "thank" or "you" or "genial" or "perfecto" or "ok" or "dale" or "bueno"
                or "so" or "much" or "a" or "lot" or "buenisimo" or "great");
    }

    /// <summary>Asks for a person with a verb of contact ("pasame con alguien", "quiero hablar con recepción", "talk to a human").</summary>
    public static bool AsksForPerson(string normalized)
    {
        var contact = ContainsAny(normalized, "hablar", "habla", "pasame", "pasar", "pasen", "comunicame", "comunicar", "derivame", "atienda",
            "atiende", "llamen", "llamame", "talk", "speak", "connect", "transfer", "put me", "get me");
        var person = ContainsAny(normalized, "persona", "humano", "humana", "alguien", "recepcion", "recepcionista", "operador*", "gerente",
            "encargad*", "responsable", "human", "person", "someone", "somebody", "manager", "agent", "reception", "front desk", "staff");
        return contact && person;
    }

    /// <summary>"3", "tres", "somos 3", "3 personas", "la 2" → the number; null when the text is more than a bare number.</summary>
    public static int? BareNumber(string normalized)
    {
        if (normalized.Length == 0)
        {
            return null;
        }

        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("somos" or "seriamos" or "la" or "el" or "opcion" or "option" or "numero" or "personas"
                or "persona" or "huespedes" or "adultos" or "people" or "guests" or "we" or "are" or "para" or "for" or "noches" or "nights"
                or "persnas" or "perosnas" or "presonas" or "pax"))
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
            if (IndexOfKeyword(padded, k) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where <paramref name="keyword"/> (a word, or a word start with <c>*</c>) starts in the unpadded text, or -1.</summary>
    private static int IndexOfKeyword(string padded, string keyword) =>
        // The match begins at the space before the word: its index in the padded text is the word's index in the original.
        keyword.EndsWith('*')
            ? padded.IndexOf(" " + keyword[..^1], StringComparison.Ordinal)
            : padded.IndexOf(" " + keyword + " ", StringComparison.Ordinal);

    /// <summary>
    /// Where the first of <paramref name="keywords"/> (same patterns as <see cref="ContainsAny"/>: a word, or a word start
    /// with <c>*</c>) begins in <paramref name="normalized"/>, or -1.
    /// </summary>
    public static int IndexOfAny(string normalized, params string[] keywords)
    {
        var padded = " " + normalized + " ";
        var first = -1;
        foreach (var k in keywords)
        {
            var at = IndexOfKeyword(padded, k);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    /// <summary>
    /// Nights added to or taken from the stay on the table: "una noche más", "2 noches extra", "un día más", "one more night",
    /// "an extra night", "another night", "2 more nights" (+), "una noche menos", "one night less/fewer" (−); null when the
    /// message says no such thing. A bare "3 noches" is a new length, not this.
    /// </summary>
    public static int? ExtraNights(string normalized)
    {
        var tokens = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i] is not ("noche" or "noches" or "dia" or "dias" or "night" or "nights" or "day" or "days"))
            {
                continue;
            }

            var before = i > 0 ? tokens[i - 1] : string.Empty;
            var after = i + 1 < tokens.Length ? tokens[i + 1] : string.Empty;
            var english = tokens[i] is "night" or "nights" or "day" or "days";
            if (english && EnglishMore(tokens, i) is { } more)
            {
                return more;
            }

            var count = before is "un" or "una" ? 1 : Nlu.NumberWords.Parse(before, english);
            if (count is not { } n)
            {
                continue;
            }

            if (after is "mas" or "extra" or "extras" or "adicional" or "adicionales" or "more")
            {
                return n;
            }

            if (after is "menos" or "less" or "fewer")
            {
                return -n;
            }
        }

        return null;
    }

    /// <summary>
    /// People joining the party on the table: "se suma mi hijo", "se suman 2 amigos", "viene una persona más", "2 personas
    /// más", "one more person", "an extra guest", "another adult", "add a guest"; null when the message says no such thing.
    /// </summary>
    public static int? ExtraGuests(string normalized)
    {
        var tokens = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            var word = tokens[i];
            var before = i > 0 ? tokens[i - 1] : string.Empty;
            var after = i + 1 < tokens.Length ? tokens[i + 1] : string.Empty;
            if (word is "persona" or "personas" or "adulto" or "adultos" or "huesped" or "huespedes" or "nene" or "nenes" or "nino" or "ninos" or "chico" or "chicos"
                && after is "mas" or "extra" or "adicional" or "adicionales")
            {
                return before is "un" or "una" ? 1 : Nlu.NumberWords.Parse(before, english: false) ?? 1;
            }

            if (word is "person" or "people" or "guest" or "guests" or "adult" or "adults" or "child" or "kid" or "kids")
            {
                if (EnglishMore(tokens, i) is { } more)
                {
                    return more;
                }

                if (before is "a" or "an" && i > 1 && tokens[i - 2] is "add")
                {
                    return 1;
                }
            }

            // "se suma mi hijo", "se nos suman 2 amigos", "se agrega una persona": a person after the verb (not "se suma el
            // IVA?"), counted by the number said, else one (two for a plural verb).
            if (word is "suma" or "suman" or "agrega" or "agregan" or "une" or "unen" && before is "se" or "nos")
            {
                for (var j = i + 1; j < Math.Min(tokens.Length, i + 5); j++)
                {
                    if (Nlu.NumberWords.Parse(tokens[j], english: false) is { } n and > 0 and < 10 && tokens[j] is not ("un" or "una" or "uno"))
                    {
                        return n;
                    }

                    if (JoiningPeople.Contains(tokens[j]))
                    {
                        return word.EndsWith('n') ? 2 : 1;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// "another night", "one more night", "2 extra guests", "an additional adult": how many of the English unit at
    /// <paramref name="unit"/> are added; null when nothing says so, or when it is "no more" / "any more".
    /// </summary>
    private static int? EnglishMore(string[] tokens, int unit)
    {
        var before = unit > 0 ? tokens[unit - 1] : string.Empty;
        if (before == "another")
        {
            return 1;
        }

        if (before is not ("more" or "extra" or "additional") || unit < 2)
        {
            return null;
        }

        var count = tokens[unit - 2];
        return count is "no" or "any" ? null
            : count is "a" or "an" or "one" ? 1
            : Nlu.NumberWords.Parse(count, english: true) ?? 1;
    }

    /// <summary>People who may join a party ("se suma mi hermana"), singular and plural.</summary>
    private static readonly HashSet<string> JoiningPeople = new(StringComparer.Ordinal)
    {
        "persona", "personas", "alguien", "adulto", "adultos", "hijo", "hijos", "hija", "hijas", "nene", "nenes", "nena", "nenas",
        "nino", "ninos", "nina", "ninas", "chico", "chicos", "chica", "chicas", "bebe", "bebes", "hermano", "hermanos", "hermana",
        "hermanas", "amigo", "amigos", "amiga", "amigas", "esposo", "esposa", "marido", "mujer", "novio", "novia", "pareja",
        "mama", "papa", "viejo", "vieja", "viejos", "abuelo", "abuela", "abuelos", "suegro", "suegra", "suegros", "primo",
        "prima", "primos", "sobrino", "sobrina", "sobrinos", "companero", "companera", "otro", "otra", "uno",
    };

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

    /// <summary>A short stable fingerprint of a reply (repetition check; no text kept in the state).</summary>
    public static string Fingerprint(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }
}
