using System.Diagnostics.Metrics;

namespace HotelAgent.Core.Orchestration;

/// <summary>
/// Work counters of the embedded durable backend (meter <c>HotelAgent.Durable</c>): what one guest turn costs in durable
/// steps, and whether orchestrations resume from memory or replay their history. Static because the backend is also built
/// without DI (tests, CLI); counters cost nothing while nobody listens.
/// </summary>
public static class DurableMetrics
{
    public const string MeterName = "HotelAgent.Durable";

    public const string OrchestrationWorkItems = "hotelagent.durable.orchestration_work_items";
    public const string ActivityWorkItems = "hotelagent.durable.activity_work_items";
    public const string Replays = "hotelagent.durable.replays";
    public const string ReplayedEvents = "hotelagent.durable.replayed_events";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Orchestrations = Meter.CreateCounter<long>(OrchestrationWorkItems, "{work_item}", "Orchestration work items (orchestrator steps) of the SQLite backend.");
    private static readonly Counter<long> Activities = Meter.CreateCounter<long>(ActivityWorkItems, "{work_item}", "Activity work items of the SQLite backend.");
    private static readonly Counter<long> ReplayCount = Meter.CreateCounter<long>(Replays, "{work_item}", "Orchestration work items that rebuilt the orchestrator by replaying its history (not kept in memory).");
    private static readonly Counter<long> ReplayedEventCount = Meter.CreateCounter<long>(ReplayedEvents, "{event}", "History events read back from the file for replays.");

    internal static void CacheHit() => Orchestrations.Add(1);

    internal static void CacheMiss(int historyEvents)
    {
        Orchestrations.Add(1);
        ReplayCount.Add(1);
        ReplayedEventCount.Add(historyEvents);
    }

    internal static void Activity() => Activities.Add(1);
}
