using HotelAgent.Core.Inbound;
using HotelAgent.Tests.Conversation;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Hosting;
using HotelAgent.Tests.Fakes.Storage;

namespace HotelAgent.Tests.Reliability;

/// <summary>
/// Two standalone hosts sharing a real redis-server (<c>Redis__ConnectionString</c>): the per-guest rate limit counts the
/// guest's messages on both, and when Redis dies mid-run the bot keeps answering on in-process limits.
/// </summary>
public sealed class RedisScaleOutTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private FakeGraphApi _graph = null!;
    private StandaloneHost _a = null!;
    private StandaloneHost _b = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _graph = await FakeGraphApi.StartAsync();
        var settings = ConversationEndToEndTests.Settings(_graph);
        settings["Redis:ConnectionString"] = _redis.ConnectionString;
        settings["RateLimit:Burst"] = "2";
        settings["RateLimit:PerMinute"] = "0.5";
        var hosts = await Task.WhenAll(StandaloneHost.StartAsync(settings), StandaloneHost.StartAsync(settings));
        (_a, _b) = (hosts[0], hosts[1]);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _graph.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task The_rate_limit_is_shared_by_two_hosts_and_a_killed_redis_does_not_stop_the_bot()
    {
        var onA = new GuestSimulator(_a, _graph, "5491155550401");
        var onB = new GuestSimulator(_b, _graph, "5491155550401");
        Assert.DoesNotContain(InboundPipeline.RateLimitNotice, await onA.SayAsync("hola"));
        Assert.DoesNotContain(InboundPipeline.RateLimitNotice, await onB.SayAsync("hay pileta?"));

        // The third message within the burst of 2 is refused wherever it lands: one polite notice.
        Assert.Equal([InboundPipeline.RateLimitNotice], await onA.SayAsync("y gimnasio?"));

        _redis.Kill();
        // Without Redis every instance limits on its own, and guests keep getting answers.
        var other = new GuestSimulator(_b, _graph, "5491155550402");
        var answer = await other.SayAsync("hola, tienen desayuno?");
        Assert.DoesNotContain(InboundPipeline.RateLimitNotice, answer);
        Assert.Contains("desayuno", string.Join('\n', answer), StringComparison.OrdinalIgnoreCase);
        var third = new GuestSimulator(_a, _graph, "5491155550403");
        Assert.DoesNotContain(InboundPipeline.RateLimitNotice, await third.SayAsync("buenas! dónde queda el hotel?"));
    }
}
