using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Observability;
using HotelAgent.Tests.Infra;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Observability;

public sealed class HotelAgentMetricsTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly HotelAgentMetrics _metrics;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public HotelAgentMetricsTests()
    {
        _services = new ServiceCollection().AddMetrics().AddSingleton<HotelAgentMetrics>().BuildServiceProvider();
        _metrics = _services.GetRequiredService<HotelAgentMetrics>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this test's meter instance: other tests may create their own HotelAgent meters in parallel.
            if (ReferenceEquals(instrument.Meter, _metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            dict[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, dict));
    }

    private List<(string Name, double Value, Dictionary<string, object?> Tags)> Named(string name)
        => _measurements.Where(m => m.Name == name).ToList();

    [Fact]
    public void Meter_is_named_HotelAgent_and_created_by_the_factory()
    {
        Assert.Equal("HotelAgent", _metrics.Meter.Name);
        Assert.Equal(HotelAgentMetrics.MeterName, _metrics.Meter.Name);
    }

    [Fact]
    public void Message_received_counts_with_channel_and_intent_tags()
    {
        _metrics.RecordMessageReceived(Channel.WhatsApp, "Availability");
        _metrics.RecordMessageReceived(Channel.Email, null);

        var m = Named("hotelagent.messages.received");
        Assert.Equal(2, m.Count);
        Assert.Equal(1, m[0].Value);
        Assert.Equal("whatsapp", m[0].Tags["channel"]);
        Assert.Equal("availability", m[0].Tags["intent"]);
        Assert.Equal("email", m[1].Tags["channel"]);
        Assert.Equal("unknown", m[1].Tags["intent"]);
    }

    [Fact]
    public void Latency_histograms_record_milliseconds()
    {
        _metrics.RecordReplyLatency(Channel.WebChat, TimeSpan.FromSeconds(1.5));
        _metrics.RecordPmsCall("availability", "success", TimeSpan.FromMilliseconds(120));

        var reply = Assert.Single(Named("hotelagent.reply.latency"));
        Assert.Equal(1500, reply.Value, 3);
        Assert.Equal("webchat", reply.Tags["channel"]);

        var pms = Assert.Single(Named("hotelagent.pms.latency"));
        Assert.Equal(120, pms.Value, 3);
        Assert.Equal("availability", pms.Tags["operation"]);
        Assert.Equal("success", pms.Tags["outcome"]);
    }

    [Fact]
    public void Nlu_confidence_is_clamped_to_unit_interval()
    {
        _metrics.RecordNluConfidence(0.83, "booking");
        _metrics.RecordNluConfidence(1.7, "booking");

        var m = Named("hotelagent.nlu.confidence");
        Assert.Equal([0.83, 1.0], m.Select(x => x.Value).ToArray());
        Assert.All(m, x => Assert.Equal("booking", x.Tags["intent"]));
    }

    [Fact]
    public void Booking_records_count_and_revenue_by_currency()
    {
        _metrics.RecordBooking(Channel.WhatsApp, 245.50m, "eur");
        _metrics.RecordBooking(Channel.Email, 0m, "EUR");

        Assert.Equal(2, Named("hotelagent.bookings").Count);
        var revenue = Assert.Single(Named("hotelagent.bookings.revenue"));
        Assert.Equal(245.5, revenue.Value, 3);
        Assert.Equal("EUR", revenue.Tags["currency"]);
    }

    [Fact]
    public void Handoffs_audio_duplicates_and_rate_limits_are_counted()
    {
        _metrics.RecordHandoff(Channel.WhatsApp, "guest_asked");
        _metrics.RecordAudioJob("transcribe", "success");
        _metrics.RecordAudioJob("synthesize", "failure");
        _metrics.RecordDuplicate(Channel.WhatsApp);
        _metrics.RecordRateLimited(Channel.Email);

        Assert.Equal("guest_asked", Assert.Single(Named("hotelagent.handoffs")).Tags["reason"]);
        var audio = Named("hotelagent.audio.jobs");
        Assert.Equal(["transcribe/success", "synthesize/failure"], audio.Select(a => $"{a.Tags["kind"]}/{a.Tags["outcome"]}").ToArray());
        Assert.Equal("whatsapp", Assert.Single(Named("hotelagent.messages.duplicates")).Tags["channel"]);
        Assert.Equal("email", Assert.Single(Named("hotelagent.messages.rate_limited")).Tags["channel"]);
    }

    [Fact]
    public void Circuit_state_gauge_observes_registered_circuits_until_disposed()
    {
        var state = CircuitStateLevel.Closed;
        var registration = _metrics.RegisterCircuit("qloapps", () => state);
        _metrics.ReportCircuitState("pms-write", CircuitStateLevel.Open);

        _listener.RecordObservableInstruments();
        var first = Named("hotelagent.pms.circuit_state");
        Assert.Contains(first, m => (string?)m.Tags["circuit"] == "qloapps" && m.Value == 0);
        Assert.Contains(first, m => (string?)m.Tags["circuit"] == "pms-write" && m.Value == 2);

        state = CircuitStateLevel.HalfOpen;
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        Assert.Contains(Named("hotelagent.pms.circuit_state"), m => (string?)m.Tags["circuit"] == "qloapps" && m.Value == 1);

        registration.Dispose();
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        Assert.DoesNotContain(Named("hotelagent.pms.circuit_state"), m => (string?)m.Tags["circuit"] == "qloapps");
    }

    [Fact]
    public void Faulty_circuit_probe_is_skipped()
    {
        using var bad = _metrics.RegisterCircuit("broken", () => throw new InvalidOperationException("boom"));
        _metrics.ReportCircuitState("ok", CircuitStateLevel.Closed);

        _listener.RecordObservableInstruments();

        var m = Named("hotelagent.pms.circuit_state");
        Assert.DoesNotContain(m, x => (string?)x.Tags["circuit"] == "broken");
        Assert.Contains(m, x => (string?)x.Tags["circuit"] == "ok");
    }

    [Fact]
    public void Instrument_names_match_the_documented_table()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "observability.md"));
        string[] names =
        [
            HotelAgentMetrics.MessagesReceived, HotelAgentMetrics.ReplyLatency, HotelAgentMetrics.NluConfidence,
            HotelAgentMetrics.PmsLatency, HotelAgentMetrics.PmsCircuitState, HotelAgentMetrics.Handoffs,
            HotelAgentMetrics.Bookings, HotelAgentMetrics.BookingsRevenue, HotelAgentMetrics.AudioJobs,
            HotelAgentMetrics.MessagesDuplicates, HotelAgentMetrics.MessagesRateLimited,
        ];
        Assert.All(names, n => Assert.Contains($"`{n}`", doc, StringComparison.Ordinal));
    }
}
