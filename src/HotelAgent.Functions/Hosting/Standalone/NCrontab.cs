using System.Globalization;

namespace HotelAgent.Functions.Hosting.Standalone;

/// <summary>
/// A six-field NCRONTAB schedule (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>), the format of
/// Azure Functions timer triggers, so the standalone host honours the same schedule settings. Supports
/// <c>*</c>, numbers, ranges <c>a-b</c>, lists <c>a,b</c> and steps <c>*/n</c> or <c>a-b/n</c>.
/// </summary>
public sealed class NCrontab
{
    private readonly bool[] _seconds, _minutes, _hours, _days, _months, _weekdays;
    private readonly bool _dayRestricted, _weekdayRestricted;

    private NCrontab(string[] fields)
    {
        _seconds = ParseField(fields[0], 0, 59);
        _minutes = ParseField(fields[1], 0, 59);
        _hours = ParseField(fields[2], 0, 23);
        _days = ParseField(fields[3], 1, 31);
        _months = ParseField(fields[4], 1, 12);
        // 0 and 7 are both Sunday: parse 0-7 (so ranges such as 5-7 work) and fold 7 onto 0.
        var weekdays = ParseField(fields[5], 0, 7);
        weekdays[0] |= weekdays[7];
        _weekdays = weekdays[..7];
        _dayRestricted = fields[3] != "*";
        _weekdayRestricted = fields[5] != "*";
    }

    /// <exception cref="FormatException">Not a valid six-field expression.</exception>
    public static NCrontab Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"'{expression}' is not a six-field NCRONTAB expression (second minute hour day month day-of-week).");
        }

        return new NCrontab(fields);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC, second precision).</summary>
    public DateTime NextAfter(DateTime after)
    {
        var t = new DateTime(after.Year, after.Month, after.Day, after.Hour, after.Minute, after.Second, DateTimeKind.Utc).AddSeconds(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_months[t.Month]) { t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1); continue; }
            if (!DayMatches(t)) { t = t.Date.AddDays(1); continue; }
            if (!_hours[t.Hour]) { t = t.Date.AddHours(t.Hour + 1); continue; }
            if (!_minutes[t.Minute]) { t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1); continue; }
            if (!_seconds[t.Second]) { t = t.AddSeconds(1); continue; }
            return t;
        }

        throw new InvalidOperationException("The schedule has no occurrence in the next five years.");
    }

    private bool DayMatches(DateTime t)
    {
        var day = _days[t.Day];
        var weekday = _weekdays[(int)t.DayOfWeek];
        return _dayRestricted && _weekdayRestricted ? day || weekday : day && weekday;
    }

    private static bool[] ParseField(string field, int min, int max)
    {
        var allowed = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var step = 1;
            var range = part;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                step = ParseNumber(part[(slash + 1)..], 1, max);
                range = part[..slash];
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Contains('-', StringComparison.Ordinal))
            {
                var bounds = range.Split('-');
                if (bounds.Length != 2)
                {
                    throw new FormatException($"'{range}' is not a range a-b.");
                }

                (from, to) = (ParseNumber(bounds[0], min, max), ParseNumber(bounds[1], min, max));
                if (from > to)
                {
                    throw new FormatException($"'{range}' is an empty range.");
                }
            }
            else
            {
                from = ParseNumber(range, min, max);
                to = slash >= 0 ? max : from;
            }

            for (var v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }

        return allowed;
    }

    private static int ParseNumber(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"'{text}' is not a number between {min} and {max}.");
}
