namespace HotelAgent.Core.Nlu;

/// <summary>Language guess (es/en) and lexicon-based sentiment.</summary>
internal static class TextSignals
{
    private static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "the", "i", "you", "is", "are", "do", "does", "a", "an", "to", "for", "and", "my", "me", "can", "what", "how",
        "have", "room", "rooms", "please", "thanks", "thank", "hi", "hello", "hey", "book", "booking", "want", "would",
        "like", "there", "any", "of", "it", "with", "where", "when", "yes", "no", "night", "nights", "people", "we",
        "need", "your", "this", "that", "bye", "goodbye", "much", "price", "next", "tomorrow", "tonight", "today", "from",
        "cancel", "check", "reservation", "let", "get", "be", "talk", "speak", "person", "human", "sure", "ok", "yeah",
        "good", "morning", "evening", "afternoon", "see", "later", "nope", "not", "really", "in", "on", "at", "help",
    };

    private static readonly HashSet<string> Spanish = new(StringComparer.Ordinal)
    {
        "el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "para", "por", "con", "hay", "tienen",
        "tenes", "quiero", "hola", "buenas", "gracias", "si", "no", "es", "esta", "mi", "me", "se", "lo", "al", "habitacion",
        "reserva", "noche", "noches", "cuanto", "donde", "como", "dale", "chau", "somos", "puedo", "queria", "necesito",
        "manana", "hoy", "finde", "semana", "personas", "precio", "sale", "che", "buen", "dia", "tardes", "porfa", "favor",
        "ayuda", "alguien", "quien", "cual", "que", "nos", "vemos", "claro", "tambien", "pero", "mas", "muy",
    };

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

    public static string DetectLanguage(string original, string[] tokens)
    {
        foreach (var c in original)
        {
            if (c is 'ñ' or 'Ñ' or '¿' or '¡' or 'á' or 'é' or 'í' or 'ó' or 'ú')
                return "es";
        }
        int es = 0, en = 0;
        foreach (var t in tokens)
        {
            if (English.Contains(t))
                en++;
            if (Spanish.Contains(t))
                es++;
        }
        return en > es ? "en" : "es";
    }

    public static double Sentiment(string[] tokens)
    {
        var sum = 0.0;
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
}
