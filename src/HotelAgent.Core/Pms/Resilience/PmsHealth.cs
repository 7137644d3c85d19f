using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;

namespace HotelAgent.Core.Pms.Resilience;

/// <summary>Health of the PMS as seen through <see cref="ResilientPmsClient"/>: circuit state and last failure, for health checks and metrics.</summary>
public sealed class PmsHealth : IDisposable
{
    /// <summary>Meter name for OpenTelemetry (<c>hotelagent.pms.*</c> instruments).</summary>
    public const string MeterName = "HotelAgent.Pms";

    private readonly CircuitBreakerStateProvider _state = new();
    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _failures;
    private long _lastFailureTicks;
    private string? _lastError;

    public PmsHealth(PmsProvider provider, TimeProvider time)
    {
        Provider = provider;
        Time = time;
        _meter = new Meter(MeterName);
        _calls = _meter.CreateCounter<long>("hotelagent.pms.calls", description: "PMS calls by operation and outcome");
        _failures = _meter.CreateCounter<long>("hotelagent.pms.unavailable", description: "PMS calls that failed as unavailable");
    }

    public PmsProvider Provider { get; }

    internal TimeProvider Time { get; }

    internal CircuitBreakerStateProvider StateProvider => _state;

    /// <summary>Closed (healthy), Open (failing fast), HalfOpen (probing), Isolated (manually opened).</summary>
    public CircuitState State => _state.CircuitState;

    public bool IsAvailable => State is CircuitState.Closed or CircuitState.HalfOpen;

    public DateTimeOffset? LastFailureAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastFailureTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Exception type of the last transient failure (never a message: it could carry guest data).</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    internal void RecordCall(string operation, string outcome) =>
        _calls.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));

    internal void RecordUnavailable(string operation, Exception error)
    {
        Interlocked.Exchange(ref _lastFailureTicks, Time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _lastError, error.GetType().Name);
        _failures.Add(1, new KeyValuePair<string, object?>("operation", operation));
    }

    public void Dispose() => _meter.Dispose();
}
