using HotelAgent.Core.Observability;
using Polly.CircuitBreaker;

namespace HotelAgent.Core.Pms.Resilience;

/// <summary>
/// Health of the PMS as seen through <see cref="ResilientPmsClient"/>: circuit state and last failure, for health checks;
/// call outcomes go to <c>hotelagent.pms.calls</c> on the app's one meter (<see cref="HotelAgentMetrics"/>).
/// </summary>
public sealed class PmsHealth : IDisposable
{
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly HotelAgentMetrics? _metrics;
    private long _lastFailureTicks;
    private long _phpWarningsTicks;
    private string? _lastError;
    private volatile bool _inProcess;

    public PmsHealth(PmsProvider provider, TimeProvider time, HotelAgentMetrics? metrics = null)
    {
        Provider = provider;
        Time = time;
        _metrics = metrics;
    }

    public PmsProvider Provider { get; }

    internal TimeProvider Time { get; }

    internal CircuitBreakerStateProvider StateProvider => _state;

    /// <summary>The PMS runs in this process (the embedded SQLite PMS): no circuit breaker guards it, so <see cref="State"/> stays closed.</summary>
    public bool InProcess => _inProcess;

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

    /// <summary>
    /// When the PMS last answered with PHP warnings instead of data (QloApps on PHP 8 with warnings reported: its webservice
    /// turns them into HTTP 500). Null when its last answers were clean. Shown by the readiness check.
    /// </summary>
    public DateTimeOffset? PhpWarningsAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _phpWarningsTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The PMS answered with PHP warnings (<paramref name="seen"/>) or cleanly (clears the flag).</summary>
    public void RecordPhpWarnings(bool seen) =>
        Interlocked.Exchange(ref _phpWarningsTicks, seen ? Time.GetUtcNow().UtcTicks : 0);

    internal void MarkInProcess() => _inProcess = true;

    internal void RecordCall(string operation, string outcome) => _metrics?.RecordPmsOutcome(operation, outcome);

    internal void RecordUnavailable(string operation, Exception error)
    {
        Interlocked.Exchange(ref _lastFailureTicks, Time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _lastError, error.GetType().Name);
    }

    public void Dispose()
    {
        // Nothing to release any more (kept disposable: registered and disposed as before).
    }
}
