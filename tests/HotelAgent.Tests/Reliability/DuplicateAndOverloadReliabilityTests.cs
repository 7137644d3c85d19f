using System.Globalization;
using HotelAgent.Core.Inbound;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;

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
        var before = graph.SentMessages.Count;
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
        await ReliabilityWaits.QuietAsync(graph, before + (guests * expected.Count), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(30));

        foreach (var sim in sims)
        {
            var texts = sim.Received().Select(GuestSimulator.TextOf).ToArray();
            Assert.True(texts.SequenceEqual(expected), $"{sim.WaId} got {texts.Length} sends, expected {expected.Count}:\n" + string.Join("\n---\n", texts));
        }
    }

    [Fact]
    public async Task A_burst_above_the_limit_gets_one_polite_notice_and_many_bursting_guests_keep_memory_bounded()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var settings = ConversationEndToEndTests.Settings(graph);
        settings["RateLimit:Burst"] = "3";
        settings["RateLimit:PerMinute"] = "6";
        await using var host = await StandaloneHost.StartAsync(settings);

        // One guest: 25 messages in a burst.
        var guest = new GuestSimulator(host, graph, "5491155570000");
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, await guest.PostAsync(WhatsAppWebhookSamples.Text("hola " + i.ToString(CultureInfo.InvariantCulture), guest.WaId)));
        }

        await guest.CollectAsync(0, expectReply: true, TimeSpan.FromSeconds(10));
        var received = guest.Received().Select(GuestSimulator.TextOf).ToArray();
        Assert.Equal(1, received.Count(t => t == InboundPipeline.RateLimitNotice));
        var replies = received.Count(t => t != InboundPipeline.RateLimitNotice);
        Assert.True(replies is > 0 and <= 8, $"{replies} replies to a 25-message burst with Burst=3:\n" + string.Join("\n---\n", received));

        // Many guests bursting: memory stays bounded.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        const int guests = 60;
        using var gate = new SemaphoreSlim(8);
        var posts = new List<Task>();
        for (var g = 0; g < guests; g++)
        {
            var sim = new GuestSimulator(host, graph, "54911555" + (80000 + g).ToString(CultureInfo.InvariantCulture));
            for (var m = 0; m < 15; m++)
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
        await ReliabilityWaits.QuietAsync(graph, guests, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(40));
        var notices = graph.SentMessages.Count(m => m.Text == InboundPipeline.RateLimitNotice);
        Assert.Equal(1 + guests, notices);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - baseline < 256L * 1024 * 1024, $"managed heap grew by {(after - baseline) / (1024 * 1024)} MB");
    }
}
