using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Observability;
using HotelAgent.Tests.Fakes.Analytics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Tests.Analytics;

public sealed class InteractionRecorderTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<HotelAgentMetrics>().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value)> _measurements = new();
    private readonly HotelAgentMetrics _metrics;

    public InteractionRecorderTests()
    {
        _metrics = _services.GetRequiredService<HotelAgentMetrics>();
        _listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, _metrics.Meter))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, _, _) => _measurements.Enqueue((i.Name, v)));
        _listener.SetMeasurementEventCallback<double>((i, v, _, _) => _measurements.Enqueue((i.Name, v)));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private static InteractionRecord Rec(string outcome) => new(DateTimeOffset.UnixEpoch, "conv-whatsapp-1", Channel.WhatsApp, "booking", 0.9, outcome, 1200);

    private string[] Names() => _measurements.Select(m => m.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Booked_interaction_updates_metrics_and_is_stored()
    {
        var log = new FakeInteractionLog();
        var recorder = new InteractionRecorder(log, _metrics, NullLogger<InteractionRecorder>.Instance);

        await recorder.RecordAsync(Rec(InteractionOutcomes.Booked) with { Revenue = 150m, Currency = "EUR", BookingReference = "QLO-1" });

        Assert.Single(log.Records);
        Assert.Equal(
            ["hotelagent.bookings", "hotelagent.bookings.revenue", "hotelagent.messages.received", "hotelagent.nlu.confidence", "hotelagent.reply.latency"],
            Names());
        Assert.Contains(_measurements, m => m.Name == "hotelagent.reply.latency" && m.Value == 1200);
        Assert.Contains(_measurements, m => m.Name == "hotelagent.bookings.revenue" && m.Value == 150);
    }

    [Theory]
    [InlineData("duplicate", new[] { "hotelagent.messages.duplicates" })]
    [InlineData("rate_limited", new[] { "hotelagent.messages.rate_limited", "hotelagent.messages.received" })]
    [InlineData("handoff", new[] { "hotelagent.handoffs", "hotelagent.messages.received", "hotelagent.nlu.confidence", "hotelagent.reply.latency" })]
    [InlineData("answered", new[] { "hotelagent.messages.received", "hotelagent.nlu.confidence", "hotelagent.reply.latency" })]
    public async Task Outcomes_map_to_their_instruments(string outcome, string[] expected)
    {
        var recorder = new InteractionRecorder(new FakeInteractionLog(), _metrics, NullLogger<InteractionRecorder>.Instance);
        await recorder.RecordAsync(Rec(outcome));
        Assert.Equal(expected, Names());
    }

    [Fact]
    public async Task Storage_failures_do_not_escape_but_cancellation_does()
    {
        var log = new FakeInteractionLog { Failure = new InvalidOperationException("disk full") };
        var recorder = new InteractionRecorder(log, _metrics, NullLogger<InteractionRecorder>.Instance);

        await recorder.RecordAsync(Rec(InteractionOutcomes.Answered)); // does not throw
        Assert.Contains("hotelagent.messages.received", Names());

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        log.Failure = new OperationCanceledException(cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.RecordAsync(Rec(InteractionOutcomes.Answered), cts.Token));
    }
}
