using System.Diagnostics;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.QloApps;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace HotelAgent.Tests.Pms;

public sealed class ResilientPmsClientTests : IDisposable
{
    private static readonly StayQuery Stay = new(new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), 2);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly ScriptedPmsClient _inner = new();
    private readonly PmsHealth _health = new(PmsProvider.Embedded, TimeProvider.System);

    public void Dispose()
    {
        _cache.Dispose();
        _health.Dispose();
    }

    internal static PmsOptions FastOptions(Action<PmsOptions>? tweak = null)
    {
        var options = new PmsOptions
        {
        TimeoutSeconds = 0.2,
        TotalTimeoutSeconds = 1.5,
        WriteTimeoutSeconds = 1,
        RetryCount = 2,
        RetryBaseDelaySeconds = 0.01,
        CircuitFailureRatio = 0.5,
        CircuitMinimumThroughput = 4,
        CircuitSamplingDurationSeconds = 10,
        CircuitBreakDurationSeconds = 0.6,
        AvailabilityCacheSeconds = 30,
        };
        tweak?.Invoke(options);
        return options;
    }

    private ResilientPmsClient Client(PmsOptions? options = null, bool idempotentWrites = true) =>
        new(_inner, options ?? FastOptions(), _cache, _health, idempotentWrites);

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
    public async Task Circuit_opens_fails_fast_and_recovers_by_itself()
    {
        var pms = Client();
        _inner.Behaviour = PmsBehaviour.ServerError;

        await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("a"));
        await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("b"));
        Assert.Equal(CircuitState.Open, pms.Health.State);
        Assert.False(pms.Health.IsAvailable);

        var calls = _inner.Calls;
        var sw = Stopwatch.StartNew();
        var open = await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.GetReservationAsync("c"));
        Assert.True(open.CircuitOpen);
        Assert.True(sw.ElapsedMilliseconds < 250, $"open circuit took {sw.ElapsedMilliseconds} ms");
        Assert.Equal(calls, _inner.Calls);

        _inner.Behaviour = PmsBehaviour.Healthy;
        await Task.Delay(TimeSpan.FromSeconds(0.8));
        Assert.Equal("HPS-d", (await pms.GetReservationAsync("d")).Reference);
        Assert.Equal(CircuitState.Closed, pms.Health.State);
    }

    [Fact]
    public async Task A_hanging_pms_is_cut_within_the_guest_turn_budget()
    {
        var pms = Client(FastOptions(o => { o.TimeoutSeconds = 0.4; o.CircuitMinimumThroughput = 100; }));
        _inner.Behaviour = PmsBehaviour.Hang;

        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.SearchAvailabilityAsync(Stay));
        sw.Stop();

        Assert.InRange(sw.Elapsed.TotalSeconds, 0.3, 1.8);
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
    public async Task QloApps_outage_opens_the_circuit_and_service_recovers()
    {
        await using var server = await FakeQloAppsServer.StartAsync();
        using var dir = new TempDirectory();
        using var http = new HttpClient();
        using var qlo = new QloAppsPmsClient(() => http, QloAppsPmsClientTests.Options(server.BaseUrl, FakeQloAppsServer.ApiKey), HotelProfile.Load(null), new QloAppsBookingIndex(dir.File("q.db")), TimeProvider.System);
        var options = FastOptions(o => { o.TimeoutSeconds = 0.3; o.AvailabilityCacheSeconds = 0; o.RetryCount = 1; });
        var pms = new ResilientPmsClient(qlo, options, _cache, _health, writesAreIdempotent: false);

        Assert.NotEmpty(await qlo.SearchAvailabilityAsync(Stay)); // warm up (JIT, connections, catalogue) outside the budget
        Assert.NotEmpty(await pms.SearchAvailabilityAsync(Stay));

        foreach (var fault in new[] { QloFault.Slow, QloFault.ServerError, QloFault.Garbage })
        {
            server.Fault = fault;
            await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.SearchAvailabilityAsync(Stay));
        }

        Assert.Equal(CircuitState.Open, pms.Health.State);
        var requests = server.Requests;
        var sw = Stopwatch.StartNew();
        Assert.True((await Assert.ThrowsAsync<PmsUnavailableException>(() => pms.SearchAvailabilityAsync(Stay))).CircuitOpen);
        Assert.True(sw.ElapsedMilliseconds < 250, $"open circuit took {sw.ElapsedMilliseconds} ms");
        Assert.Equal(requests, server.Requests);

        server.Fault = QloFault.None;
        await Task.Delay(TimeSpan.FromSeconds(0.8));
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
        using var health = new PmsHealth(PmsProvider.Embedded, TimeProvider.System, metrics);
        var inner = new ScriptedPmsClient();
        var pms = new ResilientPmsClient(inner, new PmsOptions { AvailabilityCacheSeconds = 30, RetryCount = 0 }, cache, health, writesAreIdempotent: true);
        var stay = new StayQuery(new DateOnly(2026, 12, 10), new DateOnly(2026, 12, 12), 2);

        await pms.SearchAvailabilityAsync(stay);
        await pms.SearchAvailabilityAsync(stay);

        Assert.Equal(["ok", "cache"], outcomes);
    }
}
