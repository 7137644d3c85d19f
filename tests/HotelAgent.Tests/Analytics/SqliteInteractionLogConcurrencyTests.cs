using HotelAgent.Core.Analytics;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Analytics;

/// <summary>Many turns record at once (the benchmark's RecordTurn burst): every row lands, none fails with SQLITE_BUSY.</summary>
public sealed class SqliteInteractionLogConcurrencyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SqliteInteractionLog CreateLog() => new(
        Options.Create(new HotelAgentOptions { DataDirectory = _dir.Path }),
        Options.Create(new AnalyticsOptions { TimeZone = "UTC" }),
        TimeProvider.System,
        NullLogger<SqliteInteractionLog>.Instance);

    [Fact]
    public async Task Sixty_four_concurrent_records_from_two_log_instances_all_land()
    {
        // Two instances on the same file stand for two components (e.g. two hosts' singletons in one process).
        using var first = CreateLog();
        using var second = CreateLog();
        var at = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        using var start = new ManualResetEventSlim();
        var writes = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            start.Wait();
            var record = new InteractionRecord(at, "conv-" + (i % 16), i % 2 == 0 ? Channel.WhatsApp : Channel.Email, "faq", 0.9, InteractionOutcomes.Answered, 100 + i);
            await (i % 2 == 0 ? first : second).RecordAsync(record);
        })).ToList();
        start.Set();
        await Task.WhenAll(writes);

        var totals = await first.GetTotalsAsync(new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 21));
        Assert.Equal(64, totals.Messages);
        Assert.Equal(16, totals.Conversations);
        Assert.Equal(64, totals.ByIntent["faq"]);
    }
}
