using System.Net.Http.Json;
using System.Text.Json;
using HotelAgent.Core.Observability;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using HotelAgent.Tests.Fakes.Pms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// The standalone host on the QloApps provider against a faulty fake QloApps, with the PMS resilience on a
/// fake clock (<see cref="ObservedFakeTimeProvider"/>): a slow QloApps costs the guest exactly the read budget (the answer comes once the
/// PMS clock passes it), 500s and garbage are answered at once, every faulty turn gets the graceful "PMS down" answer
/// with the hotel's phone, the circuit opens (readiness shows it, not critical), no request reaches QloApps while it is
/// open, and real quotes come back once the break has passed on the clock.
/// </summary>
public sealed class PmsFaultReliabilityTests
{
    private const string HotelPhone = "+54 11 4832-5500";

    [Fact]
    public async Task Pms_faults_get_a_graceful_answer_open_the_circuit_which_holds_calls_back_and_recover_after_the_break()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var qlo = await FakeQloAppsServer.StartAsync();
        qlo.SlowDelay = Timeout.InfiniteTimeSpan; // slow = answers only when HotelAgent gives up
        var pmsClock = new ObservedFakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = ConversationEndToEndTests.Settings(graph);
        settings["Pms:Provider"] = "QloApps";
        settings["Pms:QloApps:BaseUrl"] = qlo.BaseUrl;
        settings["Pms:QloApps:ApiKey"] = FakeQloAppsServer.ApiKey;
        settings["Pms:QloApps:HotelId"] = "1";
        settings["Pms:AvailabilityCacheSeconds"] = "0";
        // The circuit opens once 6 calls are in its window and 80 % of them failed: the six attempts below (each fault,
        // retried once; the slow retry is cut by the read budget, which the breaker does not count as a failure), so every
        // fault reaches QloApps and the last attempt opens it.
        settings["Pms:CircuitFailureRatio"] = "0.8";
        settings["Pms:CircuitMinimumThroughput"] = "6";
        await using var host = await StandaloneHost.StartAsync(settings, configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton(sp => new PmsHealth(PmsProvider.QloApps, pmsClock, sp.GetService<HotelAgentMetrics>()))));
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PmsOptions>>().Value;
        Assert.Equal(PmsOptions.QloAppsTimeoutSeconds, options.TimeoutSeconds);
        var stay = ConversationEndToEndTests.FutureStay();
        var question = $"tenés lugar para 2 personas {stay.Spanish}?";
        var n = 0;
        GuestSimulator NewGuest() => new(host, graph, "54911555" + (90000 + Interlocked.Increment(ref n)).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Healthy: a real quote.
        var healthy = string.Join('\n', await NewGuest().SayAsync(question));
        Assert.Contains("USD 3.640", healthy, StringComparison.Ordinal);
        Assert.Equal(1, options.RetryCount);
        pmsClock.Advance(TimeSpan.FromSeconds(options.CircuitSamplingDurationSeconds + 1)); // the healthy calls leave the circuit's window

        // Slow: the first attempt is cut when the PMS clock passes the 4 s attempt timeout, the retry (after its short
        // backoff) when it passes the 6 s read budget; the guest's answer is waiting on that clock, nothing else.
        qlo.Fault = QloFault.Slow;
        var slowGuest = NewGuest();
        var requests = qlo.RequestCount.Value;
        var slowTurn = await slowGuest.SendAsync(question);
        await qlo.RequestCount.WaitForAsync(requests + 1, what: "QloApps requests");
        var armed = pmsClock.ArmedTimers.Value; // the budget and the attempt timeout
        pmsClock.Advance(TimeSpan.FromSeconds(options.TimeoutSeconds));
        await pmsClock.ArmedTimers.WaitForAsync(armed + 1, what: "the retry's backoff");
        var backoff = TimeSpan.FromSeconds(0.5); // the first jittered backoff from a 0.1 s base is under 0.14 s
        pmsClock.Advance(backoff);
        await qlo.RequestCount.WaitForAsync(requests + 2, what: "QloApps requests (the retry)");
        Assert.Equal(0, await slowGuest.HandledAsync()); // the turn is held by the PMS call, which waits on the clock
        pmsClock.Advance(TimeSpan.FromSeconds(options.TotalTimeoutSeconds - options.TimeoutSeconds) - backoff);
        AssertGraceful("Slow", string.Join('\n', await slowGuest.RepliesAsync(slowTurn)));

        // 500s and garbage: the attempt fails at once, the retry waits only its backoff on the clock.
        foreach (var fault in new[] { QloFault.ServerError, QloFault.Garbage })
        {
            qlo.Fault = fault;
            requests = qlo.RequestCount.Value;
            armed = pmsClock.ArmedTimers.Value;
            var guest = NewGuest();
            var turn = await guest.SendAsync(question);
            await pmsClock.ArmedTimers.WaitForAsync(armed + 3, what: $"{fault}: budget, attempt timeout and the retry's backoff");
            pmsClock.Advance(backoff);
            AssertGraceful(fault.ToString(), string.Join('\n', await guest.RepliesAsync(turn)));
            Assert.Equal(requests + 2, qlo.RequestCount.Value);
        }

        var (ready, pms) = await PmsReadinessAsync(host);
        Assert.True(ready, "the PMS check must not be critical");
        Assert.False(pms.GetProperty("healthy").GetBoolean());
        Assert.Contains("circuit Open", pms.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // While open: no request reaches QloApps (even a healthy one), and the guest still gets the graceful answer.
        qlo.Fault = QloFault.None;
        requests = qlo.RequestCount.Value;
        AssertGraceful("open circuit", string.Join('\n', await NewGuest().SayAsync(question)));
        Assert.Equal(requests, qlo.RequestCount.Value);

        // Recovery: once the break has passed on the clock, one probe goes through and real quotes come back.
        pmsClock.Advance(TimeSpan.FromSeconds(options.CircuitBreakDurationSeconds));
        var recovered = string.Join('\n', await NewGuest().SayAsync(question));
        Assert.Contains("USD 3.640", recovered, StringComparison.Ordinal);
        Assert.True(qlo.RequestCount.Value > requests);
        var (_, pmsAfter) = await PmsReadinessAsync(host);
        Assert.True(pmsAfter.GetProperty("healthy").GetBoolean(), pmsAfter.GetRawText());
    }

    private static void AssertGraceful(string fault, string text)
    {
        Assert.True(text.Contains(HotelPhone, StringComparison.Ordinal), $"{fault}: {text}");
        Assert.DoesNotContain("3.640", text, StringComparison.Ordinal);
    }

    private static async Task<(bool Ready, JsonElement Pms)> PmsReadinessAsync(StandaloneHost host)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync("/api/health/ready");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var pms = json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "pms");
        Assert.False(pms.GetProperty("critical").GetBoolean());
        return (response.IsSuccessStatusCode, pms);
    }
}
