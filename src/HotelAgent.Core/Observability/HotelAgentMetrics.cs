using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Observability;

/// <summary>State of a circuit breaker as exported by <c>hotelagent.pms.circuit_state</c>.</summary>
public enum CircuitStateLevel
{
    /// <summary>Calls flow normally (gauge value 0).</summary>
    Closed = 0,

    /// <summary>A trial call is allowed (gauge value 1).</summary>
    HalfOpen = 1,

    /// <summary>Calls are short-circuited (gauge value 2).</summary>
    Open = 2,

    /// <summary>Manually isolated (gauge value 3).</summary>
    Isolated = 3,
}

/// <summary>
/// The HotelAgent metrics (meter <c>HotelAgent</c>). Instrument names are part of the operations contract:
/// dashboards and alerts depend on them, so they are constants (see docs/observability.md).
/// </summary>
public sealed class HotelAgentMetrics
{
    public const string MeterName = "HotelAgent";

    public const string MessagesReceived = "hotelagent.messages.received";
    public const string ReplyLatency = "hotelagent.reply.latency";
    public const string NluConfidence = "hotelagent.nlu.confidence";
    public const string PmsLatency = "hotelagent.pms.latency";
    public const string PmsCalls = "hotelagent.pms.calls";
    public const string PmsCircuitState = "hotelagent.pms.circuit_state";
    public const string Handoffs = "hotelagent.handoffs";
    public const string Bookings = "hotelagent.bookings";
    public const string BookingsRevenue = "hotelagent.bookings.revenue";
    public const string AudioJobs = "hotelagent.audio.jobs";
    public const string MessagesDuplicates = "hotelagent.messages.duplicates";
    public const string MessagesRateLimited = "hotelagent.messages.rate_limited";

    private readonly Counter<long> _messagesReceived;
    private readonly Histogram<double> _replyLatency;
    private readonly Histogram<double> _nluConfidence;
    private readonly Histogram<double> _pmsLatency;
    private readonly Counter<long> _pmsCalls;
    private readonly Counter<long> _handoffs;
    private readonly Counter<long> _bookings;
    private readonly Counter<double> _revenue;
    private readonly Counter<long> _audioJobs;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rateLimited;
    private readonly ConcurrentDictionary<string, Func<CircuitStateLevel>> _circuits = new(StringComparer.Ordinal);

