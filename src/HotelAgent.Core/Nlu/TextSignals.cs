namespace HotelAgent.Core.Nlu;

/// <summary>Language guess (es/en) and lexicon-based sentiment.</summary>
internal static class TextSignals
{
    // Words that only one of the two languages uses. Words both share ("me", "no", "a", "hotel", "suite", "ok") are left out.
    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "the", "i", "you", "is", "are", "do", "does", "an", "to", "for", "and", "my", "can", "what", "how", "have", "has", "had",
        "room", "rooms", "please", "thanks", "thank", "hi", "hello", "hey", "book", "booking", "want", "would", "like", "there",
        "any", "of", "it", "with", "where", "when", "yes", "night", "nights", "people", "we", "need", "your", "this", "that", "bye",
        "goodbye", "much", "price", "next", "tomorrow", "tonight", "today", "from", "cancel", "check", "reservation", "let", "get",
        "be", "talk", "speak", "person", "human", "sure", "yeah", "good", "morning", "evening", "afternoon", "see", "later",
        "nope", "not", "really", "in", "on", "at", "help", "will", "could", "should", "here", "our", "us", "they", "them", "which",
        "who", "why", "just", "also", "about", "all", "am", "was", "were", "been", "if", "or", "but", "so", "than", "then", "too",
        "very", "whats", "im", "its", "dont", "doesnt", "cant", "change", "stay", "arrive", "leave", "guests", "guest", "breakfast",
        "airport", "included", "include", "includes", "cost", "costs", "many", "some", "way", "free", "available", "double",
        "single", "family", "executive", "bed", "beds", "pool", "gym", "parking", "pets", "dog", "wife", "husband", "kids",
        "children", "weekend", "week", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "go", "ahead",
        "right", "okay", "done", "great", "awesome", "perfect", "fine", "nice", "sounds", "one", "two", "three", "four", "five",
        "first", "second", "third", "cheapest", "difference", "between", "charge", "charged", "fee", "refund", "late", "early",
        "luggage", "bags", "leave", "keep", "name", "email", "mail", "instead", "move", "switch", "make", "made", "take", "took",
        "send", "give", "know", "think", "tell", "said", "say", "thats", "theres", "ill", "id", "youre", "were", "dates", "date",
    };

    private static readonly HashSet<string> Spanish = new(StringComparer.Ordinal)
    {
        "el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "para", "por", "con", "hay", "tienen",
        "tenes", "quiero", "hola", "ola", "buenas", "gracias", "si", "es", "esta", "mi", "se", "lo", "al", "habitacion",
        "reserva", "noche", "noches", "cuanto", "donde", "como", "dale", "chau", "somos", "puedo", "queria", "necesito",
        "manana", "hoy", "finde", "semana", "personas", "precio", "sale", "che", "buen", "dia", "tardes", "porfa", "favor",
        "ayuda", "alguien", "quien", "cual", "nos", "vemos", "claro", "tambien", "pero", "mas", "muy", "algo", "van", "vamos",
        "voy", "tengo", "tiene", "tenemos", "son", "ser", "estar", "estoy", "estamos", "eso", "esa", "ese", "este", "esto", "aca",
        "ahi", "alla", "cuando", "porque", "sin", "sobre", "todo", "toda", "nada", "ya", "bien", "mal", "vos", "sos", "queres",
        "podes", "podria", "quisiera", "seria", "serian", "seriamos", "cobrar", "cobran", "cobraron", "pagar", "cancelar",
        "cancelala", "cancelalo", "reservar", "reservala", "reservame", "confirmame", "confirmo", "confirmar", "cambiar",
        "cambiala", "dejar", "valijas", "desayuno", "incluido", "incluye", "cuesta", "cuestan", "vale", "hasta", "desde", "entre",
        "dos", "tres", "cuatro", "cinco", "doble", "simple", "familiar", "ejecutiva", "sola", "solo", "perfecto", "genial",
        "listo", "bueno", "joya", "barbaro", "obvio", "exacto", "correcto", "dias", "fecha", "fechas", "entrada", "salida",
        "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo", "enero", "febrero", "marzo", "abril", "mayo",
        "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "nombre", "llamo", "soy", "mejor", "otra",
        "otro", "ahora", "despues", "antes", "aeropuerto", "traslado", "pileta", "cochera", "mascota", "perro", "chicos", "nenes",
        "ninos", "esposa", "mujer", "marido", "novia", "gente", "tal", "andan", "va", "vas", "hace", "hacer", "hacela", "podemos",
        "quiere", "quieren", "pasar", "pasame", "diferencia", "barata", "barato", "cara", "caro", "entran", "caben", "cuantas",
        "cuantos", "cuales", "tambien", "senor", "senora", "usted", "ustedes", "le", "les", "su", "sus", "tu", "tus", "te", "mis",
    };

    private static readonly string[] SpanishEndings = ["cion", "ciones", "mente", "amos", "emos", "imos", "ado", "ada", "ados", "adas", "ito", "ita", "ame", "ala", "alo"];
    private static readonly string[] EnglishEndings = ["tion", "tions", "ing", "ly", "ness", "ful"];

    /// <summary>Evidence for each language in a message: words only that language uses, and typical word endings.</summary>
    public static (int Spanish, int English) LanguageScores(string original, string[] tokens)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(tokens);
        int es = 0, en = 0;
        foreach (var c in original)
        {
            if (c is 'ñ' or 'Ñ' or '¿' or '¡' or 'á' or 'é' or 'í' or 'ó' or 'ú')
            {
                es += 2;
                break;
            }
        }
        foreach (var t in tokens)
        {
            var inEn = English.Contains(t);
            var inEs = Spanish.Contains(t);
            if (inEn && !inEs)
                en++;
            else if (inEs && !inEn)
                es++;
            else if (!inEn && !inEs && t.Length >= 5 && t.All(char.IsAsciiLetterLower))
            {
                if (SpanishEndings.Any(e => t.EndsWith(e, StringComparison.Ordinal)))
                    es++;
                else if (EnglishEndings.Any(e => t.EndsWith(e, StringComparison.Ordinal)))
                    en++;
            }
        }
        return (es, en);
    }

    public static string DetectLanguage(string original, string[] tokens)
    {
        var (es, en) = LanguageScores(original, tokens);
        return en > es ? "en" : "es";
    }

    // weights: strong negatives (insults, "vergüenza", "pésimo") ≈ -2, mild ≈ -1, urgency ≈ -0.7
    private static readonly Dictionary<string, double> Lexicon = new(StringComparer.Ordinal)
    {
        ["pesimo"] = -2, ["pesima"] = -2, ["verguenza"] = -2, ["desastre"] = -2, ["horrible"] = -2, ["espantoso"] = -2,
        ["malisimo"] = -2, ["malisima"] = -2, ["asco"] = -2, ["basura"] = -2, ["estafa"] = -2, ["estafadores"] = -2,
        ["ladrones"] = -2, ["idiota"] = -2, ["idiotas"] = -2, ["inutil"] = -2, ["inutiles"] = -2, ["mierda"] = -2,
        ["carajo"] = -1.5, ["boludo"] = -1.5, ["boludos"] = -1.5, ["pelotudo"] = -2, ["pelotudos"] = -2, ["ridiculo"] = -1.5,
        ["indignante"] = -2, ["inaceptable"] = -2, ["terrible"] = -2, ["awful"] = -2, ["worst"] = -2, ["useless"] = -2,
        ["disgusting"] = -2, ["scam"] = -2, ["stupid"] = -2, ["ridiculous"] = -1.5, ["unacceptable"] = -2,
        ["harto"] = -1.5, ["harta"] = -1.5, ["podrido"] = -1.5, ["podrida"] = -1.5, ["enojado"] = -1.5, ["enojada"] = -1.5,
        ["furioso"] = -2, ["furiosa"] = -2, ["molesto"] = -1, ["molesta"] = -1, ["queja"] = -1, ["reclamo"] = -1,
        ["mal"] = -1, ["malo"] = -1, ["mala"] = -1, ["sucio"] = -1, ["sucia"] = -1, ["bad"] = -1, ["angry"] = -1.5,
        ["complaint"] = -1, ["dirty"] = -1, ["annoyed"] = -1, ["basta"] = -1, ["urgente"] = -0.7, ["ya"] = -0.5,
        ["now"] = -0.4, ["emo_neg"] = -1.5, ["emo_sad"] = -0.7,
        ["gracias"] = 0.7, ["genial"] = 1, ["excelente"] = 1.5, ["perfecto"] = 1, ["buenisimo"] = 1.2, ["barbaro"] = 1,
        ["joya"] = 1, ["espectacular"] = 1.5, ["hermoso"] = 1, ["encanta"] = 1.2, ["amable"] = 1, ["bien"] = 0.4,
        ["lindo"] = 0.8, ["thanks"] = 0.7, ["thank"] = 0.7, ["great"] = 1, ["excellent"] = 1.5, ["perfect"] = 1,
        ["awesome"] = 1.2, ["love"] = 1, ["amazing"] = 1.2, ["nice"] = 0.7, ["good"] = 0.4, ["emo_pos"] = 0.8,
        ["emo_ok"] = 0.6, ["emo_please"] = 0.3,
    };

    public static double Sentiment(string[] tokens) => Sentiment(string.Empty, tokens);

    /// <summary>
    /// -1..1 from a weighted lexicon with negation, plus complaints about money ("me cobraron dos veces"), threats
    /// ("los voy a denunciar") and shouting ("!!!"), which must reach a person at once.
    /// </summary>
    public static double Sentiment(string original, string[] tokens)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(tokens);
        var sum = ComplaintWeight(tokens);
        if (sum < 0 && original.Contains("!!", StringComparison.Ordinal))
            sum -= 0.7;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!Lexicon.TryGetValue(tokens[i], out var w))
                continue;
            // "no funciona", "no me gusta", "not good": flip mild words after a negation
            var negated = i > 0 && tokens[i - 1] is "no" or "not" or "nada" or "nunca";
            if (tokens[i] == "ya" && i + 1 < tokens.Length)
                w = 0; // "ya" mid-sentence is usually "already"; only urgent at the end ("quiero hablar con alguien ya")
            sum += negated && w > 0 ? -w : w;
        }
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            if (tokens[i] == "no" && tokens[i + 1] is "funciona" or "sirve" or "anda" or "entendes" or "entiende")
                sum -= 1;
        }
        return Math.Round(Math.Tanh(sum / 2.0), 3);
    }

    private static readonly HashSet<string> ChargeVerbs = new(StringComparer.Ordinal)
    {
        "cobraron", "cobraste", "cobro", "cobraban", "cobrado", "debitaron", "debito", "descontaron", "facturaron", "cargaron",
        "charged", "billed", "debited",
    };

    private static readonly HashSet<string> Threats = new(StringComparer.Ordinal)
    {
        "denunciar", "denuncia", "denuncio", "denunciarlos", "denunciamos", "abogado", "abogados", "abogada", "demanda", "demandar",
        "demandarlos", "juicio", "contracargo", "lawyer", "lawyers", "sue", "lawsuit", "chargeback", "estafaron", "estafado", "robaron",
    };

    private static readonly HashSet<string> RefundVerbs = new(StringComparer.Ordinal)
    {
        "devolvieron", "devolvio", "devuelven", "reintegraron", "reembolsaron", "acreditaron", "reintegro", "reembolso", "refunded", "refund",
        "returned", "reimbursed",
    };

    /// <summary>Money complaints and threats: "me cobraron dos veces", "cobro doble", "charged twice", "los voy a denunciar".</summary>
    internal static double ComplaintWeight(string[] t)
    {
        var w = 0.0;
        for (var i = 0; i < t.Length; i++)
        {
            if (Threats.Contains(t[i]) || (t[i] == "defensa" && i + 2 < t.Length && t[i + 2] == "consumidor"))
                w -= 2.5;
            // "todavía no me devolvieron la plata", "never refunded": money owed
            if (RefundVerbs.Contains(t[i]))
            {
                for (var k = Math.Max(0, i - 4); k < i; k++)
                {
                    if (t[k] is "no" or "nunca" or "never" or "havent" or "hasnt" or "didnt" or "not" or "still")
                    {
                        w -= 2.5;
                        break;
                    }
                }
            }
            if (!ChargeVerbs.Contains(t[i]))
                continue;
            for (var k = i + 1; k < Math.Min(t.Length, i + 5); k++)
            {
                if (t[k] is "doble" or "twice" or "double" or "veces" or "demas" or "extra" or "mal" or "wrong" or "sin" or "without"
                    || (t[k] == "de" && k + 1 < t.Length && t[k + 1] == "mas"))
                {
                    w -= 2.5;
                    break;
                }
            }
        }
        return w;
    }
}
