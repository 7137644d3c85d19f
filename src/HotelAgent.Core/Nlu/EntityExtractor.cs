using System.Globalization;
using System.Text.RegularExpressions;

namespace HotelAgent.Core.Nlu;

/// <summary>Rule-based, culture-aware entity extraction (dates, guests, nights, room type, amenities and dialog extras).</summary>
public static partial class EntityExtractor
{
    private static readonly Dictionary<string, string> RoomSynonyms = new(StringComparer.Ordinal)
    {
        ["simple"] = "simple", ["simples"] = "simple", ["single"] = "simple", ["individual"] = "simple", ["sencilla"] = "simple",
        ["sencillo"] = "simple", ["singles"] = "simple",
        ["doble"] = "doble", ["dobles"] = "doble", ["double"] = "doble", ["matrimonial"] = "doble", ["twin"] = "doble",
        ["triple"] = "triple", ["triples"] = "triple",
        ["familiar"] = "familiar", ["familiares"] = "familiar", ["family"] = "familiar", ["cuadruple"] = "familiar",
        ["suite"] = "suite", ["suites"] = "suite", ["suit"] = "suite",
        ["ejecutiva"] = "ejecutiva", ["ejecutivo"] = "ejecutiva", ["executive"] = "ejecutiva", ["ejecutivas"] = "ejecutiva",
    };

    /// <summary>Words that are close to a synonym but are not one (no fuzzy match for them).</summary>
    private static readonly HashSet<string> FuzzyStop = new(StringComparer.Ordinal)
    {
        "familia", "familias", "quite", "simplemente", "noble", "doblar", "tripa", "suits", "sweet", "single", "simpre",
        "siempre", "sample", "visual", "ejecutar", "doblez", "nobles", "dobla", "doblo", "tiple", "subte", "suerte", "simples", "efectivo", "efectiva", "ejecutar",
    };

    // (phrase tokens, canonical); single tokens of 6+ letters also match with edit distance 1
    private static readonly (string[] Phrase, string Canonical)[] AmenityPhrases = BuildAmenities();

