using System.Globalization;

namespace HotelAgent.Core.Nlu;

/// <summary>
/// Finds check-in / check-out dates and the number of nights in normalized tokens, relative to "today".
/// Numeric dates are day/month (Latin American order); a date without month or year is the next one not in the past.
/// </summary>
internal static class DateExtractor
{
    private static readonly Dictionary<string, int> Months = new(StringComparer.Ordinal)
    {
        ["enero"] = 1, ["ene"] = 1, ["january"] = 1, ["jan"] = 1,
        ["febrero"] = 2, ["feb"] = 2, ["february"] = 2,
        ["marzo"] = 3, ["mar"] = 3, ["march"] = 3,
        ["abril"] = 4, ["abr"] = 4, ["april"] = 4, ["apr"] = 4,
        ["mayo"] = 5, ["may"] = 5,
        ["junio"] = 6, ["jun"] = 6, ["june"] = 6,
        ["julio"] = 7, ["jul"] = 7, ["july"] = 7,
        ["agosto"] = 8, ["ago"] = 8, ["august"] = 8, ["aug"] = 8,
        ["septiembre"] = 9, ["setiembre"] = 9, ["sept"] = 9, ["sep"] = 9, ["set"] = 9, ["september"] = 9,
        ["octubre"] = 10, ["oct"] = 10, ["october"] = 10,
        ["noviembre"] = 11, ["nov"] = 11, ["november"] = 11,
        ["diciembre"] = 12, ["dic"] = 12, ["december"] = 12, ["dec"] = 12,
    };

    private static readonly Dictionary<string, DayOfWeek> Weekdays = new(StringComparer.Ordinal)
    {
        ["lunes"] = DayOfWeek.Monday, ["martes"] = DayOfWeek.Tuesday, ["miercoles"] = DayOfWeek.Wednesday,
        ["jueves"] = DayOfWeek.Thursday, ["viernes"] = DayOfWeek.Friday, ["sabado"] = DayOfWeek.Saturday,
        ["domingo"] = DayOfWeek.Sunday, ["monday"] = DayOfWeek.Monday, ["tuesday"] = DayOfWeek.Tuesday,
        ["wednesday"] = DayOfWeek.Wednesday, ["thursday"] = DayOfWeek.Thursday, ["friday"] = DayOfWeek.Friday,
        ["saturday"] = DayOfWeek.Saturday, ["sunday"] = DayOfWeek.Sunday,
    };

    private static readonly HashSet<string> NotADayAfter = new(StringComparer.Ordinal)
    {
        "noche", "noches", "night", "nights", "nites", "persona", "personas", "adulto", "adultos", "nino", "ninos", "nina",
        "ninas", "chico", "chicos", "menor", "menores", "people", "guests", "guest", "adults", "adult", "kids", "kid",
        "children", "child", "pax", "huespedes", "dia", "dias", "days", "day", "semana", "semanas", "week", "weeks",
        "habitacion", "habitaciones", "cuarto", "cuartos", "rooms", "room", "cuadras", "blocks", "horas", "hora", "hs",
        "h", "am", "pm", "estrellas", "stars", "camas", "cama", "beds", "bed", "minutos", "min", "km", "metros", "anos",
        "meses", "mes", "pesos", "dolares", "usd", "euros", "mas", "of", "us", "amigos", "hijos", "bebes", "bebe",
        "pareja", "parejas", "familias", "pasajeros", "viajeros", "veces", "cuotas", "porciento", "%",
    };

