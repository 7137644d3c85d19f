namespace HotelAgent.Core.Nlu;

/// <summary>A child of the party: the age in months when the guest gave it; <paramref name="Baby"/> when named as a baby ("bebé", "toddler") without one.</summary>
public sealed record PartyChild(int? AgeMonths, bool Baby = false)
{
    /// <summary>Under the hotel's infant age (a baby word with no age counts as one): free, shares the parents' bed, not a guest for capacity.</summary>
    public bool IsInfant(int infantsUnderYears) => AgeMonths is { } m ? m < infantsUnderYears * 12 : Baby;

    /// <summary>A child whose age the guest has not said ("un nene", "2 chicos"): counted as a guest until told otherwise.</summary>
    public bool AgeUnknown => AgeMonths is null && !Baby;
}

/// <summary>
/// Who is travelling, as the guest described it: adults (null when the message does not say) and children with their ages.
/// Whether a child counts as a guest depends on the hotel's infant age (<c>HotelPolicies.InfantsUnderAge</c>), so the
/// counts are methods of that age, never fixed here.
/// </summary>
public sealed record Party
{
    public int? Adults { get; init; }
    public IReadOnlyList<PartyChild> Children { get; init; } = [];

    public int Infants(int infantsUnderYears) => Children.Count(c => c.IsInfant(infantsUnderYears));

    /// <summary>Children who count toward room capacity (age unknown included: the safe reading).</summary>
    public int CountedChildren(int infantsUnderYears) => Children.Count - Infants(infantsUnderYears);

    /// <summary>People who need a bed: adults and every child who is not an infant; null while the adults are unknown.</summary>
    public int? Guests(int infantsUnderYears) => Adults is { } a ? a + CountedChildren(infantsUnderYears) : null;

    public int UnknownAges => Children.Count(c => c.AgeUnknown);
}

/// <summary>
/// Reads party composition from a guest message: "2 adultos y un bebé de 1 año", "2 adultos + 2 nenes de 5 y 8", "vamos con
/// mi señora y los chicos (3 y 10)", "mi marido, yo y la beba de 8 meses", "2 adults and a toddler", "somos 2 y un bebé".
/// Pure and deterministic (the dialog calls it inside the orchestration). Returns null when no child is mentioned: the
/// plain guest count ("somos 4", "familia de 4") stays the NLU's <c>guests</c> entity.
/// </summary>
public static class PartyExtractor
{
    private static readonly HashSet<string> KidWords = new(StringComparer.Ordinal)
    {
        "nino", "ninos", "nina", "ninas", "nene", "nenes", "nena", "nenas", "hijo", "hijos", "hija", "hijas", "criatura", "criaturas", "peque", "peques", "gurises", "gurisito", "kid", "kids", "child", "children",
        "chiquito", "chiquitos", "chiquita", "chiquitas", "nenito", "nenita", "hijito", "hijita", "teen", "teens", "adolescente",
        "adolescentes",
    };

    /// <summary>Child words that are also ordinary words ("una habitación chica", "menor precio", "they son"): need an article or number before.</summary>
    private static readonly HashSet<string> GuardedKidWords = new(StringComparer.Ordinal)
    {
        "chico", "chicos", "chica", "chicas", "menor", "menores", "son", "sons", "daughter", "daughters",
    };

    private static readonly HashSet<string> BabyWords = new(StringComparer.Ordinal)
    {
        "bebe", "bebes", "beba", "bebas", "bebito", "bebita", "bebitos", "bebitas", "baby", "babies", "toddler", "toddlers",
        "infant", "infants", "newborn", "lactante", "bb",
    };

    private static readonly HashSet<string> KidArticles = new(StringComparer.Ordinal)
    {
        "un", "una", "los", "las", "mis", "nuestros", "nuestras", "nuestro", "nuestra", "sus", "el", "la", "y", "con", "+", "my",
        "our", "a", "an", "the", "his", "her", "mi", "e", "2", "dos", "and", "with", "tres", "3", "two", "three",
    };

    private static readonly HashSet<string> AdultWords = new(StringComparer.Ordinal)
    {
        "adulto", "adultos", "adulta", "adultas", "adult", "adults", "mayores", "grandes", "grown-ups", "grownups",
    };

