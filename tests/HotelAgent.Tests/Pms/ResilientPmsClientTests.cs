using HotelAgent.Core.Hotel;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.QloApps;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace HotelAgent.Tests.Pms;

/// <summary>
/// The resilience around PMS calls, on a <see cref="FakeTimeProvider"/>: timeouts, retry delays and the circuit's break
/// happen when the test moves the clock, never because the machine is slow.
/// </summary>
public sealed class ResilientPmsClientTests : IDisposable
{
    private static readonly StayQuery Stay = new(new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), 2);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly ScriptedPmsClient _inner = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly PmsHealth _health;

    public ResilientPmsClientTests() => _health = new PmsHealth(PmsProvider.QloApps, _time);

    public void Dispose()
    {
        _cache.Dispose();
        _health.Dispose();
    }

    /// <summary>Short timeouts and no retry delay (tests that check delays set one).</summary>
    internal static PmsOptions FastOptions(Action<PmsOptions>? tweak = null)
    {
        var options = new PmsOptions
        {
            TimeoutSeconds = 0.2,
            TotalTimeoutSeconds = 1.5,
            WriteTimeoutSeconds = 1,
            RetryCount = 2,
            RetryBaseDelaySeconds = 0,
            CircuitFailureRatio = 0.5,
            CircuitMinimumThroughput = 4,
            CircuitSamplingDurationSeconds = 10,
            CircuitBreakDurationSeconds = 15,
            AvailabilityCacheSeconds = 30,
        };
        tweak?.Invoke(options);
        return options;
    }

    private ResilientPmsClient Client(PmsOptions? options = null, bool idempotentWrites = true, PmsLocation location = PmsLocation.Remote) =>
        new(_inner, options ?? FastOptions(), _cache, _health, idempotentWrites, _logs.CreateLogger<ResilientPmsClient>(), location);

    [Fact]
    public async Task Transient_faults_are_retried_then_reported_as_unavailable()
    {
        var pms = Client(FastOptions(o => { o.CircuitMinimumThroughput = 100; }));
        _inner.Behaviour = PmsBehaviour.HttpError;

        var e = await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetRoomTypesAsync());

        Assert.False(e.CircuitOpen);
        Assert.Equal(3, _inner.Calls);
        Assert.Equal(nameof(HttpRequestException), _health.LastError);
    }

    [Fact]
    public async Task A_retry_waits_for_its_backoff_on_the_clock()
    {
        var pms = Client(FastOptions(o => { o.RetryBaseDelaySeconds = 1; o.RetryCount = 1; o.TotalTimeoutSeconds = 60; o.TimeoutSeconds = 30; o.CircuitMinimumThroughput = 100; }));
        _inner.Behaviour = PmsBehaviour.HttpError;

        var call = pms.GetRoomTypesAsync();

        // The retry is scheduled (logged before its delay) but the clock has not moved: no second attempt yet.
        await _logs.WaitForAsync(e => e.Message.Contains("failed transiently (attempt 1)", StringComparison.Ordinal));
        Assert.Equal(1, _inner.Calls);
        Assert.False(call.IsCompleted);

        // The first jittered exponential delay from a 1 s base stays under 1.4 s.
        _time.Advance(TimeSpan.FromSeconds(1.4));
        await Assert.ThrowsAsync<PmsUnavailableException>(() => call);
        Assert.Equal(2, _inner.Calls);
    }

    [Theory]
    [InlineData(PmsBehaviour.NoAvailability)]
    [InlineData(PmsBehaviour.NotFound)]
    public async Task Business_errors_are_never_retried_and_never_open_the_circuit(PmsBehaviour behaviour)
    {
        var pms = Client();
        _inner.Behaviour = behaviour;

        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAnyAsync<PmsException>(() => pms.GetReservationAsync("HPS-X"));
        }

        Assert.Equal(6, _inner.Calls);
        Assert.Equal(CircuitState.Closed, pms.Health.State);
        Assert.IsNotType<PmsUnavailableException>(await Record.ExceptionAsync(() => pms.GetReservationAsync("HPS-X")));
    }

    [Fact]
    public async Task Circuit_opens_fails_fast_without_calling_the_pms_and_recovers_after_the_break()
    {
        var pms = Client(FastOptions(o => o.CircuitBreakDurationSeconds = 15));
        _inner.Behaviour = PmsBehaviour.ServerError;

        await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("a"));
        await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("b"));
        Assert.Equal(CircuitState.Open, pms.Health.State);
        Assert.False(pms.Health.IsAvailable);

        // Open: the call fails at once (the clock does not move) and never reaches the PMS, even once it is healthy again.
        _inner.Behaviour = PmsBehaviour.Healthy;
        var calls = _inner.Calls;
        var open = await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("c"));
        Assert.True(open.CircuitOpen);
        Assert.Equal(calls, _inner.Calls);

        _time.Advance(TimeSpan.FromSeconds(14.9));
        Assert.True((await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("c"))).CircuitOpen);
        Assert.Equal(calls, _inner.Calls);

        // After the break one probe goes through; its success closes the circuit.
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("HPS-d", (await pms.GetReservationAsync("d")).Reference);
        Assert.Equal(calls + 1, _inner.Calls);
        Assert.Equal(CircuitState.Closed, pms.Health.State);
    }

    [Fact]
    public async Task A_hanging_remote_pms_is_cut_per_attempt_and_within_the_read_budget()
    {
        var pms = Client(FastOptions(o => { o.TimeoutSeconds = 0.8; o.TotalTimeoutSeconds = 1.5; o.CircuitMinimumThroughput = 100; }));
        _inner.Behaviour = PmsBehaviour.Hang;
        var started = _time.GetUtcNow();

        var call = pms.SearchAvailabilityAsync(Stay);

        // First attempt cut at 0.8 s, the retry starts at once, the 1.5 s budget cuts it.
        await _inner.CallCount.WaitForAsync(1);
        _time.Advance(TimeSpan.FromSeconds(0.8));
        await _inner.CallCount.WaitForAsync(2);
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.7));
        await Assert.ThrowsAsync<PmsUnavailableException>(() => call);
        Assert.Equal(TimeSpan.FromSeconds(1.5), _time.GetUtcNow() - started);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_slow_in_process_pms_is_waited_for_however_long_the_clock_runs()
    {
        var pms = Client(FastOptions(o => o.CircuitMinimumThroughput = 2), location: PmsLocation.InProcess);
        _inner.Behaviour = PmsBehaviour.Slow;

        var search = pms.SearchAvailabilityAsync(Stay);
        var find = pms.FindReservationsByContactAsync("+5491155551234");
        var create = pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k"));
        await _inner.CallCount.WaitForAsync(3);

        // Far beyond every timeout and budget: an in-process call has none, so nothing gives up on it.
        _time.Advance(TimeSpan.FromMinutes(5));
        _inner.Release();

        Assert.Equal(2, (await search).Single().Available);
        Assert.Single(await find);
        Assert.Equal("HPS-k", (await create).Reference);
        Assert.Equal(3, _inner.Calls);
        Assert.Null(_health.LastError);
    }

    [Fact]
    public async Task In_process_failures_are_retried_and_never_open_a_circuit()
    {
        var pms = Client(FastOptions(o => o.CircuitMinimumThroughput = 2), location: PmsLocation.InProcess);
        _inner.Behaviour = PmsBehaviour.Busy;

        for (var i = 0; i < 5; i++)
        {
            var e = await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("x" + i));
            Assert.False(e.CircuitOpen);
        }

        Assert.Equal(15, _inner.Calls); // each call: one attempt and two retries
        Assert.Equal(CircuitState.Closed, _health.State);
        Assert.True(_health.InProcess);

        // The next call reaches the PMS at once.
        _inner.Behaviour = PmsBehaviour.Healthy;
        Assert.Equal("HPS-y", (await pms.GetReservationAsync("y")).Reference);
    }

    [Fact]
    public async Task Availability_is_cached_until_a_write()
    {
        var pms = Client();

        await pms.SearchAvailabilityAsync(Stay);
        await pms.SearchAvailabilityAsync(Stay);
        await pms.GetAvailabilityCalendarAsync(Stay.CheckIn, Stay.CheckOut);
        await pms.GetAvailabilityCalendarAsync(Stay.CheckIn, Stay.CheckOut);
        Assert.Equal(2, _inner.Calls);

        await pms.CancelReservationAsync("HPS-1", "k");
        await pms.SearchAvailabilityAsync(Stay);
        Assert.Equal(4, _inner.Calls);

        await pms.SearchAvailabilityAsync(Stay with { Guests = 1 });
        Assert.Equal(5, _inner.Calls);
    }

    [Fact]
    public async Task Non_idempotent_writes_are_not_retried_and_report_an_unknown_outcome()
    {
        var pms = Client(FastOptions(o => { o.CircuitMinimumThroughput = 100; }), idempotentWrites: false);
        _inner.Behaviour = PmsBehaviour.HttpError;

        var e = await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k")));

        Assert.True(e.OutcomeUnknown);
        Assert.Equal(1, _inner.Creates);
    }

    [Fact]
    public async Task Idempotent_writes_are_retried()
    {
        var pms = Client(FastOptions(o => { o.CircuitMinimumThroughput = 100; }), idempotentWrites: true);
        _inner.Behaviour = PmsBehaviour.HttpError;

        await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.CreateReservationAsync(EmbeddedPmsClientTests.Booking("k")));

        Assert.Equal(3, _inner.Creates);
    }

    [Fact]
    public async Task QloApps_outage_opens_the_circuit_no_request_reaches_it_while_open_and_service_recovers()
    {
        await using var server = await FakeQloAppsServer.StartAsync();
        server.SlowDelay = Timeout.InfiniteTimeSpan; // slow = answers only when the client gives up
        using var dir = new TempDirectory();
        using var http = new HttpClient();
        using var qlo = new QloAppsPmsClient(() => http, QloAppsPmsClientTests.Options(server.BaseUrl, FakeQloAppsServer.ApiKey), HotelProfile.Load(null), new QloAppsBookingIndex(dir.File("q.db")), TimeProvider.System);
        var options = FastOptions(o => { o.TimeoutSeconds = 0.3; o.AvailabilityCacheSeconds = 0; o.RetryCount = 1; });
        var pms = new ResilientPmsClient(qlo, options, _cache, _health, writesAreIdempotent: false);

        Assert.NotEmpty(await pms.SearchAvailabilityAsync(Stay));

        // Slow: each attempt is cut when the clock passes the per-attempt timeout.
        server.Fault = QloFault.Slow;
        var before = server.RequestCount.Value;
        var slow = pms.SearchAvailabilityAsync(Stay);
        await server.RequestCount.WaitForAsync(before + 1);
        _time.Advance(TimeSpan.FromSeconds(0.3));
        await server.RequestCount.WaitForAsync(before + 2);
        _time.Advance(TimeSpan.FromSeconds(0.3));
        await Assert.ThrowsAsync<PmsUnavailableException>(() => slow);

        foreach (var fault in new[] { QloFault.ServerError, QloFault.Garbage })
        {
            server.Fault = fault;
            await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.SearchAvailabilityAsync(Stay));
        }

        Assert.Equal(CircuitState.Open, pms.Health.State);
        var requests = server.RequestCount.Value;
        server.Fault = QloFault.None;
        Assert.True((await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.SearchAvailabilityAsync(Stay))).CircuitOpen);
        Assert.Equal(requests, server.RequestCount.Value);

        _time.Advance(TimeSpan.FromSeconds(options.CircuitBreakDurationSeconds));
        Assert.NotEmpty(await pms.SearchAvailabilityAsync(Stay));
        Assert.Equal(CircuitState.Closed, pms.Health.State);
    }
}

public sealed class ResilientPmsClientMetricsTests
{
    [Fact]
    public async Task Calls_are_counted_on_the_app_meter_with_their_resilience_outcome()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<HotelAgent.Core.Observability.HotelAgentMetrics>().BuildServiceProvider();
        var metrics = services.GetRequiredService<HotelAgent.Core.Observability.HotelAgentMetrics>();
        var outcomes = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == HotelAgent.Core.Observability.HotelAgentMetrics.PmsCalls && ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            outcomes.Add(tags.ToArray().Single(t => t.Key == "outcome").Value!.ToString()!));
        listener.Start();
        using var cache = new MemoryCache(new MemoryCacheOptions());
        using var health = new PmsHealth(PmsProvider.Embedded, new FakeTimeProvider(), metrics);
        var inner = new ScriptedPmsClient();
        var pms = new ResilientPmsClient(inner, new PmsOptions { AvailabilityCacheSeconds = 30, RetryCount = 0 }, cache, health, writesAreIdempotent: true);
        var stay = new StayQuery(new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), 2);

        await pms.SearchAvailabilityAsync(stay);
        await pms.SearchAvailabilityAsync(stay);

        Assert.Equal(["ok", "cache"], outcomes);
    }
}
