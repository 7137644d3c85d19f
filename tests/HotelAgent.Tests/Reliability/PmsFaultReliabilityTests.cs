using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using HotelAgent.Tests.Fakes.Pms;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// The standalone host on the QloApps provider against a faulty fake QloApps: every availability turn is answered
/// within 2 s with the graceful "PMS down" answer, the circuit opens (readiness shows it, not critical), and real
/// quotes come back after recovery and the break duration.
/// </summary>
public sealed class PmsFaultReliabilityTests
{
    private const string HotelPhone = "+54 11 4832-5500";

    [Fact]
    public async Task Pms_faults_get_a_graceful_answer_within_two_seconds_open_the_circuit_and_recover()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var qlo = await FakeQloAppsServer.StartAsync();
        var settings = ConversationEndToEndTests.Settings(graph);
        settings["Pms:Provider"] = "QloApps";
        settings["Pms:QloApps:BaseUrl"] = qlo.BaseUrl;
        settings["Pms:QloApps:ApiKey"] = FakeQloAppsServer.ApiKey;
        settings["Pms:QloApps:HotelId"] = "1";
        settings["Pms:AvailabilityCacheSeconds"] = "0";
        settings["Pms:CircuitBreakDurationSeconds"] = "2";

        // The 2 s goal needs short PMS timeouts (QloApps' defaults wait longer for a slow PHP server: docs/pms.md).
        settings["Pms:TimeoutSeconds"] = "0.8";
        settings["Pms:TotalTimeoutSeconds"] = "1.5";
        await using var host = await StandaloneHost.StartAsync(settings);
        var stay = ConversationEndToEndTests.FutureStay();
        var question = $"tenés lugar para 2 personas {stay.Spanish}?";
        var n = 0;
        GuestSimulator NewGuest() => new(host, graph, "54911555" + (90000 + Interlocked.Increment(ref n)).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Healthy: a real quote.
        var healthy = string.Join('\n', await NewGuest().SayAsync(question));
        Assert.Contains("USD 3.640", healthy, StringComparison.Ordinal);

        // Faulty: 500s, garbage, slow (3 s > the 1.5 s read budget), timeouts-by-slowness again.
        QloFault[] faults = [QloFault.ServerError, QloFault.Garbage, QloFault.Slow, QloFault.ServerError, QloFault.Slow, QloFault.Garbage];
        var timings = new List<string>();
        foreach (var fault in faults)
        {
            qlo.Fault = fault;
            var (elapsed, text) = await TimedTurnAsync(NewGuest(), question);
            timings.Add($"{fault}: {elapsed.TotalMilliseconds:F0} ms");
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"{fault} turn took {elapsed.TotalMilliseconds:F0} ms ({string.Join(", ", timings)})");
            Assert.True(text.Contains(HotelPhone, StringComparison.Ordinal), $"{fault}: {text}");
            Assert.DoesNotContain("3.640", text, StringComparison.Ordinal);
        }

        var (ready, pms) = await PmsReadinessAsync(host);
        Assert.True(ready, "the PMS check must not be critical");
        Assert.False(pms.GetProperty("healthy").GetBoolean());
        Assert.Contains("Open", pms.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // While open: no calls reach the PMS, still a fast graceful answer.
        var requestsBefore = qlo.Requests;
        var (openElapsed, openText) = await TimedTurnAsync(NewGuest(), question);
        Assert.True(openElapsed < TimeSpan.FromSeconds(2), $"open-circuit turn took {openElapsed.TotalMilliseconds:F0} ms");
        Assert.Contains(HotelPhone, openText, StringComparison.Ordinal);

        // Recovery: fake healthy again, break duration passes, real quotes again.
        qlo.Fault = QloFault.None;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var recovered = string.Join('\n', await NewGuest().SayAsync(question));
        Assert.Contains("USD 3.640", recovered, StringComparison.Ordinal);
        Assert.True(qlo.Requests > requestsBefore);
        var (_, pmsAfter) = await PmsReadinessAsync(host);
        Assert.True(pmsAfter.GetProperty("healthy").GetBoolean(), pmsAfter.GetRawText());
    }

    private static async Task<(TimeSpan Elapsed, string Text)> TimedTurnAsync(GuestSimulator guest, string text)
    {
        var before = guest.Received().Count;
        var status = await guest.PostAsync(WhatsAppWebhookSamples.Text(text, guest.WaId, profileName: "Lucía Fernández"));
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var watch = Stopwatch.StartNew();
        while (guest.Received().Count == before && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        var elapsed = watch.Elapsed;
        var texts = await guest.CollectAsync(before, expectReply: true);
        return (elapsed, string.Join('\n', texts));
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