    public HotelAgentMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);

        _messagesReceived = Meter.CreateCounter<long>(MessagesReceived, "{message}", "Inbound guest messages by channel and intent.");
        _replyLatency = Meter.CreateHistogram<double>(ReplyLatency, "ms", "Time from receiving a guest message to handing the reply to the channel.");
        _nluConfidence = Meter.CreateHistogram<double>(NluConfidence, null, "Confidence (0..1) of the detected intent.");
        _pmsLatency = Meter.CreateHistogram<double>(PmsLatency, "ms", "Duration of PMS calls by operation and outcome.");
        _pmsCalls = Meter.CreateCounter<long>(PmsCalls, "{call}", "PMS calls by operation and resilience outcome (incl. cache hits and open circuit).");
        _handoffs = Meter.CreateCounter<long>(Handoffs, "{handoff}", "Conversations handed off to staff.");
        _bookings = Meter.CreateCounter<long>(Bookings, "{booking}", "Bookings created by the agent.");
        _revenue = Meter.CreateCounter<double>(BookingsRevenue, "{currency_unit}", "Total amount of bookings created by the agent, by currency.");
        _audioJobs = Meter.CreateCounter<long>(AudioJobs, "{job}", "Audio transcription and synthesis jobs by kind and outcome.");
        _duplicates = Meter.CreateCounter<long>(MessagesDuplicates, "{message}", "Inbound messages dropped as duplicates (webhook retries).");
        _rateLimited = Meter.CreateCounter<long>(MessagesRateLimited, "{message}", "Inbound messages refused by the per-guest rate limit.");
        Meter.CreateObservableGauge(PmsCircuitState, ObserveCircuits, null, "Circuit breaker state per PMS circuit: 0 closed, 1 half-open, 2 open, 3 isolated.");
    }

    /// <summary>The meter (owned and disposed by the <see cref="IMeterFactory"/>).</summary>
    public Meter Meter { get; }

    public static string ChannelTag(Channel channel) => channel switch
    {
        Channel.WhatsApp => "whatsapp",
        Channel.Email => "email",
        Channel.WebChat => "webchat",
        _ => channel.ToString().ToLowerInvariant(),
    };

    public void RecordMessageReceived(Channel channel, string? intent)
        => _messagesReceived.Add(1, new TagList { { "channel", ChannelTag(channel) }, { "intent", Normalize(intent) } });

    public void RecordReplyLatency(Channel channel, TimeSpan elapsed)
        => _replyLatency.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("channel", ChannelTag(channel)));

    public void RecordNluConfidence(double confidence, string? intent)
        => _nluConfidence.Record(Math.Clamp(confidence, 0d, 1d), new KeyValuePair<string, object?>("intent", Normalize(intent)));

    /// <param name="operation">PMS operation, e.g. <c>availability</c>, <c>create_booking</c>.</param>
    /// <param name="outcome"><c>success</c>, <c>failure</c>, <c>timeout</c>, <c>circuit_open</c>.</param>
    public void RecordPmsCall(string operation, string outcome, TimeSpan elapsed)
        => _pmsLatency.Record(elapsed.TotalMilliseconds, new TagList { { "operation", Normalize(operation) }, { "outcome", Normalize(outcome) } });

    /// <summary>One PMS call as the resilience layer saw it.</summary>
    /// <param name="outcome"><c>ok</c>, <c>cache</c> (answered from the short availability cache), <c>rejected</c> (the PMS
    /// said no: no availability, not found), <c>unavailable</c> (timeout, 5xx, garbage) or <c>circuit-open</c>.</param>
    public void RecordPmsOutcome(string operation, string outcome)
        => _pmsCalls.Add(1, new TagList { { "operation", Normalize(operation) }, { "outcome", Normalize(outcome) } });

    public void RecordHandoff(Channel channel, string? reason)
        => _handoffs.Add(1, new TagList { { "channel", ChannelTag(channel) }, { "reason", Normalize(reason) } });

    public void RecordBooking(Channel channel, decimal amount, string currency)
    {
        var cur = string.IsNullOrWhiteSpace(currency) ? "unknown" : currency.Trim().ToUpperInvariant();
        _bookings.Add(1, new TagList { { "channel", ChannelTag(channel) }, { "currency", cur } });
        if (amount > 0)
        {
            _revenue.Add((double)amount, new KeyValuePair<string, object?>("currency", cur));
        }
    }

    /// <param name="kind"><c>transcribe</c> or <c>synthesize</c>.</param>
    /// <param name="outcome"><c>success</c>, <c>skipped</c> (unusable audio answered politely, or nothing to send) or
    /// <c>failure</c> (thrown: the queue retries, then poisons).</param>
    public void RecordAudioJob(string kind, string outcome)
        => _audioJobs.Add(1, new TagList { { "kind", Normalize(kind) }, { "outcome", Normalize(outcome) } });

    public void RecordDuplicate(Channel channel, int count = 1)
    {
        if (count > 0)
        {
            _duplicates.Add(count, new KeyValuePair<string, object?>("channel", ChannelTag(channel)));
        }
    }

    public void RecordRateLimited(Channel channel, int count = 1)
    {
        if (count > 0)
        {
            _rateLimited.Add(count, new KeyValuePair<string, object?>("channel", ChannelTag(channel)));
        }
    }

    /// <summary>
    /// Registers a callback observed by the <c>hotelagent.pms.circuit_state</c> gauge (tag <c>circuit</c>).
    /// Registering the same name again replaces the callback; dispose the result to unregister.
    /// </summary>
    public IDisposable RegisterCircuit(string circuit, Func<CircuitStateLevel> probe)
    {
        ArgumentException.ThrowIfNullOrEmpty(circuit);
        ArgumentNullException.ThrowIfNull(probe);
        _circuits[circuit] = probe;
        return new Registration(this, circuit, probe);
    }

    /// <summary>Push-style alternative to <see cref="RegisterCircuit"/>: remembers the latest state of a circuit.</summary>
    public void ReportCircuitState(string circuit, CircuitStateLevel state)
    {
        ArgumentException.ThrowIfNullOrEmpty(circuit);
        _circuits[circuit] = () => state;
    }

    private IEnumerable<Measurement<int>> ObserveCircuits()
    {
        foreach (var (name, probe) in _circuits)
        {
            CircuitStateLevel state;
            try
            {
                state = probe();
            }
#pragma warning disable CA1031 // A faulty probe must not break metric collection.
            catch (Exception)
#pragma warning restore CA1031
            {
                continue;
            }

            yield return new Measurement<int>((int)state, new KeyValuePair<string, object?>("circuit", name));
        }
    }

    private static string Normalize(string? value)
        => string.IsNullOrWhiteSpace(value) ? "unknown" : value.Trim().ToLowerInvariant();

    private sealed class Registration(HotelAgentMetrics owner, string circuit, Func<CircuitStateLevel> probe) : IDisposable
    {
        public void Dispose()
            => owner._circuits.TryRemove(new KeyValuePair<string, Func<CircuitStateLevel>>(circuit, probe));
    }
}