    private static readonly Dictionary<string, (string[] Phrase, string Canonical)[]> AmenityByFirstToken =
        AmenityPhrases.GroupBy(p => p.Phrase[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static readonly Dictionary<char, (string Word, string Canonical)[]> AmenityFuzzy =
        AmenityPhrases.Where(p => p.Phrase.Length == 1 && p.Phrase[0].Length >= 6)
            .GroupBy(p => p.Phrase[0][0]).ToDictionary(g => g.Key, g => g.Select(p => (p.Phrase[0], p.Canonical)).ToArray());

    private static readonly Dictionary<char, (string Word, string Canonical)[]> RoomFuzzy =
        RoomSynonyms.Where(p => p.Key.Length >= 5).GroupBy(p => p.Key[0]).ToDictionary(g => g.Key, g => g.Select(p => (p.Key, p.Value)).ToArray());

    private static (string[] Phrase, string Canonical)[] BuildAmenities()
    {
        var raw = new (string, string)[]
        {
            ("piscina", "piscina"), ("piscinas", "piscina"), ("pileta", "piscina"), ("piletas", "piscina"), ("pool", "piscina"), ("alberca", "piscina"), ("swimming", "piscina"),
            ("gimnasio", "gimnasio"), ("gym", "gimnasio"), ("gimnacio", "gimnasio"), ("fitness", "gimnasio"),
            ("wifi", "wifi"), ("wi-fi", "wifi"), ("wi fi", "wifi"), ("internet", "wifi"), ("wify", "wifi"),
            ("desayuno", "desayuno"), ("desayunos", "desayuno"), ("desayunar", "desayuno"), ("breakfast", "desayuno"),
            ("estacionamiento", "estacionamiento"), ("estacionar", "estacionamiento"), ("cochera", "estacionamiento"), ("cocheras", "estacionamiento"),
            ("parking", "estacionamiento"), ("garage", "estacionamiento"), ("garaje", "estacionamiento"), ("aparcamiento", "estacionamiento"),
            ("parqueadero", "estacionamiento"), ("parqueo", "estacionamiento"), ("park", "estacionamiento"),
            ("dejar el auto", "estacionamiento"), ("dejar el coche", "estacionamiento"), ("guardar el auto", "estacionamiento"), ("dejar la camioneta", "estacionamiento"),
            ("dejar la moto", "estacionamiento"), ("park my car", "estacionamiento"), ("car park", "estacionamiento"),
            ("spa", "spa"), ("sauna", "spa"), ("jacuzzi", "spa"), ("masajes", "spa"), ("hidromasaje", "spa"),
            ("restaurante", "restaurante"), ("restaurant", "restaurante"), ("restoran", "restaurante"), ("resto", "restaurante"),
            ("bar", "bar"),
            ("aire acondicionado", "aire_acondicionado"), ("aire", "aire_acondicionado"), ("air conditioning", "aire_acondicionado"),
            ("aircon", "aire_acondicionado"), ("a/c", "aire_acondicionado"), ("ac", "aire_acondicionado"), ("climatizacion", "aire_acondicionado"),
            ("mascota", "mascotas"), ("mascotas", "mascotas"), ("perro", "mascotas"), ("perros", "mascotas"), ("perrito", "mascotas"),
            ("perrita", "mascotas"), ("perra", "mascotas"), ("gato", "mascotas"), ("gatos", "mascotas"), ("gatito", "mascotas"),
            ("pet", "mascotas"), ("pets", "mascotas"), ("dog", "mascotas"), ("dogs", "mascotas"), ("cat", "mascotas"), ("cats", "mascotas"),
            ("traslado", "traslado_aeropuerto"), ("traslados", "traslado_aeropuerto"), ("transfer", "traslado_aeropuerto"),
            ("shuttle", "traslado_aeropuerto"), ("airport pickup", "traslado_aeropuerto"), ("pickup", "traslado_aeropuerto"),
            ("buscar al aeropuerto", "traslado_aeropuerto"), ("buscarnos al aeropuerto", "traslado_aeropuerto"),
            ("lavanderia", "lavanderia"), ("laundry", "lavanderia"), ("lavado de ropa", "lavanderia"), ("tintoreria", "lavanderia"),
            ("room service", "room_service"), ("servicio a la habitacion", "room_service"), ("servicio al cuarto", "room_service"),
            ("servicio de habitacion", "room_service"), ("roomservice", "room_service"),
            ("silla de ruedas", "accesibilidad"), ("accesible", "accesibilidad"), ("accesibilidad", "accesibilidad"),
            ("wheelchair", "accesibilidad"), ("discapacidad", "accesibilidad"), ("movilidad reducida", "accesibilidad"),
            ("rampa", "accesibilidad"), ("accessible", "accesibilidad"),
            ("recepcion 24", "recepcion_24h"), ("24 horas", "recepcion_24h"), ("24h", "recepcion_24h"), ("24hs", "recepcion_24h"),
            ("24/7", "recepcion_24h"), ("24 hours", "recepcion_24h"),
            ("caja fuerte", "caja_fuerte"), ("caja de seguridad", "caja_fuerte"), ("a safe", "caja_fuerte"), ("safe box", "caja_fuerte"),
            ("safety box", "caja_fuerte"), ("in-room safe", "caja_fuerte"), ("cofre", "caja_fuerte"),
        };
        return raw.Select(r => (r.Item1.Split(' '), r.Item2)).OrderByDescending(r => r.Item1.Length).ToArray();
    }

    private static readonly HashSet<string> AdultWords = new(StringComparer.Ordinal)
    {
        "adulto", "adultos", "adult", "adults", "mayores", "grandes", "adultas", "adulta",
    };

    private static readonly HashSet<string> ChildWords = new(StringComparer.Ordinal)
    {
        "nino", "ninos", "nina", "ninas", "chico", "chicos", "chica", "chicas", "menor", "menores", "kid", "kids", "child",
        "children", "bebe", "bebes", "baby", "babies", "nene", "nenes", "nena", "nenas", "hijo", "hijos", "hija", "hijas",
        "pibes", "criaturas", "infantes", "teens", "adolescentes",
    };

    private static readonly HashSet<string> PeopleWords = new(StringComparer.Ordinal)
    {
        "persona", "personas", "pax", "huespedes", "huesped", "people", "persons", "guests", "guest", "pasajeros",
        "viajeros", "amigos", "amigas", "personitas", "integrantes",
    };

    /// <summary>"persnas", "perosnas", "presonas": typos of the people words count as them.</summary>
    private static bool IsPeopleWord(string w)
    {
        if (PeopleWords.Contains(w))
            return true;
        if (w.Length < 6 || FuzzyStop.Contains(w))
            return false;
        foreach (var target in PeopleTypoTargets)
        {
            var max = target.Length >= 8 ? 2 : 1;
            if (Math.Abs(target.Length - w.Length) <= max && w[0] == target[0] && Fuzzy.DamerauLevenshtein(w, target, max) <= max)
                return true;
        }
        return false;
    }

    private static readonly string[] PeopleTypoTargets = ["personas", "persona", "huespedes", "pasajeros"];

    private static readonly HashSet<string> PartnerWords = new(StringComparer.Ordinal)
    {
        "esposa", "esposo", "senora", "marido", "novia", "novio", "mujer", "pareja", "wife", "husband", "girlfriend",
        "boyfriend", "partner", "jermu", "flaca", "flaco",
    };

    private static readonly HashSet<string> NotGuestsAfterPara = new(StringComparer.Ordinal)
    {
        "noche", "noches", "night", "nights", "dia", "dias", "days", "day", "semana", "semanas", "week", "weeks",
        "am", "pm", "hs", "horas", "h", "pareja", "familia", "family", "grupo", "group", "habitaciones", "rooms", "cuotas",
        "meses", "months", "estrellas", "camas", "beds", "minutos", "opcion", "option",
    };

    /// <summary>Extracts every entity from <paramref name="text"/>, resolving dates against <paramref name="today"/>.</summary>
    public static NluEntities Extract(string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Normalize(text);
        var tokens = normalized.Length == 0 ? [] : normalized.Split(' ');
        var english = TextSignals.DetectLanguage(text, tokens) == "en";
        return Extract(text, tokens, english, today);
    }

    /// <summary>
    /// The stay dates of <paramref name="text"/> read in the context of a check-in already agreed in the conversation
    /// (<paramref name="anchor"/>): "no, mejor del 11 al 13" while talking about 10–12 January is 11–13 January. Pure and
    /// deterministic, so the dialog can call it inside an orchestration.
    /// </summary>
    public static (DateOnly? CheckIn, DateOnly? CheckOut, int? Nights) ExtractStay(string text, DateOnly today, DateOnly? anchor)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Normalize(text);
        var tokens = normalized.Length == 0 ? [] : normalized.Split(' ');
        var english = TextSignals.DetectLanguage(text, tokens) == "en";
        return DateExtractor.Extract(tokens, NumberWords.ParseAll(tokens, english), today, anchor);
    }

    internal static NluEntities Extract(string original, string[] tokens, bool english, DateOnly today)
    {
        var num = NumberWords.ParseAll(tokens, english);

        var (checkIn, checkOut, nights) = DateExtractor.Extract(tokens, num, today);
        return new NluEntities
        {
            CheckIn = checkIn,
            CheckOut = checkOut,
            Nights = nights,
            Guests = FindGuests(tokens, num),
            RoomType = FindRoomType(tokens),
            Amenities = FindAmenities(tokens),
            BookingReference = FindBookingReference(original, tokens),
            Email = EmailRegex().Match(original) is { Success: true } em ? em.Value : null,
            PersonName = FindPersonName(original),
            OptionNumber = FindOption(tokens, num),
        };
    }

    internal static int? FindGuests(string[] t, int?[] num)
    {
        int adults = 0, kids = 0, people = 0;
        int? stated = null;
        var partner = false;
        var alone = false;
        for (var i = 0; i < t.Length; i++)
        {
            var w = t[i];
            var next = i + 1 < t.Length ? t[i + 1] : string.Empty;
            var n = num[i] ?? (w is "a" or "an" && (ChildWords.Contains(next) || AdultWords.Contains(next)) ? 1 : null);
            if (n is { } v && v is > 0 and <= 60 && next.Length > 0)
            {
                if (AdultWords.Contains(next))
                    adults += v;
                else if (ChildWords.Contains(next))
                    kids += v;
                else if (IsPeopleWord(next) && (v > 1 || !(w is "un" or "una" or "uno" or "a" or "an") || (i > 0 && t[i - 1] is "para" or "for" or "de" or "somos" or "sumar" or "agregar" or "sumo" or "agrego" or "add")))
                    people = Math.Max(people, v);
            }
            switch (w)
            {
                case "somos" or "seriamos" or "seremos" or "vamos" or "viajamos" or "estamos" when num[Math.Min(i + 1, t.Length - 1)] is > 0 and <= 60 && i + 1 < t.Length
                    && !(t[i + 1] is "un" or "una" && i + 2 < t.Length && t[i + 2] is "familia" or "flia" or "pareja" or "grupo" or "family" or "banda"):
                    stated ??= num[i + 1];
                    break;
                case "ser" when i > 0 && t[i - 1] == "a" && i + 1 < t.Length && num[i + 1] is > 0 and <= 60:
                    stated ??= num[i + 1];
                    break;
                case "we" or "were" when i + 2 < t.Length && t[i + 1] is "are" or "re" && num[i + 2] is > 0 and <= 60:
                    stated ??= num[i + 2];
                    break;
                case "para" or "for" or "pa" or "p" or "x" when i + 1 < t.Length && num[i + 1] is > 0 and <= 20
                                          && !(i + 2 < t.Length && NotGuestsAfterPara.Contains(t[i + 2])) && !IsDateToken(t, i + 1):
                    stated ??= num[i + 1];
                    break;
                case "entran" or "entramos" or "caben" or "cabemos" or "duermen" or "dormimos" or "fit" when i + 1 < t.Length && num[i + 1] is > 0 and <= 20
                                                                                                     && !(i + 2 < t.Length && NotGuestsAfterPara.Contains(t[i + 2])):
                    // "entran 3 en la doble?", "can 4 fit"
                    stated ??= num[i + 1];
                    break;
                case "familia" or "flia" or "family" or "grupo" or "group" when GroupSize(t, num, i + 1) is { } size:
                    stated ??= size;
                    break;
                case "somos" or "seriamos" or "seremos" or "vamos" or "viajamos" when i + 2 < t.Length && t[i + 1] == "de" && num[i + 2] is > 0 and <= 30
                                                                                     && !(i + 3 < t.Length && NotGuestsAfterPara.Contains(t[i + 3])):
                    // "somos de 4"
                    stated ??= num[i + 2];
                    break;
                case "pareja" or "couple":
                    partner = true;
                    break;
                case "nosotros" or "los" or "both" when (i + 1 < t.Length && num[i + 1] == 2) || (w == "both" && next == "of"):
                    if (w != "los" || i + 2 >= t.Length || !NotGuestsAfterPara.Contains(t[i + 2]))
                        partner = true;
                    break;
                case "solo" or "sola" or "alone" or "myself" or "me" when IsAlone(t, i):
                    alone = true;
                    break;
            }
            if ((w is "mi" or "my" or "con") && i + 1 < t.Length && PartnerWords.Contains(t[i + 1]))
                partner = true;
        }
        if (people > 0)
            return Math.Max(people, adults + kids);
        if (adults + kids > 0)
        {
            var total = adults + kids + (adults == 0 && partner ? 2 : 0);
            return stated is { } s && s > total ? s : total;
        }
        if (stated is not null)
            return stated;
        if (partner)
            return 2;
        if (alone)
            return 1;
        return null;
    }

    /// <summary>"de 5", "of five", "tipo de 4", "numerosa de 6" right after "familia"/"grupo".</summary>
    private static int? GroupSize(string[] t, int?[] num, int j)
    {
        if (j < t.Length && t[j] is "tipo" or "numerosa" or "grande" or "chica" or "big" or "small")
            j++;
        return j + 1 < t.Length && t[j] is "de" or "of" && num[j + 1] is > 0 and <= 60 ? num[j + 1] : null;
    }

    private static bool IsAlone(string[] t, int i)
    {
        var w = t[i];
        var prev = i > 0 ? t[i - 1] : string.Empty;
        var next = i + 1 < t.Length ? t[i + 1] : string.Empty;
        return w switch
        {
            "solo" or "sola" => prev is "yo" or "viajo" or "voy" or "mi" || next == "yo",
            "alone" => true,
            "myself" => prev == "by",
            "me" => prev is "just" or "only",
            _ => false,
        };
    }

    private static bool IsDateToken(string[] t, int i) =>
        (i + 2 < t.Length && t[i + 1] is "de" or "of" && DateExtractor.IsMonth(t[i + 2]))
        || (i + 1 < t.Length && DateExtractor.IsMonth(t[i + 1]) && t[i + 1] is not ("mar" or "set" or "may"))
        || t[i].Contains('/', StringComparison.Ordinal);

    /// <summary>
    /// The room type the guest wants. With two types in one message, a change ("cambiar la doble por una suite", "pasar de
    /// doble a suite", "switch my double to a suite", "en vez de la doble, la ejecutiva") means the second; otherwise the
    /// first one mentioned ("qué diferencia hay entre la doble y la suite").
    /// </summary>
    internal static string? FindRoomType(string[] t)
    {
        var first = FindRoomTypeAt(t, 0, out var end);
        if (first is null)
            return null;
        var second = FindRoomTypeAt(t, end + 1, out var secondAt);
        if (second is null || second == first)
            return first;
        var between = t.AsSpan(end + 1, Math.Max(0, secondAt - end - 1));
        foreach (var w in between)
        {
            if (w is "por" or "a" or "al" or "to" or "into" or "for" or "hacia")
                return second;
        }
        for (var k = Math.Max(0, end - 3); k < end; k++)
        {
            // "no la doble, la suite" / "no quiero la doble, quiero la suite"
            if (t[k] is "no" or "not")
                return second;
        }
        for (var k = 0; k < end; k++)
        {
            if (t[k] is "vez" or "lugar" or "instead" or "cambiar" or "cambio" or "cambiame" or "cambiala" or "pasar" or "paso" or "pasame"
                or "switch" or "change" or "upgrade" or "move" or "from")
                return second;
        }
        return first;
    }

    private static string? FindRoomTypeAt(string[] t, int start, out int at)
    {
        at = -1;
        for (var i = start; i < t.Length; i++)
        {
            at = i;
            var w = t[i];
            if (w.Length < 3)
                continue;
            if (w is "family" && i + 1 < t.Length && t[i + 1] == "of")
                continue;
            if (w.StartsWith("individual", StringComparison.Ordinal) && i > 0 && t[i - 1] is "cama" or "camas" or "beds" or "bed")
                continue;
            // "me cobraron doble": an adverb after a charge, not a room
            if (w is "doble" or "double" && i > 0 && t[i - 1] is "cobraron" or "cobro" or "debitaron" or "cobraste" or "cargaron" or "facturaron" or "charged" or "billed")
                continue;
            if (w is "simple" && i > 0 && t[i - 1] is "pregunta" or "consulta" or "algo" or "muy" or "mas" or "es" or "question")
                continue;
            if (w is "familiar" or "familiares" && !(i > 0 && t[i - 1] is "la" or "una" or "1" or "las" or "habitacion" or "habitaciones"
                    or "cuarto" or "cuartos" or "pieza" or "piezas" or "suite" or "en" or "tipo" or "otra"))
                continue;
            if (RoomSynonyms.TryGetValue(w, out var canon))
                return canon;
            if (w.Length >= 5 && RoomFuzzy.TryGetValue(w[0], out var candidates) && !FuzzyStop.Contains(w))
            {
                foreach (var (syn, c) in candidates)
                {
                    var max = syn.Length >= 10 ? 2 : 1;
                    if (Math.Abs(syn.Length - w.Length) <= max && Fuzzy.DamerauLevenshtein(w, syn, max) <= max)
                        return c;
                }
            }
        }
        return null;
    }

    internal static IReadOnlyList<string> FindAmenities(string[] t)
    {
        List<string>? found = null;
        for (var i = 0; i < t.Length; i++)
        {
            var w = t[i];
            string? hit = null;
            var length = 1;
            if (AmenityByFirstToken.TryGetValue(w, out var phrases))
            {
                foreach (var (phrase, canon) in phrases)
                {
                    if (!Matches(t, i, phrase))
                        continue;
                    if (canon == "aire_acondicionado" && phrase.Length == 1 && phrase[0] == "aire" && i + 1 < t.Length && t[i + 1] is "libre" or "fresco" or "puro")
                        continue;
                    if (phrase.Length == 1 && phrase[0] == "ac" && !(i > 0 && t[i - 1] is "have" or "has" or "with" or "the" or "is" or "and" or "or"))
                        continue;
                    if (phrase.Length == 1 && phrase[0] is "resto" && !(i > 0 && t[i - 1] is "el" or "un" or "hay" or "tienen"))
                        continue;
                    hit = canon;
                    length = phrase.Length;
                    break;
                }
            }
            else if (w.Length >= 6 && AmenityFuzzy.TryGetValue(w[0], out var candidates) && !FuzzyStop.Contains(w))
            {
                foreach (var (word, canon) in candidates)
                {
                    if (Math.Abs(w.Length - word.Length) <= 1 && Fuzzy.DamerauLevenshtein(w, word, 1) <= 1)
                    {
                        hit = canon;
                        break;
                    }
                }
            }
            if (hit is null)
                continue;
            found ??= [];
            if (!found.Contains(hit))
                found.Add(hit);
            i += length - 1;
        }
        return found is null ? [] : found;
    }

    private static bool Matches(string[] t, int i, string[] phrase)
    {
        if (i + phrase.Length > t.Length)
            return false;
        for (var k = 0; k < phrase.Length; k++)
        {
            if (!string.Equals(t[i + k], phrase[k], StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    internal static string? FindBookingReference(string original, string[] tokens)
    {
        var m = DashedCodeRegex().Match(original);
        if (m.Success)
            return m.Value.ToUpperInvariant();
        foreach (Match c in MixedCodeRegex().Matches(original))
        {
            var v = c.Value;
            if (v.Any(char.IsAsciiDigit) && v.Any(char.IsAsciiLetterUpper) && !v.Any(char.IsAsciiLetterLower))
                return v;
        }
        for (var i = 0; i + 1 < tokens.Length; i++)
        {
            if (tokens[i] is "reserva" or "codigo" or "booking" or "reservation" or "code" or "numero" or "localizador" or "nro" or "#"
                && tokens[i + 1].Length is >= 5 and <= 12 && tokens[i + 1].All(char.IsAsciiDigit))
                return tokens[i + 1];
        }
        return null;
    }

    internal static string? FindPersonName(string original)
    {
        var m = NameRegex().Match(original);
        if (!m.Success)
            return null;
        var words = m.Groups["name"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>();
        foreach (var w in words)
        {
            var lw = TextNormalizer.Normalize(w, correctSpelling: false);
            if (lw is "de" or "del" or "la" or "van" or "von" && kept.Count > 0)
            {
                kept.Add(lw);
                continue;
            }
            if (NameStop.Contains(lw) || w.Any(char.IsDigit))
                break;
            kept.Add(char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..]);
            if (kept.Count >= 4)
                break;
        }
        while (kept.Count > 0 && kept[^1] is "de" or "del" or "la" or "van" or "von")
            kept.RemoveAt(kept.Count - 1);
        if (m.Groups["intro"].Value.Equals("soy", StringComparison.OrdinalIgnoreCase) && !char.IsUpper(words[0][0]))
            return null;
        return kept.Count == 0 ? null : string.Join(' ', kept);
    }

    private static readonly HashSet<string> NameStop = new(StringComparer.Ordinal)
    {
        "y", "e", "para", "con", "por", "and", "for", "the", "quiero", "el", "que", "desde", "somos", "a", "al", "en", "from",
        "with", "i", "im", "quisiera", "necesito", "tengo", "me", "mi", "my", "is", "gracias", "thanks", "please", "porfa",
        "hola", "buenas", "vamos", "del", "la", "las", "los", "un", "una", "reserva", "habitacion", "would", "quien", "who",
    };

    internal static int? FindOption(string[] t, int?[] num)
    {
        for (var i = 0; i < t.Length; i++)
        {
            var w = t[i];
            var next = i + 1 < t.Length ? t[i + 1] : string.Empty;
            if (w is "opcion" or "option" or "numero" or "number" or "nro" or "#" && i + 1 < t.Length && num[i + 1] is >= 1 and <= 20)
                return num[i + 1];
            if (w is "la" && i + 1 < t.Length && next.All(char.IsAsciiDigit) && num[i + 1] is >= 1 and <= 20
                && !(i + 2 < t.Length && t[i + 2] is "noche" or "noches" or "pm" or "am" or "de" or "hs"))
                return num[i + 1];
            if (NumberWords.ParseOrdinal(w) is { } o && ((i > 0 && t[i - 1] is "la" or "el" or "the" or "opcion" or "option") || t.Length <= 2)
                && !(next is "semana" or "noche" or "vez" or "piso" or "floor" or "week" or "night" or "time" or "de" or "of"))
                return o;
        }
        if (t.Length == 1 && num[0] is >= 1 and <= 9 && t[0].All(char.IsAsciiDigit))
            return num[0];
        return null;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"(?<![\w@.-])[A-Za-z]{2,4}-(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{4,10}(?![\w@-])", RegexOptions.CultureInvariant)]
    private static partial Regex DashedCodeRegex();

    [GeneratedRegex(@"(?<![\w@.-])[A-Za-z0-9]{5,12}(?![\w@-])", RegexOptions.CultureInvariant)]
    private static partial Regex MixedCodeRegex();

    [GeneratedRegex(@"\b(?<intro>me llamo|mi nombre es|a nombre de|my name is|name is|soy)\s+(?<name>[\p{L}'][\p{L}'.-]*(?:\s+[\p{L}'][\p{L}'.-]*){0,4})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}

/// <summary>Edit distance helpers.</summary>
public static class Fuzzy
{
    /// <summary>Optimal-string-alignment Damerau–Levenshtein distance; returns max+1 early when it exceeds <paramref name="max"/>.</summary>
    public static int DamerauLevenshtein(string a, string b, int max = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var n = a.Length;
        var m = b.Length;
        if (Math.Abs(n - m) > max)
            return max == int.MaxValue ? Math.Abs(n - m) : max + 1;
        Span<int> prev2 = stackalloc int[m + 1];
        Span<int> prev = stackalloc int[m + 1];
        Span<int> cur = stackalloc int[m + 1];
        for (var j = 0; j <= m; j++)
            prev[j] = j;
        for (var i = 1; i <= n; i++)
        {
            cur[0] = i;
            var rowMin = cur[0];
            for (var j = 1; j <= m; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
                rowMin = Math.Min(rowMin, v);
            }
            if (rowMin > max)
                return max + 1;
            var tmp = prev2;
            prev2 = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[m];
    }
}
