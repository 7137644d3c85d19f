using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Analytics;

/// <summary>Outcome names stored in the interaction log (lower-case, stable: analysts query them).</summary>
public static class InteractionOutcomes
{
    public const string Answered = "answered";
    public const string Clarified = "clarified";
    public const string Fallback = "fallback";
    public const string Booked = "booked";
    public const string Modified = "modified";
    public const string Cancelled = "cancelled";
    public const string Handoff = "handoff";
    public const string RateLimited = "rate_limited";
    public const string Duplicate = "duplicate";

    public static readonly IReadOnlyList<string> All =
        [Answered, Clarified, Fallback, Booked, Modified, Cancelled, Handoff, RateLimited, Duplicate];
}

/// <summary>
/// One handled guest message, as recorded for statistics. Deliberately holds no message body and no
/// contact: <see cref="ConversationId"/> is a hash (see <see cref="ConversationIds"/>).
/// </summary>
/// <param name="Timestamp">When the message was handled.</param>
/// <param name="ConversationId">The PII-free conversation id.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Intent">Detected intent name (e.g. <c>availability</c>); null or empty is stored as <c>unknown</c>.</param>
/// <param name="Confidence">NLU confidence 0..1.</param>
/// <param name="Outcome">One of <see cref="InteractionOutcomes"/> (other lower-case names are accepted).</param>
/// <param name="LatencyMs">Time from receipt to reply, in milliseconds.</param>
public sealed record InteractionRecord(
    DateTimeOffset Timestamp,
    string ConversationId,
    Channel Channel,
    string? Intent,
    double Confidence,
    string Outcome,
    double LatencyMs)
{
    /// <summary>The booking reference when the outcome created, modified or cancelled a booking.</summary>
    public string? BookingReference { get; init; }

    /// <summary>Booking amount (only for <see cref="InteractionOutcomes.Booked"/>).</summary>
    public decimal? Revenue { get; init; }

    /// <summary>ISO 4217 currency of <see cref="Revenue"/>.</summary>
    public string? Currency { get; init; }
}

/// <summary>Statistics for one day (in the configured analytics time zone).</summary>
/// <param name="Date">The day.</param>
/// <param name="Messages">Recorded interactions (duplicates excluded).</param>
/// <param name="Conversations">Distinct conversations with at least one interaction.</param>
/// <param name="ByIntent">Interaction count per intent.</param>
/// <param name="Bookings">Interactions with outcome <c>booked</c> (bookings made, live or cancelled since).</param>
/// <param name="Conversions">Conversations with a booking divided by conversations (0 when none).</param>
/// <param name="Handoffs">Interactions with outcome <c>handoff</c>.</param>
/// <param name="HandoffRate">Conversations handed off divided by conversations (0 when none).</param>
/// <param name="Revenue">Sum of the live bookings' latest amounts over all currencies (meaningful with a single currency); cancelled bookings are in <see cref="CancelledRevenue"/>.</param>
/// <param name="RevenueByCurrency">The same per currency.</param>
/// <param name="Duplicates">Messages dropped as duplicates.</param>
/// <param name="RateLimited">Messages refused by the rate limit.</param>
/// <param name="AverageLatencyMs">Mean reply latency of answered interactions (0 when none).</param>
public sealed record DailyInteractionStats(
    DateOnly Date,
    int Messages,
    int Conversations,
    IReadOnlyDictionary<string, int> ByIntent,
    int Bookings,
    double Conversions,
    int Handoffs,
    double HandoffRate,
    decimal Revenue,
    IReadOnlyDictionary<string, decimal> RevenueByCurrency,
    int Duplicates,
    int RateLimited,
    double AverageLatencyMs)
{
    /// <summary>Bookings made that day that were cancelled since (through HotelAgent).</summary>
    public int CancelledBookings { get; init; }

    /// <summary>What those cancelled bookings were worth (not in <see cref="Revenue"/>).</summary>
    public decimal CancelledRevenue { get; init; }

    public IReadOnlyDictionary<string, decimal> CancelledRevenueByCurrency { get; init; } = new Dictionary<string, decimal>();
}

/// <summary>Totals over a day range (see <see cref="DailyInteractionStats"/> for the field definitions).</summary>
public sealed record InteractionTotals(
    DateOnly From,
    DateOnly To,
    int Messages,
    int Conversations,
    IReadOnlyDictionary<string, int> ByIntent,
    int Bookings,
    double Conversions,
    int Handoffs,
    double HandoffRate,
    decimal Revenue,
    IReadOnlyDictionary<string, decimal> RevenueByCurrency,
    int Duplicates,
    int RateLimited,
    double AverageLatencyMs)
{
    public int CancelledBookings { get; init; }

    public decimal CancelledRevenue { get; init; }

    public IReadOnlyDictionary<string, decimal> CancelledRevenueByCurrency { get; init; } = new Dictionary<string, decimal>();
}

/// <summary>The interaction log: a small analytics store queried by staff (<c>GET /api/staff/stats</c>, <c>hotel-agent stats</c>).</summary>
public interface IInteractionLog
{
    Task RecordAsync(InteractionRecord record, CancellationToken cancellationToken = default);

    /// <summary>One row per day from <paramref name="from"/> to <paramref name="to"/> inclusive (days without traffic included, all zero).</summary>
    Task<IReadOnlyList<DailyInteractionStats>> GetStatsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same figures over the whole range. Conversions and handoff rate count each conversation once over the
    /// range, so they are not the average of the daily values.
    /// </summary>
    Task<InteractionTotals> GetTotalsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}