    private static readonly HashSet<string> PartnerWords = new(StringComparer.Ordinal)
    {
        "esposa", "esposo", "senora", "marido", "novia", "novio", "mujer", "pareja", "wife", "husband", "girlfriend", "boyfriend",
        "partner", "jermu", "flaca", "flaco", "couple", "matrimonio", "hombre", "companera", "companero",
    };

    private static readonly HashSet<string> YearUnits = new(StringComparer.Ordinal)
    {
        "ano", "anos", "anito", "anitos", "year", "years", "yr", "yrs", "yo", "y/o", "old", "anios", "anio",
    };

    private static readonly HashSet<string> MonthUnits = new(StringComparer.Ordinal)
    {
        "mes", "meses", "mesecitos", "month", "months", "mo", "mos",
    };

    private static readonly HashSet<string> AgeLead = new(StringComparer.Ordinal)
    {
        "de", "of", "aged", "age", "ages", "edad", "edades", "tiene", "tienen", "que", "con", "los", "las", "with", "son", "is", "are",
    };

    private static readonly HashSet<string> AgeJoin = new(StringComparer.Ordinal) { "y", "e", "and", "&", "otro", "otra", "de" };

    /// <summary>The party in <paramref name="text"/>, or null when it names no child.</summary>
    public static Party? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A closing parenthesis ends a list of ages ("2 kids (4 and 7), jan 10-12": the 7 is an age, not a day of January);
        // the normalizer drops punctuation, so it becomes a token no rule reads.
        var normalized = TextNormalizer.Normalize(text.Replace(")", " zzfin ", StringComparison.Ordinal));
        if (normalized.Length == 0)
            return null;
        var t = normalized.Split(' ');
        var english = TextSignals.DetectLanguage(text, t) == "en";
        var num = NumberWords.ParseAll(t, english);
        for (var i = 0; i < t.Length; i++)
            num[i] ??= t[i] is "a" or "an" && english ? 1 : null;
        return Extract(t, num);
    }

    /// <summary>
    /// Ages given as an answer ("tiene 2 años", "5 y 8", "el nene tiene 8 meses", "es un bebé", "she's 2"), in months, in the
    /// order said; empty when the message gives none.
    /// </summary>
    public static IReadOnlyList<PartyChild> Ages(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Normalize(text);
        if (normalized.Length == 0)
            return [];
        var t = normalized.Split(' ');
        var english = TextSignals.DetectLanguage(text, t) == "en";
        var num = NumberWords.ParseAll(t, english);
        var ages = new List<PartyChild>();
        for (var i = 0; i < t.Length; i++)
        {
            if (BabyWords.Contains(t[i]) && !HasUnitAhead(t, num, i + 1))
            {
                ages.Add(new PartyChild(null, Baby: true));
                continue;
            }

            // A run of numbers joined by "y"/"and" ("5 y 7") is ages when one of them has a unit ("años", "meses"), the run
            // follows "tiene"/"is"/"de", or an age came before ("tiene 1 año y los otros 5 y 7"): a bare "2" is not an age (it
            // picks an option or answers another question).
            if (num[i] is not { } first || first > 17 || IsNotAge(t, i))
                continue;
            var run = new List<(int N, bool Months, bool Unit)>();
            var k = i;
            while (k < t.Length && num[k] is { } n && n <= 17 && !IsNotAge(t, k))
            {
                var unit = k + 1 < t.Length && IsUnit(t[k + 1]);
                run.Add((n, unit && MonthUnits.Contains(t[k + 1]), unit));
                k += unit ? 2 : 1;
                while (k < t.Length && IsUnit(t[k]))
                    k++;
                if (k + 1 < t.Length && AgeJoin.Contains(t[k]) && num[k + 1] is not null)
                    k++;
                else
                    break;
            }

            var led = i > 0 && t[i - 1] is "tiene" or "tienen" or "de" or "is" or "are" or "re" or "son" or "s" or "aged" or "age" or "ages" or "edad" or "edades";
            // "5 y 1" / "5 and 1" alone is a list of ages (a single bare number is not)
            var onlyAList = run.Count >= 2 && t.Length <= (2 * run.Count) + 1;
            if (led || onlyAList || run.Any(r => r.Unit) || ages.Count > 0)
            {
                ages.AddRange(run.Select(r => new PartyChild(r.Months ? r.N : r.N * 12)));
            }

            i = Math.Max(i, k - 1);
        }

        return ages;
    }

    private static bool HasUnitAhead(string[] t, int?[] num, int j)
    {
        for (var k = j; k < Math.Min(t.Length, j + 3); k++)
        {
            if (num[k] is not null)
                return true;
        }
        return false;
    }

    private static bool IsNotAge(string[] t, int i) =>
        i + 1 < t.Length && (DateExtractor.IsMonth(t[i + 1]) || IsNotPeople(t[i + 1]) || AdultWords.Contains(t[i + 1])
            || t[i + 1] is "personas" or "people" or "guests" or "pax" || (t[i + 1] is "de" or "of" && i + 2 < t.Length && DateExtractor.IsMonth(t[i + 2])));

    private static bool IsUnit(string w) => YearUnits.Contains(w) || MonthUnits.Contains(w);

    internal static Party? Extract(string[] t, int?[] num)
    {
        var children = new List<PartyChild>();
        int explicitAdults = 0;
        var partner = false;
        var speaker = false;
        var plural = false;
        int? stated = null;
        var statedAt = -1;
        var firstKidAt = -1;
        var kidsAllBabies = true;

        for (var i = 0; i < t.Length; i++)
        {
            var w = t[i];
            var prev = i > 0 ? t[i - 1] : string.Empty;
            var next = i + 1 < t.Length ? t[i + 1] : string.Empty;

            // "2 adultos", "dos adults", "un adulto"
            if (AdultWords.Contains(w) && i > 0 && num[i - 1] is { } na && na is > 0 and <= 30)
            {
                explicitAdults += na;
                continue;
            }

            if (PartnerWords.Contains(w) && (prev is "mi" or "my" or "con" or "una" or "a" or "y" or "and" or "la" or "el" || w is "pareja" or "couple" or "matrimonio"))
            {
                partner = true;
                continue;
            }

            if (w is "yo" or "voy" or "viajo" or "me" or "i" || (w == "mi" && prev is "para" or "y") || (w == "myself"))
            {
                speaker = true;
            }

            if (w is "somos" or "seriamos" or "seremos" or "vamos" or "viajamos" or "para" or "for" or "x" && stated is null)
            {
                var j = i + 1;
                if (j < t.Length && t[j] == "de")
                    j++;
                if (j < t.Length && num[j] is { } ns && ns is > 0 and <= 30 && !(j + 1 < t.Length && (IsNotPeople(t[j + 1]) || KidWords.Contains(t[j + 1]) || BabyWords.Contains(t[j + 1]) || AdultWords.Contains(t[j + 1]) || GuardedKidWords.Contains(t[j + 1]) || IsDate(t, num, j))))
                {
                    stated = ns;
                    statedAt = j;
                }
                if (w is "vamos" or "viajamos" or "somos")
                    plural = true;
            }
            else if (w is "familia" or "family" or "grupo" or "group" && i + 2 < t.Length && t[i + 1] is "de" or "of" && num[i + 2] is { } nf && nf is > 0 and <= 30 && stated is null)
            {
                stated = nf;
                statedAt = i + 2;
            }
            else if (w is "we" && next is "are" or "re" && i + 2 < t.Length && num[i + 2] is { } nw && nw is > 0 and <= 30 && stated is null)
            {
                stated = nw;
                statedAt = i + 2;
            }

            // A standalone age: "a 2 year old", "our 5-year-old", "un nene de 4" is handled with its word below.
            if (StandaloneAge(t, num, i, out var standaloneMonths, out var consumed))
            {
                var attachTo = i + consumed < t.Length ? t[i + consumed] : string.Empty;
                if (KidWords.Contains(attachTo) || BabyWords.Contains(attachTo) || GuardedKidWords.Contains(attachTo))
                {
                    // "my 5 year old son": the word is the child, with this age
                    children.Add(new PartyChild(standaloneMonths));
                    kidsAllBabies &= standaloneMonths < 36;
                    if (firstKidAt < 0)
                        firstKidAt = i;
                    i += consumed;
                    continue;
                }
                if (i == 0 || t[i - 1] is "a" or "an" or "our" or "my" or "un" or "una" or "y" or "and")
                {
                    children.Add(new PartyChild(standaloneMonths));
                    kidsAllBabies &= standaloneMonths < 36;
                    if (firstKidAt < 0)
                        firstKidAt = i;
                    i += consumed - 1;
                    continue;
                }
            }

            if (KidWords.Contains(prev) || BabyWords.Contains(prev) || GuardedKidWords.Contains(prev))
                continue;   // "un nene chiquito": the second word describes the first child

            var baby = BabyWords.Contains(w) && !(w == "baby" && next is "cot" or "crib" or "bed" or "sitter" or "sitting");
            var kid = KidWords.Contains(w) || (GuardedKidWords.Contains(w) && (KidArticles.Contains(prev) || (i > 0 && num[i - 1] is > 0 and <= 12)) && !(w is "son" or "sons" && prev is "y" or "e" or "los" or "las"));
            if (!baby && !kid)
                continue;
            if (w is "menor" or "menores" && next == "de" && i + 2 < t.Length && num[i + 2] is not null && prev is "los" or "las" or "con")
                continue;   // "los menores de 3 pagan?": a policy question, not the party

            var count = i > 0 && num[i - 1] is { } nk && nk is > 0 and <= 12 ? nk : (int?)null;
            if (count is null && i > 1 && num[i - 2] is { } nk2 && nk2 is > 0 and <= 12 && t[i - 1] is "mis" or "nuestros" or "nuestras" or "chiquitos" or "pequenos" or "little" or "small" or "young")
                count = nk2;
            var singular = !w.EndsWith('s') && w is not ("children" or "bb" or "peque");
            var ages = ReadAges(t, num, i + 1, out var end);
            if (count is null)
            {
                // "los chicos (3 y 10)": the ages say how many; a bare plural ("los nenes pagan?") names nobody in particular
                count = singular ? 1 : ages.Count >= 2 ? ages.Count : (int?)null;
            }

            if (count is null)
            {
                i = end - 1;
                continue;
            }

            if (firstKidAt < 0)
                firstKidAt = i;
            for (var k = 0; k < count; k++)
            {
                int? months = k < ages.Count ? ages[k] : null;
                if (months is { } m && m >= 18 * 12)
                {
                    explicitAdults++;   // "mi hijo de 25" is an adult
                    continue;
                }
                children.Add(new PartyChild(months, baby && months is null));
                kidsAllBabies &= baby || months < 36;
            }
            i = Math.Max(i, end - 1);
        }

        if (children.Count == 0)
            return null;

        int? adults = explicitAdults > 0 ? explicitAdults : partner ? 2 : null;
        if (adults is null && stated is { } n)
        {
            // "somos 2 y un bebé" / "2 + un nene": the number is the grown-ups and the children come on top; "somos 4 con 2
            // nenes" / "familia de 4, 2 chicos" is everyone (unless the children are babies, whom people rarely count).
            var between = statedAt >= 0 && firstKidAt > statedAt ? t.AsSpan(statedAt + 1, firstKidAt - statedAt - 1) : [];
            var adds = false;
            foreach (var b in between)
            {
                if (b is "y" or "mas" or "+" or "and" or "plus" or "e" or "pero" or "suma" or "suman" or "sumamos" or "agrega" or "agregan" or "viene" or "vienen" or "also")
                    adds = true;
            }
            adults = adds || kidsAllBabies || n <= children.Count ? n : n - children.Count;
        }
        if (adults is null && speaker && !plural)
            adults = 1;
        return new Party { Adults = adults, Children = children };
    }

    private static bool IsNotPeople(string w) =>
        w is "noche" or "noches" or "night" or "nights" or "dia" or "dias" or "days" or "day" or "semana" or "semanas" or "week" or "weeks"
            or "habitaciones" or "rooms" or "camas" or "beds" or "am" or "pm" or "hs" or "horas";

    private static bool IsDate(string[] t, int?[] num, int j) =>
        (j + 1 < t.Length && DateExtractor.IsMonth(t[j + 1]) && t[j + 1] is not ("mar" or "set" or "may"))
        || (j + 2 < t.Length && t[j + 1] is "de" or "of" && DateExtractor.IsMonth(t[j + 2]))
        || (j + 1 < t.Length && t[j + 1] is "al" or "hasta" or "to" or "-" && num.Length > j + 2 && num[j + 2] is not null);

    /// <summary>"2 year old", "2-year-old", "5yo", "8 month old", "8 meses" at <paramref name="i"/>: months and tokens used.</summary>
    private static bool StandaloneAge(string[] t, int?[] num, int i, out int months, out int consumed)
    {
        months = 0;
        consumed = 0;
        var w = t[i];
        var dash = w.Split('-');
        if (dash.Length >= 3 && NumberWords.Parse(dash[0], true) is { } dn && dash[^1] == "old")
        {
            months = dash[1].StartsWith("month", StringComparison.Ordinal) ? dn : dn * 12;
            consumed = 1;
            return dn <= 17;
        }
        if (w.Length >= 3 && w.EndsWith("yo", StringComparison.Ordinal) && int.TryParse(w.AsSpan(0, w.Length - 2), out var yo) && yo <= 17)
        {
            months = yo * 12;
            consumed = 1;
            return true;
        }
        if (num[i] is { } n && n <= 17 && i + 2 < t.Length && t[i + 2] == "old" && (YearUnits.Contains(t[i + 1]) || MonthUnits.Contains(t[i + 1])))
        {
            months = MonthUnits.Contains(t[i + 1]) ? n : n * 12;
            consumed = 3;
            return true;
        }
        return false;
    }

    /// <summary>Ages right after a child word: "de 5 y 8", "(3 y 10)", "de 8 meses", "aged 4 and 7", "de 1 año". Months each.</summary>
    private static List<int> ReadAges(string[] t, int?[] num, int j, out int end)
    {
        var ages = new List<int>();
        end = j;
        var k = j;
        while (k < t.Length && ((AgeLead.Contains(t[k]) && num[k] is null) || (t[k] is "uno" or "una" or "one" && k + 1 < t.Length && t[k + 1] is "de" or "of" or "is" or "aged")))
            k++;   // "de 5 y 8", "uno de 2 y otro de 5", "one is 4"
        while (k < t.Length)
        {
            if (num[k] is not { } n || n > 40)
                break;
            var after = k + 1 < t.Length ? t[k + 1] : string.Empty;
            if (IsDate(t, num, k) || IsNotPeople(after) || AdultWords.Contains(after) || KidWords.Contains(after) || BabyWords.Contains(after)
                || GuardedKidWords.Contains(after) || after is "personas" or "people" or "guests" or "pax" || (n > 17 && !YearUnits.Contains(after)))
                break;
            var unitMonths = MonthUnits.Contains(after);
            ages.Add(unitMonths ? n : n * 12);
            k++;
            while (k < t.Length && (IsUnit(t[k]) || t[k] is "de" && k + 1 < t.Length && IsUnit(t[k + 1])))
                k++;
            end = k;
            if (k < t.Length && AgeJoin.Contains(t[k]) && k + 1 < t.Length && num[k + 1] is not null)
            {
                k++;
                continue;
            }
            if (k + 1 < t.Length && AgeJoin.Contains(t[k]) && t[k + 1] is "otro" or "otra" or "the" && k + 2 < t.Length && t[k + 2] is "de" or "other")
            {
                k += 3;
                if (k < t.Length && t[k] is "is" or "de")
                    k++;
                continue;
            }

            // "de 1, 4 y 6": the commas are gone, so a number right after an age is the next age
            if (k < t.Length && num[k] is { } nextAge && nextAge <= 17 && ages.Count < 8)
                continue;
            break;
        }
        if (ages.Count == 0)
            end = j;
        return ages;
    }
}
