using System.Globalization;

namespace HotelAgent.Core.Analytics;

/// <summary>
/// Resolves the <c>from</c>/<c>to</c> arguments of <c>GET /api/staff/stats</c> and <c>hotel-agent stats</c>:
/// ISO dates (<c>yyyy-MM-dd</c>), both optional. Missing <c>to</c> = today in the hotel's time zone; missing
/// <c>from</c> = <c>to</c> minus <paramref name="defaultDays"/> - 1 days (the last week by default).
/// </summary>
public static class StatsRange
{
    public static (DateOnly From, DateOnly To) Resolve(string? from, string? to, DateOnly today, int defaultDays = 7)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultDays, 1);
        var end = string.IsNullOrWhiteSpace(to) ? today : Parse(to, nameof(to));
        var start = string.IsNullOrWhiteSpace(from) ? end.AddDays(-(defaultDays - 1)) : Parse(from, nameof(from));
        if (end < start)
        {
            throw new ArgumentException($"'to' ({end:yyyy-MM-dd}) is before 'from' ({start:yyyy-MM-dd}).", nameof(to));
        }

        return (start, end);
    }

    /// <summary>Today's date in the given time zone (IANA id; unknown ids fall back to UTC).</summary>
    public static DateOnly Today(TimeProvider time, string timeZoneId)
    {
        ArgumentNullException.ThrowIfNull(time);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var z) ? z : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
    }

    private static DateOnly Parse(string value, string name)
        => DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ArgumentException($"'{name}' must be a date like 2026-11-21.", name);
}
