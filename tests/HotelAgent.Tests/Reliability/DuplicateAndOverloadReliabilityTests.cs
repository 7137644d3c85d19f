using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Inbound;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Reliability;

/// <summary>Concurrent duplicate deliveries (Meta retries) and bursts above the per-guest rate limit, on the real host.</summary>
public sealed class DuplicateAndOverloadReliabilityTests
{
    [Fact]
    public async Task Each_message_id_delivered_five_times_concurrently_gets_exactly_one_reply()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var host = await StandaloneHost.StartAsync(ConversationEndToEndTests.Settings(graph));

        // Control: what one delivery of "Hola!" produces.
        var control = new GuestSimulator(host, graph, "5491155560000");
        var expected = await control.SayAsync("Hola!");

        const int guests = 40;
        var sims = Enumerable.Range(1, guests)
            .Select(i => new GuestSimulator(host, graph, "54911555" + (60000 + i).ToString(CultureInfo.InvariantCulture)))
            .ToArray();
        var deliveries = new List<Task<System.Net.HttpStatusCode>>();
        foreach (var sim in sims)
        {
            var body = WhatsAppWebhookSamples.Text("Hola!", sim.WaId, "wamid.DUP-" + sim.WaId, profileName: "Lucía Fernández");
            for (var copy = 0; copy < 5; copy++)
            {
                deliveries.Add(Task.Run(() => sim.PostAsync(body)));
            }
        }

        var statuses = await Task.WhenAll(deliveries);
        Assert.All(statuses, s => Assert.Equal(System.Net.HttpStatusCode.OK, s));

        // Every acknowledged copy was decided before its 200: four per guest were dropped at the exactly-once gate.
        Assert.Equal(guests * 4, (await TotalsAsync(host)).GetProperty("duplicates").GetInt32());
        foreach (var sim in sims)
        {
            await sim.WaitForHandledAsync(1);
            var texts = sim.Received().Select(GuestSimulator.TextOf).ToArray();
            Assert.True(texts.SequenceEqual(expected), $"{sim.WaId} got {texts.Length} sends, expected {expected.Count}:\n" + string.Join("\n---\n", texts));
            Assert.Equal(1, await sim.HandledAsync());
        }
    }

    [Fact]
    public async Task A_message_whose_claim_completion_a_kill_lost_is_handed_on_again_and_still_gets_one_reply()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var host = await StandaloneHost.StartAsync(ConversationEndToEndTests.Settings(graph));
        var sim = new GuestSimulator(host, graph, "5491155570001");
        var wamid = WhatsAppWebhookSamples.NewWamid();
        var first = await sim.SayAsync("Hola!", wamid);

        // What a kill -9 leaves between the hand-off and the commit of the claim's completion (which the webhook no
        // longer waits for: it joins the next channels.db write): the claim pending, owned by a process that is gone.
        var channels = host.Services.GetRequiredService<ChannelsDatabase>();
        await channels.WriteAsync(
            w => w.Execute("UPDATE processed_messages SET completed = 0, owner = 'killed-process' WHERE provider_message_id = $id;", ("$id", wamid)),
            CancellationToken.None);

        // Meta redelivers it: the gate lets it through (a message is never lost to a dead claim) ...
        await sim.RedeliverAsync("Hola!", wamid);
        Assert.Equal(0, (await TotalsAsync(host)).GetProperty("duplicates").GetInt32());

        // ... and the conversation drops the id it already answered: the next turn is the only other reply.
        var later = await sim.SayAsync("¿A qué hora es el check-in?");
        Assert.Equal(first.Count + later.Count, sim.Received().Count);
        Assert.Equal(2, await sim.HandledAsync());
        Assert.True(await Eventually.TrueAsync(async () => await channels.ReadScalarAsync(
            "SELECT completed FROM processed_messages WHERE provider_message_id = $id;", CancellationToken.None, ("$id", wamid)) is 1L));
    }

    [Fact]
    public async Task A_burst_above_the_limit_gets_one_polite_notice_and_the_clock_refills_the_bucket()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var limiterClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartWithLimitAsync(graph, limiterClock, burst: 3, perMinute: 6);

        // 25 messages at once: the bucket holds 3, the clock does not move, so exactly 3 reach the conversation.
        var guest = new GuestSimulator(host, graph, "5491155570000");
        for (var i = 0; i < 25; i++)
        {
            var text = "hola " + i.ToString(CultureInfo.InvariantCulture);
            Assert.Equal(System.Net.HttpStatusCode.OK, await guest.PostAsync(WhatsAppWebhookSamples.Text(text, guest.WaId, Wamid(i))));
        }

        Assert.Equal(22, (await TotalsAsync(host)).GetProperty("rateLimited").GetInt32());
        await guest.WaitForHandledAsync(3);
        var received = guest.Received();
        var notice = Assert.Single(received, m => GuestSimulator.TextOf(m) == InboundPipeline.RateLimitNotice);
        Assert.Equal(Wamid(3) + ":rate-limit", notice.CallbackData);
        Assert.All(received.Where(m => m != notice), m => Assert.Matches("^wamid\\.BURST-[012]:", m.CallbackData));

        // One token comes back every 10 s of the limiter's clock: the next message is answered, the one after starts a
        // new streak with a new notice.
        limiterClock.Advance(TimeSpan.FromSeconds(10));
        Assert.NotEmpty(await guest.SayAsync("hola de nuevo", Wamid(25)));
        Assert.Equal(System.Net.HttpStatusCode.OK, await guest.PostAsync(WhatsAppWebhookSamples.Text("otra vez", guest.WaId, Wamid(26))));
        Assert.Equal(2, guest.Received().Count(m => GuestSimulator.TextOf(m) == InboundPipeline.RateLimitNotice));
        Assert.Equal(4, await guest.HandledAsync());
    }

    internal static string Wamid(int i) => "wamid.BURST-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>The host with the per-guest limiter on <paramref name="limiterClock"/> (everything else on the machine clock).</summary>
    internal static Task<StandaloneHost> StartWithLimitAsync(FakeGraphApi graph, FakeTimeProvider limiterClock, int burst, double perMinute)
    {
        var settings = ConversationEndToEndTests.Settings(graph);
        settings["RateLimit:Burst"] = burst.ToString(CultureInfo.InvariantCulture);
        settings["RateLimit:PerMinute"] = perMinute.ToString(CultureInfo.InvariantCulture);
        return StandaloneHost.StartAsync(settings, configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton(sp => new GuestRateLimiter(sp.GetRequiredService<IOptions<RateLimitOptions>>(), limiterClock))));
    }

    internal static async Task<JsonElement> TotalsAsync(StandaloneHost host)
    {
        using var staff = host.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneHost.StaffKey);
        return (await staff.GetFromJsonAsync<JsonElement>("/api/staff/stats")).GetProperty("totals");
    }
}