    private static readonly HashSet<string> DayIntroducers = new(StringComparer.Ordinal)
    {
        "el", "del", "al", "hasta", "desde", "entre", "the", "on", "from", "to", "until", "till", "dia", "for", "by",
        "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    };

    private static readonly HashSet<string> CheckOutMarkers = new(StringComparer.Ordinal)
    {
        "al", "hasta", "saliendo", "salida", "salir", "salimos", "salgo", "voy", "vamos", "to", "until", "till",
        "through", "checkout", "out", "leaving", "departing", "departure", "extender", "extiendo", "-",
    };

    public static bool IsMonth(string token) => Months.ContainsKey(token);

    internal enum Kind { Calendar, Fixed, Weekday, Weekend, NextWeek }

    internal sealed class Mention
    {
        public Kind Kind { get; init; }
        public int? Year { get; set; }
        public int? Month { get; set; }
        public int Day { get; init; }
        public DateOnly Fixed { get; init; }
        public DayOfWeek Weekday { get; init; }
        public int Start { get; init; }
        public int End { get; init; }
        public bool CheckOut { get; set; }

        /// <summary>A weekend named by a holiday or a month without saying which ("el finde largo de carnaval", "un finde de enero").</summary>
        public bool Vague { get; init; }

        /// <summary>A weekend placed by an ordinal and a month ("el primer finde de enero"): its Friday.</summary>
        public DateOnly? WeekendFriday { get; init; }
    }

    /// <param name="t">Normalized tokens.</param>
    /// <param name="num">The number value of each token (or null).</param>
    /// <param name="today">The hotel's date.</param>
    /// <param name="anchor">
    /// A check-in already agreed in the conversation: day numbers without a month ("no, mejor del 11 al 13") are read in
    /// its month, moving forward (never before today), instead of the next such day after today.
    /// </param>
    public static (DateOnly? CheckIn, DateOnly? CheckOut, int? Nights) Extract(string[] t, int?[] num, DateOnly today, DateOnly? anchor = null)
    {
        var mentions = DropNegated(t, FindMentions(t, num, today), anchor);
        // "el finde largo de carnaval, del 6 al 9 de febrero": the weekend only names the explicit days
        if (mentions.Any(m => m.Kind is Kind.Calendar or Kind.Fixed))
            mentions.RemoveAll(m => m.Kind == Kind.Weekend);
        var nights = FindNights(t, num);
        PlaceWeekdaysInNextWeek(mentions);

        Mention? inM = null, outM = null;
        DateOnly? checkIn = null, checkOut = null;

        // "al 11 al 13 de enero": two departures in a row are really a range, read in order
        var calendar = mentions.Where(m => m.Kind != Kind.Weekend).ToList();
        if (calendar.Count >= 2 && calendar[0].CheckOut && calendar[1].CheckOut)
            calendar[0].CheckOut = false;

        foreach (var m in mentions)
        {
            if (m.Kind == Kind.Weekend)
            {
                if (m.Vague)
                    continue; // never guessed: the dialog asks for the exact days
                if (inM is null && checkIn is null)
                {
                    checkIn = m.WeekendFriday ?? NextWeekday(today, DayOfWeek.Friday);
                    checkOut = checkIn.Value.AddDays(2);
                    inM = m;
                    outM = m;
                }
                continue;
            }
            if (m.CheckOut && outM is null)
                outM = m;
            else if (inM is null)
                inM = m;
            else if (outM is null)
                outM = m;
        }

        // a month named on its own ("en enero, del 15 al 20") applies to day-only mentions
        if (FindContextMonth(t, mentions) is { } contextMonth)
        {
            foreach (var m in mentions)
            {
                if (m.Kind == Kind.Calendar && m.Month is null)
                    m.Month = contextMonth;
            }
        }

        if (inM is not null && inM.Kind != Kind.Weekend && outM is not null && outM.Kind != Kind.Weekend
            && inM.Kind == Kind.Calendar && outM.Kind == Kind.Calendar)
        {
            // month propagation: "10 al 13 de diciembre", "del 10 de diciembre al 15"
            if (inM.Month is null && outM.Month is not null)
            {
                inM.Month = inM.Day > outM.Day ? (outM.Month == 1 ? 12 : outM.Month - 1) : outM.Month;
                inM.Year = outM.Year is null ? null : (inM.Day > outM.Day && outM.Month == 1 ? outM.Year - 1 : outM.Year);
            }
        }

        if (inM is not null && inM.Kind != Kind.Weekend)
        {
            checkIn = anchor is { } a && inM.Kind == Kind.Calendar && inM.Month is null && inM.Year is null
                ? ResolveInMonthOf(inM.Day, a, today)
                : Resolve(inM, today, strictlyAfter: false);
        }
        else if (inM is null && outM is { Kind: Kind.Calendar, Month: null, Year: null } && anchor is { } a2)
        {
            // only a departure day ("hasta el 14") while a check-in is agreed: the first such day after that check-in
            checkOut = Resolve(outM, a2, strictlyAfter: true);
            outM = null;
        }
        if (outM is not null && outM.Kind != Kind.Weekend)
        {
            checkOut = Resolve(outM, checkIn ?? today, strictlyAfter: true);
        }

        if (checkIn is not null && checkOut is not null && checkOut <= checkIn)
            checkOut = null;
        if (checkIn is not null && checkOut is null && nights is > 0)
            checkOut = checkIn.Value.AddDays(nights.Value);
        else if (checkIn is null && checkOut is not null && nights is > 0)
            checkIn = checkOut.Value.AddDays(-nights.Value);
        if (checkIn is not null && checkOut is not null)
            nights = checkOut.Value.DayNumber - checkIn.Value.DayNumber;
        return (checkIn, checkOut, nights);
    }

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal) { "no", "not", "nope", "ni" };

