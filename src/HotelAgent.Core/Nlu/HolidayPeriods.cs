namespace HotelAgent.Core.Nlu;

/// <summary>
/// Named holiday periods guests book by ("el finde largo de carnaval", "semana santa", "easter weekend"). They are never turned
/// into a stay silently — whether the guest arrives on the Friday or the Saturday, and leaves on the last holiday or the day
/// after, is theirs to say — but the receptionist can tell them when the period falls this year and ask for the exact days.
/// Carnival and Holy Week move with Easter (computed, so every year is right); the rest are fixed days.
/// </summary>
internal static class HolidayPeriods
{
    /// <summary>A period: its names and its first and last holiday day.</summary>
    internal sealed record Period(string NameEs, string NameEn, DateOnly First, DateOnly Last);

    private static readonly (string[] Words, string Es, string En, Func<int, (DateOnly First, DateOnly Last)> Days)[] Known =
    [
        // Carnival Monday and Tuesday are 48 and 47 days before Easter; the long weekend starts the Saturday before.
        (["carnaval", "carnavales", "carnival"], "el finde largo de carnaval", "the Carnival long weekend",
            y => (Easter(y).AddDays(-50), Easter(y).AddDays(-47))),
        (["semana santa", "pascua", "pascuas", "easter", "holy week"], "Semana Santa", "Easter",
            y => (Easter(y).AddDays(-3), Easter(y))),
        (["navidad", "nochebuena", "christmas", "xmas"], "Navidad", "Christmas",
            y => (new DateOnly(y, 12, 24), new DateOnly(y, 12, 25))),
        (["ano nuevo", "fin de ano", "reveillon", "new year", "new years", "nye"], "Año Nuevo", "New Year",
            y => (new DateOnly(y, 12, 31), new DateOnly(y + 1, 1, 1))),
    ];

    /// <summary>The next occurrence (not yet over) of the holiday period the normalized text names, or null.</summary>
    public static Period? Find(string normalized, DateOnly today)
    {
        var padded = " " + normalized + " ";
        foreach (var (words, es, en, days) in Known)
        {
            if (!words.Any(w => padded.Contains(" " + w + " ", StringComparison.Ordinal)))
            {
                continue;
            }

            for (var y = today.Year; y <= today.Year + 1; y++)
            {
                var (first, last) = days(y);
                if (last >= today)
                {
                    return new Period(es, en, first, last);
                }
            }
        }

        return null;
    }

    /// <summary>Whether a token names a holiday (the weekend it qualifies is then not "the next weekend").</summary>
    public static bool IsHolidayWord(string token) =>
        token is "carnaval" or "carnavales" or "carnival" or "pascua" or "pascuas" or "easter" or "santa" or "navidad" or "christmas"
            or "xmas" or "feriado" or "feriados" or "puente" or "holiday" or "holidays" or "reveillon" or "nochebuena";

    /// <summary>Easter Sunday (Gregorian, anonymous algorithm).</summary>
    internal static DateOnly Easter(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
