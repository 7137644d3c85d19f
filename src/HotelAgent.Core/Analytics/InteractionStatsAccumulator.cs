namespace HotelAgent.Core.Analytics;

/// <summary>The figures of one group of interactions (a day, or a whole range), as both interaction logs compute them.</summary>
internal sealed class InteractionStatsAccumulator
{
    public int Messages { get; set; }

    public int Conversations { get; set; }

    public int Bookings { get; set; }

    public int BookedConversations { get; set; }

    public int Handoffs { get; set; }

    public int HandedOffConversations { get; set; }

    public int Duplicates { get; set; }

    public int RateLimited { get; set; }

    public double AverageLatencyMs { get; set; }

    public decimal Revenue { get; set; }

    public SortedDictionary<string, int> ByIntent { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, decimal> RevenueByCurrency { get; } = new(StringComparer.Ordinal);

    public int CancelledBookings { get; set; }

    public decimal CancelledRevenue { get; set; }

    public SortedDictionary<string, decimal> CancelledRevenueByCurrency { get; } = new(StringComparer.Ordinal);

    private readonly HashSet<string> _conversations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _booked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _handedOff = new(StringComparer.Ordinal);
    private double _latencySum;
    private int _latencyCount;

    /// <summary>A booking made in the group, at its latest amount: revenue while live, apart once cancelled.</summary>
    public void AddBooking(string currency, decimal amount, bool cancelled)
    {
        if (cancelled)
        {
            CancelledBookings++;
            CancelledRevenue += amount;
            CancelledRevenueByCurrency[currency] = CancelledRevenueByCurrency.GetValueOrDefault(currency) + amount;
            return;
        }

        Revenue += amount;
        RevenueByCurrency[currency] = RevenueByCurrency.GetValueOrDefault(currency) + amount;
    }

    /// <summary>
    /// Adds one stored row's counts (the in-memory twin of the SQLite log's aggregate query; contract tests keep them equal).
    /// Revenue is not added here: the caller resolves each booking's latest amount and cancellation and calls <see cref="AddBooking"/>.
    /// </summary>
    public void Add(InteractionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Outcome == InteractionOutcomes.Duplicate)
        {
            Duplicates++;
            return;
        }

        Messages++;
        _conversations.Add(row.ConversationId);
        Conversations = _conversations.Count;
        ByIntent[row.Intent] = ByIntent.GetValueOrDefault(row.Intent) + 1;
        switch (row.Outcome)
        {
            case InteractionOutcomes.Booked:
                Bookings++;
                _booked.Add(row.ConversationId);
                BookedConversations = _booked.Count;
                break;
            case InteractionOutcomes.Handoff:
                Handoffs++;
                _handedOff.Add(row.ConversationId);
                HandedOffConversations = _handedOff.Count;
                break;
            case InteractionOutcomes.RateLimited:
                RateLimited++;
                return; // no reply latency
        }

        _latencySum += row.LatencyMs;
        _latencyCount++;
        AverageLatencyMs = _latencySum / _latencyCount;
    }

    public DailyInteractionStats ToStats(DateOnly date) => new(
        date,
        Messages,
        Conversations,
        ByIntent,
        Bookings,
        Conversations == 0 ? 0 : Math.Round((double)BookedConversations / Conversations, 4),
        Handoffs,
        Conversations == 0 ? 0 : Math.Round((double)HandedOffConversations / Conversations, 4),
        Revenue,
        RevenueByCurrency,
        Duplicates,
        RateLimited,
        Math.Round(AverageLatencyMs, 1))
    {
        CancelledBookings = CancelledBookings,
        CancelledRevenue = CancelledRevenue,
        CancelledRevenueByCurrency = CancelledRevenueByCurrency,
    };

    /// <summary>The same figures as totals over <paramref name="from"/>..<paramref name="to"/>.</summary>
    public InteractionTotals ToTotals(DateOnly from, DateOnly to)
    {
        var s = ToStats(from);
        return new InteractionTotals(
            from, to, s.Messages, s.Conversations, s.ByIntent, s.Bookings, s.Conversions, s.Handoffs, s.HandoffRate,
            s.Revenue, s.RevenueByCurrency, s.Duplicates, s.RateLimited, s.AverageLatencyMs)
        {
            CancelledBookings = s.CancelledBookings,
            CancelledRevenue = s.CancelledRevenue,
            CancelledRevenueByCurrency = s.CancelledRevenueByCurrency,
        };
    }
}