    private static readonly HashSet<string> Contrasts = new(StringComparer.Ordinal) { "sino", "but", "instead", "mejor" };

    /// <summary>
    /// A date the guest names only to take it back is not part of the stay: "llegamos el 21, no el 20" and
    /// "the 21st, not the 20th" keep 21 only; "no el 20 sino el 21" too. A lone mention is never dropped, because
    /// punctuation is gone by now and "no, del 11 al 13" must still read 11–13. For the same reason "el 20 no, el 21" reads
    /// like "el 20, no el 21": when a check-in is on the table, the date equal to it is the one taken back.
    /// </summary>
    private static List<Mention> DropNegated(string[] t, List<Mention> mentions, DateOnly? anchor)
    {
        if (mentions.Count < 2)
            return mentions;
        var kept = new List<Mention>(mentions.Count);
        for (var k = 0; k < mentions.Count; k++)
        {
            var m = mentions[k];
            if (!NegatedAt(t, m.Start))
            {
                kept.Add(m);
                continue;
            }
            if (k > 0 && kept.Count > 0 && anchor is { } a && IsDayOf(kept[^1], a) && !IsDayOf(m, a))
            {
                // "el 20 no, el 21" with the 20th agreed: the earlier date is the one taken back
                kept.RemoveAt(kept.Count - 1);
                kept.Add(m);
                continue;
            }
            // a later date after "no" is the one replaced; the first date after "no" only when a contrast follows it;
            // "en vez del 14" / "instead of the 14th" always names the date replaced
            var replaced = k > 0 || ReplacedAt(t, m.Start) || Enumerable.Range(m.End, Math.Max(0, mentions[k + 1].Start - m.End)).Any(i => Contrasts.Contains(t[i]));
            if (!replaced)
                kept.Add(m);
        }
        return kept.Count > 0 ? kept : mentions;
    }

    private static bool IsDayOf(Mention m, DateOnly date) =>
        m.Kind == Kind.Calendar && m.Day == date.Day && (m.Month is null || m.Month == date.Month);

    private static bool NegatedAt(string[] t, int start) =>
        BeforeArticle(t, start) is var i && i >= 0 && (Negations.Contains(t[i]) || ReplacedAt(t, start));

    /// <summary>"en vez del 14", "en lugar del 14", "instead of the 14th", "rather than the 14th".</summary>
    private static bool ReplacedAt(string[] t, int start)
    {
        var i = BeforeArticle(t, start);
        if (i >= 0 && t[i] is "de" or "of")
            i--;
        return i >= 1 && ((t[i] is "vez" or "lugar" && t[i - 1] == "en") || (t[i] == "than" && t[i - 1] == "rather"))
            || (i >= 0 && t[i] == "instead");
    }

    private static int BeforeArticle(string[] t, int start)
    {
        var i = start - 1;
        if (i >= 0 && i < t.Length && t[i] is "el" or "la" or "del" or "para" or "the" or "on" or "a" or "al")
            i--;
        return i;
    }

    internal static List<Mention> FindMentions(string[] t, int?[] num, DateOnly today)
    {
        var list = new List<Mention>();
        var i = 0;
        while (i < t.Length)
        {
            var m = TryAt(t, num, i, today, list.Count > 0);
            if (m is null)
            {
                i++;
                continue;
            }
            m.CheckOut = IsCheckOutContext(t, m.Start, list.Count > 0);
            list.Add(m);
            i = m.End;
        }
        return list;
    }

