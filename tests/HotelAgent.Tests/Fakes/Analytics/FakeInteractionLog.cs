using HotelAgent.Core.Analytics;

namespace HotelAgent.Tests.Fakes.Analytics;

/// <summary>In-memory <see cref="IInteractionLog"/>: keeps records, can fail on demand, answers canned statistics.</summary>
internal sealed class FakeInteractionLog : IInteractionLog
{
    private readonly object _gate = new();

    public List<InteractionRecord> Records { get; } = [];

    /// <summary>Thrown by <see cref="RecordAsync"/> when set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Returned by <see cref="GetStatsAsync"/>; null answers one all-zero row per day.</summary>
    public IReadOnlyList<DailyInteractionStats>? CannedStats { get; set; }

    public Task RecordAsync(InteractionRecord record, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        lock (_gate)
        {
            Records.Add(record);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DailyInteractionStats>> GetStatsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new ArgumentException("'to' must not be before 'from'.", nameof(to));
        }

        IReadOnlyList<DailyInteractionStats> stats = CannedStats ?? Enumerable.Range(0, to.DayNumber - from.DayNumber + 1)
            .Select(i => Empty(from.AddDays(i)))
            .ToList();
        return Task.FromResult(stats);
    }

    public Task<InteractionTotals> GetTotalsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
        => Task.FromResult(new InteractionTotals(
            from, to, Records.Count, Records.Select(r => r.ConversationId).Distinct(StringComparer.Ordinal).Count(),
            new Dictionary<string, int>(), 0, 0, 0, 0, 0m, new Dictionary<string, decimal>(), 0, 0, 0));

    private static DailyInteractionStats Empty(DateOnly day)
        => new(day, 0, 0, new Dictionary<string, int>(), 0, 0, 0, 0, 0m, new Dictionary<string, decimal>(), 0, 0, 0);
}