/// <summary>Many guests bursting at once: one notice each, and the managed heap stays bounded.</summary>
[Collection(MemoryMeasuringCollection.Name)]
public sealed class OverloadMemoryReliabilityTests
{
    [Fact]
    public async Task Many_bursting_guests_get_one_notice_each_and_keep_memory_bounded()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var limiterClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await DuplicateAndOverloadReliabilityTests.StartWithLimitAsync(graph, limiterClock, burst: 3, perMinute: 6);

        // Warm up (JIT, pools, the first conversation) outside the measurement.
        var warm = new GuestSimulator(host, graph, "5491155579999");
        await warm.SayAsync("hola");
        ForceFullCollection();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        const int guests = 60;
        const int perGuest = 15;
        using var gate = new SemaphoreSlim(8);
        var sims = Enumerable.Range(0, guests).Select(g => new GuestSimulator(host, graph, "54911555" + (80000 + g).ToString(CultureInfo.InvariantCulture))).ToArray();
        var posts = new List<Task>();
        foreach (var sim in sims)
        {
            for (var m = 0; m < perGuest; m++)
            {
                var text = m % 2 == 0 ? "hola" : "tienen lugar para 2?";
                posts.Add(Task.Run(async () =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        Assert.Equal(System.Net.HttpStatusCode.OK, await sim.PostAsync(WhatsAppWebhookSamples.Text(text, sim.WaId)));
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
        }

        await Task.WhenAll(posts);
        Assert.Equal(guests * (perGuest - 3), (await DuplicateAndOverloadReliabilityTests.TotalsAsync(host)).GetProperty("rateLimited").GetInt32());
        foreach (var sim in sims)
        {
            await sim.WaitForHandledAsync(3);
            Assert.Single(sim.Received(), m => GuestSimulator.TextOf(m) == InboundPipeline.RateLimitNotice);
        }

        ForceFullCollection();
        var growth = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Assert.True(growth < MaxGrowth, $"managed heap grew by {growth / (1024 * 1024.0):F1} MB for {guests} guests");
    }

    /// <summary>
    /// What 60 guests may keep alive after their bursts (their conversations and limiter buckets are small; the
    /// measured growth was a few MB). The class runs alone (<see cref="MemoryMeasuringCollection"/>), so other tests'
    /// allocations do not count.
    /// </summary>
    private const long MaxGrowth = 48L * 1024 * 1024;

    private static void ForceFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

/// <summary>Tests that measure the process's managed heap run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    public const string Name = "memory measuring (not parallel)";
}