    private static bool IsCheckOutContext(string[] t, int start, bool hasPrevious)
    {
        for (var k = start - 1; k >= Math.Max(0, start - 2); k--)
        {
            var w = t[k];
            if (w is "al" && k > 0 && t[k - 1] is "llegada" or "entrada" or "ingreso" or "arrival" or "checkin")
                return false;
            if (w is "al" or "a" or "to" or "para" && !hasPrevious && MovesTheStay(t, k))
                return false;
            if (CheckOutMarkers.Contains(w))
            {
                if (w is "to" or "-" && !hasPrevious)
                    continue;
                if (w == "voy" && !(k > 0 && t[k - 1] == "me"))
                    continue;
                if (w == "vamos" && !(k > 0 && t[k - 1] == "nos"))
                    continue;
                return true;
            }
            if (hasPrevious && w is "a" or "y" or "and")
                return true;
            if (w is "del" or "desde" or "entrando" or "llegando" or "llego" or "llegamos" or "from" or "entre" or "between" or "arriving")
                return false;
        }
        return false;
    }

    private static Mention? TryAt(string[] t, int?[] num, int i, DateOnly today, bool hasPrevious)
    {
        var w = t[i];
        // ISO 2026-12-15
        if (w.Length >= 8 && char.IsAsciiDigit(w[0]) && w.Count(c => c == '-') == 2)
        {
            var p = w.Split('-');
            if (p[0].Length == 4 && int.TryParse(p[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
                && int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mo)
                && int.TryParse(p[2], NumberStyles.None, CultureInfo.InvariantCulture, out var d) && IsValid(y, mo, d))
                return new Mention { Kind = Kind.Calendar, Year = y, Month = mo, Day = d, Start = i, End = i + 1 };
        }
        // d/m or d/m/y (never m/d unless d/m is impossible)
        if (w.Contains('/', StringComparison.Ordinal) && char.IsAsciiDigit(w[0]))
        {
            var p = w.Split('/');
            if (p.Length is 2 or 3 && p.All(x => x.Length is > 0 and <= 4 && x.All(char.IsAsciiDigit)))
            {
                var a = int.Parse(p[0], CultureInfo.InvariantCulture);
                var b = int.Parse(p[1], CultureInfo.InvariantCulture);
                int? y = p.Length == 3 ? int.Parse(p[2], CultureInfo.InvariantCulture) : null;
                if (y is < 100)
                    y += 2000;
                var (d, mo) = b <= 12 ? (a, b) : (b, a);
                if (mo is >= 1 and <= 12 && d is >= 1 and <= 31 && IsValid(y ?? 2028, mo, d))
                    return new Mention { Kind = Kind.Calendar, Year = y, Month = mo, Day = d, Start = i, End = i + 1 };
            }
        }
        // relative words
        switch (w)
        {
            case "hoy" or "today" or "tonight":
                return Fixed(today, i, i + 1);
            case "esta" or "this" when i + 1 < t.Length && t[i + 1] is "noche" or "night" or "nochecita":
                return Fixed(today, i, i + 2);
            case "pasado" when i + 1 < t.Length && t[i + 1] == "manana":
                return Fixed(today.AddDays(2), i, i + 2);
            case "manana" when IsFarewell(t, i):
                return null;
            // "de mañana" is "in the morning" ("llego de mañana"), except when a span follows: "de mañana a 3 noches", "de mañana al 25"
            case "manana" when !(i > 0 && (t[i - 1] is "la" or "por" or "esta" or "cada" or "pasado"
                                   || (t[i - 1] == "de" && !(i + 1 < t.Length && t[i + 1] is "a" or "al" or "hasta" or "por" or "x")))):
                return Fixed(today.AddDays(1), i, i + 1);
            case "day" when i + 2 < t.Length && t[i + 1] == "after" && t[i + 2] == "tomorrow":
                return Fixed(today.AddDays(2), i, i + 3);
            case "tomorrow":
                return Fixed(today.AddDays(1), i, i + 1);
            case "finde" or "weekend":
                return Weekend(t, i, i + 1, today);
            case "fin" when i + 2 < t.Length && t[i + 1] == "de" && t[i + 2] == "semana":
                return Weekend(t, i, i + 3, today);
            case "semana" when i + 2 < t.Length && t[i + 1] == "que" && t[i + 2] == "viene":
                return new Mention { Kind = Kind.NextWeek, Fixed = NextWeekday(today, DayOfWeek.Monday), Start = i, End = i + 3 };
            case "proxima" when i + 1 < t.Length && t[i + 1] == "semana":
                return new Mention { Kind = Kind.NextWeek, Fixed = NextWeekday(today, DayOfWeek.Monday), Start = i, End = i + 2 };
            case "semana" when i + 1 < t.Length && t[i + 1] is "proxima" or "entrante":
                return new Mention { Kind = Kind.NextWeek, Fixed = NextWeekday(today, DayOfWeek.Monday), Start = i, End = i + 2 };
            case "next" when i + 1 < t.Length && t[i + 1] == "week":
                return new Mention { Kind = Kind.NextWeek, Fixed = NextWeekday(today, DayOfWeek.Monday), Start = i, End = i + 2 };
        }
        // "el lunes 8": the day number decides, the weekday only introduces it
        if (Weekdays.TryGetValue(w, out var dow) && !(i + 1 < t.Length && num[i + 1] is >= 1 and <= 31 && !FollowedByUnit(t, i + 1)))
            return new Mention { Kind = Kind.Weekday, Weekday = dow, Start = i, End = i + 1 };

        // month day [year]: "december 15", "diciembre 15", "jan 3rd, 2027"
        if (Months.TryGetValue(w, out var month) && !(w is "mar" or "set" or "may" && !NextIsDay(t, num, i + 1)))
        {
            var j = i + 1;
            if (j < t.Length && t[j] == "the")
                j++;
            if (j < t.Length && num[j] is { } d && d is >= 1 and <= 31 && !FollowedByUnit(t, j))
            {
                var m = new Mention { Kind = Kind.Calendar, Month = month, Day = d, Start = i, End = j + 1 };
                ReadYear(t, num, m, j + 1);
                return m;
            }
        }
        // day [de|of] month [de year]: "15 de diciembre", "15 dic", "15th of december"
        if (num[i] is { } day && day is >= 1 and <= 31)
        {
            var j = i + 1;
            // "7 d enero": a clipped "de" is still "de"
            if (j < t.Length && t[j] is "de" or "of" or "d")
                j++;
            // "room for 1, dec 12-14" / "para 2, dic 20": a party size, then a month with its own day (that month-day wins).
            var partyThenMonthDay = i > 0 && t[i - 1] is "for" or "para" or "x" && j == i + 1 && NextIsDay(t, num, j + 1);
            if (j < t.Length && Months.TryGetValue(t[j], out var mo2) && !(t[j] is "mar" or "set" && j == i + 1) && !partyThenMonthDay)
            {
                var m = new Mention { Kind = Kind.Calendar, Month = mo2, Day = day, Start = i, End = j + 1 };
                ReadYear(t, num, m, j + 1);
                return m;
            }
            // bare day: "el 15", "del 10 al 15", "10 al 13 de diciembre", "the 20th"
            // number words count too ("del veinte al veintidós"), except "un/uno/una" (articles, "la una")
            if (!FollowedByUnit(t, i) && (t[i].Length <= 4 || !t[i].Any(char.IsAsciiDigit)) && t[i] is not ("un" or "uno" or "una" or "one"))
            {
                var introduced = i > 0 && (DayIntroducers.Contains(t[i - 1]) || (hasPrevious && t[i - 1] is "a" or "y" or "and" or "-"));
                var startsRange = i + 2 < t.Length && t[i + 1] is "al" or "a" or "to" or "-" && num[i + 2] is >= 1 and <= 31;
                var ordinalForm = !t[i].All(char.IsAsciiDigit) && t[i][^1] is 'h' or 't' or 'd';
                var notGuests = !(i > 0 && t[i - 1] == "for" && !ordinalForm);
                if ((introduced || startsRange || (ordinalForm && i > 0 && t[i - 1] == "the")) && notGuests)
                    return new Mention { Kind = Kind.Calendar, Day = day, Start = i, End = i + 1 };
            }
        }
        return null;
    }

    private static readonly Dictionary<string, int> Ordinals = new(StringComparer.Ordinal)
    {
        ["primer"] = 1, ["primero"] = 1, ["1er"] = 1, ["1ro"] = 1, ["first"] = 1, ["1st"] = 1,
        ["segundo"] = 2, ["2do"] = 2, ["second"] = 2, ["2nd"] = 2,
        ["tercer"] = 3, ["tercero"] = 3, ["3er"] = 3, ["3ro"] = 3, ["third"] = 3, ["3rd"] = 3,
        ["cuarto"] = 4, ["4to"] = 4, ["fourth"] = 4, ["4th"] = 4,
        ["ultimo"] = -1, ["last"] = -1,
    };

    /// <summary>
    /// A weekend, read with what qualifies it: plain ("el finde") is the next one; "el primer finde de enero" is that
    /// weekend of that month; one named by a holiday or a month alone ("el finde largo de carnaval", "easter weekend",
    /// "un finde de enero") is vague — never silently the next weekend.
    /// </summary>
    private static Mention Weekend(string[] t, int start, int end, DateOnly today)
    {
        var after = end;
        if (after < t.Length && t[after] is "largo" or "long")
            after++;
        int? month = null;
        var vague = false;
        if (after + 1 < t.Length && t[after] is "de" or "del" or "of" or "en" or "in")
        {
            if (Months.TryGetValue(t[after + 1], out var mo) && t[after + 1] is not ("mar" or "set" or "may"))
            {
                month = mo;
                end = after + 2;
            }
            else if (HolidayPeriods.IsHolidayWord(t[after + 1]) || (t[after + 1] == "semana" && after + 2 < t.Length && t[after + 2] == "santa")
                || (t[after + 1] is "ano" && after + 2 < t.Length && t[after + 2] == "nuevo"))
            {
                vague = true;
            }
        }
        var before = start - 1;
        if (before >= 0 && t[before] is "largo" or "long")
            before--;
        if (before >= 0 && HolidayPeriods.IsHolidayWord(t[before]))
            vague = true; // "easter weekend", "carnival long weekend"
        if (before >= 0 && t[before] is "el" or "the" or "un" or "a")
            before--;
        var ordinal = before >= 0 && Ordinals.TryGetValue(t[before], out var o) ? o : (int?)null;
        if (month is { } mth && !vague)
        {
            if (ordinal is not { } n)
                return new Mention { Kind = Kind.Weekend, Vague = true, Start = start, End = end };
            return new Mention { Kind = Kind.Weekend, WeekendFriday = NthWeekendFriday(mth, n, today), Start = start, End = end };
        }
        return new Mention { Kind = Kind.Weekend, Vague = vague, Start = start, End = end };
    }

    /// <summary>The Friday before the n-th (or last, n = -1) Saturday of the month, the next time it is not past.</summary>
    private static DateOnly NthWeekendFriday(int month, int n, DateOnly today)
    {
        for (var y = today.Year; ; y++)
        {
            var days = DateTime.DaysInMonth(y, month);
            var saturdays = Enumerable.Range(1, days).Select(d => new DateOnly(y, month, d)).Where(d => d.DayOfWeek == DayOfWeek.Saturday).ToList();
            var sat = n == -1 ? saturdays[^1] : saturdays[Math.Min(n, saturdays.Count) - 1];
            if (sat.AddDays(-1) >= today)
                return sat.AddDays(-1);
        }
    }

    private static bool StayVerbBefore(string[] t, int i)
    {
        for (var k = Math.Max(0, i - 4); k < i; k++)
        {
            if (t[k] is "quedar" or "quedarme" or "quedarnos" or "quedamos" or "quedo" or "quedaria" or "quedariamos" or "stay"
                or "staying" or "hospedarme" or "hospedarnos" or "alojarme" or "alojarnos")
                return true;
        }
        return false;
    }

    private static readonly HashSet<string> MoveVerbs = new(StringComparer.Ordinal)
    {
        "pasar", "pasa", "pasame", "pasala", "pasamela", "paso", "pasen", "mover", "move", "movela", "movemela", "moverla", "cambiar",
        "cambia", "cambiala", "cambiamela", "cambiame", "cambio", "cambien", "correr", "corre", "correla", "corremela", "trasladar",
        "traslada", "postergar", "posterga", "reprogramar", "reprograma", "adelantar", "adelanta", "atrasar", "atrasa", "mudar",
        "change", "reschedule", "shift", "push", "switch", "modificar", "modifica",
    };

    /// <summary>
    /// "pasar la reserva al 20 de enero", "movela al 3", "change my booking to jan 9": the date the stay moves to is its new
    /// check-in (not a departure), unless the guest names the departure ("cambiar la salida al 15").
    /// </summary>
    private static bool MovesTheStay(string[] t, int markerIndex)
    {
        for (var k = markerIndex - 1; k >= Math.Max(0, markerIndex - 5); k--)
        {
            if (t[k] is "salida" or "checkout" or "out" or "egreso" or "partida" or "departure" or "extender" or "extiendo" or "hasta")
                return false;
            if (IsMoveVerb(t[k]))
                return true;
        }
        return false;
    }

    /// <summary>A move verb, also with a pronoun attached: "pasarla", "correrla", "adelantarla", "postergarlo".</summary>
    private static bool IsMoveVerb(string w)
    {
        if (MoveVerbs.Contains(w))
            return true;
        foreach (var clitic in (ReadOnlySpan<string>)["la", "lo", "las", "los", "me", "nos"])
        {
            if (w.Length > clitic.Length + 3 && w.EndsWith(clitic, StringComparison.Ordinal) && w[^(clitic.Length + 1)] == 'r'
                && MoveVerbs.Contains(w[..^clitic.Length]))
                return true;
        }
        return false;
    }

    /// <summary>"gracias, hasta mañana" closes a conversation; "me quedo hasta mañana" does not.</summary>
    private static bool IsFarewell(string[] t, int i)
    {
        if (i == 0 || t[i - 1] != "hasta" || i != t.Length - 1)
            return false;
        foreach (var w in t)
        {
            if (w is "quedo" or "quedamos" or "quedarme" or "quedarnos" or "extender" or "extiendo" or "reserva" or "reservar"
                or "noche" or "noches" or "desde" or "del" or "hay" or "lugar" or "disponible" or "habitacion")
                return false;
        }
        return true;
    }

    private static int? FindContextMonth(string[] t, List<Mention> mentions)
    {
        for (var i = 1; i < t.Length; i++)
        {
            if (t[i - 1] is not ("en" or "in" or "para" or "de" or "durante" or "during") || !Months.TryGetValue(t[i], out var month)
                || t[i] is "mar" or "set" or "may" or "jun" or "ene" or "sep" or "dic" or "ago" or "oct" or "nov" or "abr" or "feb" or "jul")
                continue;
            var consumed = false;
            foreach (var m in mentions)
                consumed |= i >= m.Start && i < m.End;
            if (!consumed)
                return month;
        }
        return null;
    }

    private static bool NextIsDay(string[] t, int?[] num, int j) =>
        (j < t.Length && num[j] is >= 1 and <= 31) || (j + 1 < t.Length && t[j] == "the" && num[j + 1] is >= 1 and <= 31);

    private static bool FollowedByUnit(string[] t, int i) => i + 1 < t.Length && NotADayAfter.Contains(t[i + 1]);

    private static void ReadYear(string[] t, int?[] num, Mention m, int j)
    {
        if (j < t.Length && t[j] is "de" or "del" && j + 1 < t.Length)
            j++;
        if (j < t.Length && t[j].Length == 4 && num[j] is >= 2000 and <= 2100)
            m.Year = num[j];
    }

    private static Mention Fixed(DateOnly d, int start, int end) => new() { Kind = Kind.Fixed, Fixed = d, Start = start, End = end };

    private static bool IsValid(int y, int m, int d) => m is >= 1 and <= 12 && y is >= 1 and <= 9999 && d >= 1 && d <= DateTime.DaysInMonth(y, m);

    /// <summary>
    /// "la semana que viene, del lunes al jueves": weekdays said together with "next week" are the days of that week,
    /// and "next week" itself is then no separate date.
    /// </summary>
    private static void PlaceWeekdaysInNextWeek(List<Mention> mentions)
    {
        var week = mentions.FirstOrDefault(m => m.Kind == Kind.NextWeek);
        if (week is null || !mentions.Any(m => m.Kind == Kind.Weekday))
            return;
        var monday = week.Fixed;
        for (var i = 0; i < mentions.Count; i++)
        {
            var m = mentions[i];
            if (m.Kind != Kind.Weekday)
                continue;
            var offset = ((int)m.Weekday + 6) % 7; // Monday = 0 ... Sunday = 6
            mentions[i] = new Mention { Kind = Kind.Fixed, Fixed = monday.AddDays(offset), Start = m.Start, End = m.End, CheckOut = m.CheckOut };
        }
        mentions.Remove(week);
    }

    /// <summary>
    /// Day <paramref name="day"/> nearest to <paramref name="anchor"/> (its month, the one before or the one after; never before
    /// today): with 10–12 January on the table "del 11" is 11 January; with 28 January–1 February "del 3" is 3 February; with
    /// 27 December "del 2" is 2 January.
    /// </summary>
    private static DateOnly? ResolveInMonthOf(int day, DateOnly anchor, DateOnly today)
    {
        DateOnly? best = null;
        var month = new DateOnly(anchor.Year, anchor.Month, 1);
        foreach (var m in new[] { month.AddMonths(-1), month, month.AddMonths(1) })
        {
            if (!IsValid(m.Year, m.Month, day))
                continue;
            var candidate = new DateOnly(m.Year, m.Month, day);
            if (candidate < today)
                continue;
            if (best is null || Math.Abs(candidate.DayNumber - anchor.DayNumber) < Math.Abs(best.Value.DayNumber - anchor.DayNumber))
                best = candidate;
        }
        if (best is not null)
            return best;
        var cursor = month;
        for (var k = 0; k < 14; k++, cursor = cursor.AddMonths(1))
        {
            if (IsValid(cursor.Year, cursor.Month, day) && new DateOnly(cursor.Year, cursor.Month, day) >= today)
                return new DateOnly(cursor.Year, cursor.Month, day);
        }
        return null;
    }

    /// <summary>The next given weekday strictly after <paramref name="from"/>.</summary>
    public static DateOnly NextWeekday(DateOnly from, DayOfWeek dow)
    {
        var delta = ((int)dow - (int)from.DayOfWeek + 7) % 7;
        return from.AddDays(delta == 0 ? 7 : delta);
    }

    /// <summary>Resolves a mention to the first matching date on/after <paramref name="anchor"/> (strictly after when asked).</summary>
    internal static DateOnly? Resolve(Mention m, DateOnly anchor, bool strictlyAfter)
    {
        var min = strictlyAfter ? anchor.AddDays(1) : anchor;
        switch (m.Kind)
        {
            case Kind.Fixed:
            case Kind.NextWeek:
                return m.Fixed;
            case Kind.Weekday:
                return NextWeekday(anchor, m.Weekday);
            case Kind.Calendar:
                if (m.Year is { } y && m.Month is { } mo)
                    return IsValid(y, mo, m.Day) ? new DateOnly(y, mo, m.Day) : null;
                if (m.Month is { } month)
                {
                    for (var year = min.Year; year <= min.Year + 8; year++)
                    {
                        if (IsValid(year, month, m.Day) && new DateOnly(year, month, m.Day) >= min)
                            return new DateOnly(year, month, m.Day);
                    }
                    return null;
                }
                var cursor = new DateOnly(min.Year, min.Month, 1);
                for (var k = 0; k < 14; k++, cursor = cursor.AddMonths(1))
                {
                    if (IsValid(cursor.Year, cursor.Month, m.Day) && new DateOnly(cursor.Year, cursor.Month, m.Day) >= min)
                        return new DateOnly(cursor.Year, cursor.Month, m.Day);
                }
                return null;
            default:
                return null;
        }
    }

    /// <summary>"3 noches", "por dos noches", "una semana" (= 7), "2 weeks", "por 3 días".</summary>
    internal static int? FindNights(string[] t, int?[] num)
    {
        for (var i = 0; i + 1 < t.Length; i++)
        {
            if (num[i] is not { } n || n <= 0 || n > 60)
                continue;
            var unitIndex = i + 1;
            // "una noche más", "una sola noche", "1 noche nomás"
            while (t[unitIndex] is "mas" or "more" or "sola" or "solita" or "solamente" or "unica" or "single" && unitIndex + 1 < t.Length)
                unitIndex++;
            var unit = t[unitIndex];
            // "con una semana de anticipación", "2 days before": a notice period, not a stay
            if (unitIndex + 1 < t.Length && t[unitIndex + 1] is "antes" or "before" or "prior" or "ahead"
                || (unitIndex + 2 < t.Length && t[unitIndex + 1] is "de" or "in" && t[unitIndex + 2] is "anticipacion" or "antelacion" or "advance"))
                continue;
            if (unit is "noche" or "noches" or "night" or "nights" or "nites" or "nochecitas")
            {
                // "en vez de 2 noches son 3", "instead of 2 nights, 3": the nights named are the ones replaced
                if (ReplacedAt(t, i))
                {
                    for (var k = unitIndex + 1; k < t.Length; k++)
                    {
                        if (num[k] is { } m && m is > 0 and <= 60 && !(k + 1 < t.Length && NotADayAfter.Contains(t[k + 1]) && t[k + 1] is not ("noche" or "noches" or "night" or "nights")))
                            return m;
                    }
                    continue;
                }
                return n;
            }
            if (unit is "semana" or "semanas" or "week" or "weeks" && !(i + 2 < t.Length && t[i + 2] is "que" or "proxima"))
                return n * 7;
            if (unit is "dias" or "days" && ((i > 0 && t[i - 1] is "por" or "for" or "durante") || StayVerbBefore(t, i)))
                return n;
        }
        return null;
    }
}
