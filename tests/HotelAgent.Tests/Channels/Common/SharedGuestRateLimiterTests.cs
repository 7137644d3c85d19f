using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using HotelAgent.Tests.Fakes.Channels;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Channels.Common;

/// <summary>The per-guest limit shared by two instances through a real redis-server, and its fallback when Redis dies.</summary>
[Collection(RedisCollection.Name)]
public sealed class SharedGuestRateLimiterTests(RedisFixture redis)
{
    private static readonly RateLimitOptions Limits = new() { Burst = 3, PerMinute = 6 };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8] + ":";

    [Fact]
    public async Task Two_instances_share_one_bucket_per_guest()
    {
        await using var connectionA = Connect(redis.Server.ConnectionString);
        await using var connectionB = Connect(redis.Server.ConnectionString);
        var a = Limiter(connectionA);
        var b = Limiter(connectionB);

        Assert.Equal(RateLimitDecision.Allowed, await a.AcquireAsync(Channel.WhatsApp, "5491155550001"));
        Assert.Equal(RateLimitDecision.Allowed, await b.AcquireAsync(Channel.WhatsApp, "5491155550001"));
        Assert.Equal(RateLimitDecision.Allowed, await a.AcquireAsync(Channel.WhatsApp, "5491155550001"));
        Assert.Equal(RateLimitDecision.LimitedNotify, await b.AcquireAsync(Channel.WhatsApp, "5491155550001"));
        Assert.Equal(RateLimitDecision.LimitedSilent, await a.AcquireAsync(Channel.WhatsApp, "5491155550001"));
        Assert.Equal(RateLimitDecision.Allowed, await b.AcquireAsync(Channel.WhatsApp, "5491155550002")); // another guest
        Assert.Equal(RateLimitDecision.Allowed, await a.AcquireAsync(Channel.Email, "5491155550001")); // another channel

        _time.Advance(TimeSpan.FromSeconds(10)); // 6 per minute: one token back
        Assert.Equal(RateLimitDecision.Allowed, await b.AcquireAsync(Channel.WhatsApp, "5491155550001"));
        Assert.Equal(RateLimitDecision.LimitedNotify, await a.AcquireAsync(Channel.WhatsApp, "5491155550001"));

        // Redis keeps no contact: the key is a hash of the guest id.
        await using var admin = await redis.Server.AdminAsync();
        var keys = admin.GetServer(admin.GetEndPoints()[0]).Keys(pattern: _prefix + "*").Select(k => k.ToString()).ToList();
        Assert.NotEmpty(keys);
        Assert.DoesNotContain(keys, k => k.Contains("5491155550001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_messages_on_two_instances_never_exceed_the_burst()
    {
        await using var connectionA = Connect(redis.Server.ConnectionString);
        await using var connectionB = Connect(redis.Server.ConnectionString);
        var limiters = new[] { Limiter(connectionA), Limiter(connectionB) };
        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () => await limiters[i % 2].AcquireAsync(Channel.WhatsApp, "5491155550009"))));
        Assert.Equal(3, decisions.Count(d => d == RateLimitDecision.Allowed));
        Assert.Equal(1, decisions.Count(d => d == RateLimitDecision.LimitedNotify));
    }

    [Fact]
    public async Task A_killed_redis_degrades_to_per_instance_limits_with_a_warning_and_sharing_resumes_when_it_is_back()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connectionA = Connect(server.ConnectionString);
        await using var connectionB = Connect(server.ConnectionString);
        var a = Limiter(connectionA);
        var b = Limiter(connectionB);
        Assert.Equal(RateLimitDecision.Allowed, await a.AcquireAsync(Channel.WhatsApp, "5491155550003"));

        server.Kill();
        // Every message is still decided (never an exception, never a drop): each instance now has its own bucket.
        var during = new List<RateLimitDecision>();
        for (var i = 0; i < 4; i++)
        {
            during.Add(await a.AcquireAsync(Channel.WhatsApp, "5491155550003"));
            during.Add(await b.AcquireAsync(Channel.WhatsApp, "5491155550003"));
        }

        Assert.Equal(6, during.Count(d => d == RateLimitDecision.Allowed)); // 3 per instance
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("per-guest rate limits are per instance", StringComparison.Ordinal));

        await server.RestartAsync();
        _time.Advance(TimeSpan.FromMinutes(5)); // every bucket full again
        var after = new List<RateLimitDecision>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(connectionA.IsConnected && connectionB.IsConnected))
        {
            Assert.True(DateTime.UtcNow < deadline, "the connections did not come back to Redis");
            await Task.Delay(100);
        }

        for (var i = 0; i < 3; i++)
        {
            after.Add(await a.AcquireAsync(Channel.WhatsApp, "5491155550005"));
            after.Add(await b.AcquireAsync(Channel.WhatsApp, "5491155550005"));
        }

        Assert.Equal(3, after.Count(d => d == RateLimitDecision.Allowed)); // shared again
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("shared again", StringComparison.Ordinal));
    }

    private RedisConnection Connect(string connectionString) =>
        new(Options.Create(new RedisOptions { ConnectionString = connectionString, KeyPrefix = _prefix }), _time, new Logger<RedisConnection>(new LoggerFactory([_logs])));

    private SharedGuestRateLimiter Limiter(RedisConnection connection) =>
        new(connection, new GuestRateLimiter(Options.Create(Limits), _time), Options.Create(Limits), _time, new Logger<SharedGuestRateLimiter>(new LoggerFactory([_logs])));
}
