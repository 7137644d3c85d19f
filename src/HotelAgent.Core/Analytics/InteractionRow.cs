using System.Globalization;

namespace HotelAgent.Core.Analytics;

/// <summary>
/// An <see cref="InteractionRecord"/> as both interaction logs store it: the day cut in the hotel's time zone, names
/// lower-cased, numbers clamped, amounts as invariant decimal text (summed as decimals, never as floating point).
/// </summary>
internal sealed record InteractionRow(
    string Timestamp,
    string Day,
    string ConversationId,
    string Channel,
    string Intent,
    double Confidence,
    string Outcome,
    string? BookingReference,
    string? Revenue,
    string? Currency,
    double LatencyMs)
{
    public const string DayFormat = "yyyy-MM-dd";

    public static InteractionRow From(InteractionRecord record, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.ConversationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Outcome);
        if (record.ConversationId.Contains('@', StringComparison.Ordinal) || record.ConversationId.Contains('+', StringComparison.Ordinal))
        {
            // The log must never hold contacts: conversation ids are hashes (ConversationIds.For).
            throw new ArgumentException("ConversationId looks like a raw contact; pass the hashed conversation id.", nameof(record));
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(record.Timestamp, timeZone).DateTime);
        return new InteractionRow(
            record.Timestamp.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            day.ToString(DayFormat, CultureInfo.InvariantCulture),
            record.ConversationId,
            Observability.HotelAgentMetrics.ChannelTag(record.Channel),
            Normalize(record.Intent),
            double.IsFinite(record.Confidence) ? Math.Clamp(record.Confidence, 0d, 1d) : 0d,
            Normalize(record.Outcome),
            record.BookingReference,
            record.Revenue is { } r ? r.ToString(CultureInfo.InvariantCulture) : null,
            string.IsNullOrWhiteSpace(record.Currency) ? null : record.Currency.Trim().ToUpperInvariant(),
            double.IsFinite(record.LatencyMs) ? Math.Max(0, record.LatencyMs) : 0d);
    }

    public static void ValidateRange(DateOnly from, DateOnly to, int maxRangeDays)
    {
        if (to < from)
        {
            throw new ArgumentException("'to' must not be before 'from'.", nameof(to));
        }

        var days = to.DayNumber - from.DayNumber + 1;
        if (days > maxRangeDays)
        {
            throw new ArgumentException($"The range covers {days} days; at most {maxRangeDays} are allowed.", nameof(to));
        }
    }

    public static TimeZoneInfo? TryFindTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    public static string DayText(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, DayFormat, CultureInfo.InvariantCulture);

    private static string Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? "unknown" : value.Trim().ToLowerInvariant();
}
