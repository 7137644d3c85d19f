using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.Common;

public class GuestRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.Zero));

    private GuestRateLimiter Create(int burst = 3, double perMinute = 6) =>
        new(Options.Create(new RateLimitOptions { Burst = burst, PerMinute = perMinute }), _time);

    [Fact]
    public void Burst_is_allowed_then_one_notice_then_silence()
    {
        var limiter = Create();
        var decisions = Enumerable.Range(0, 6).Select(_ => limiter.Acquire(Channel.WhatsApp, "+5491155551234")).ToList();

        Assert.Equal(
            [
                RateLimitDecision.Allowed, RateLimitDecision.Allowed, RateLimitDecision.Allowed,
                RateLimitDecision.LimitedNotify, RateLimitDecision.LimitedSilent, RateLimitDecision.LimitedSilent,
            ],
            decisions);
    }

    [Fact]
    public void Steady_rate_refills_and_a_new_streak_notifies_again()
    {
        var limiter = Create(burst: 2, perMinute: 6); // one token every 10 s
        const string guest = "+5491155551234";
        limiter.Acquire(Channel.WhatsApp, guest);
        limiter.Acquire(Channel.WhatsApp, guest);
        Assert.Equal(RateLimitDecision.LimitedNotify, limiter.Acquire(Channel.WhatsApp, guest));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RateLimitDecision.LimitedSilent, limiter.Acquire(Channel.WhatsApp, guest));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RateLimitDecision.Allowed, limiter.Acquire(Channel.WhatsApp, guest));
        Assert.Equal(RateLimitDecision.LimitedNotify, limiter.Acquire(Channel.WhatsApp, guest));
        Assert.Equal(RateLimitDecision.LimitedSilent, limiter.Acquire(Channel.WhatsApp, guest));
    }

    [Fact]
    public void Guests_and_channels_are_independent()
    {
        var limiter = Create(burst: 1);
        Assert.Equal(RateLimitDecision.Allowed, limiter.Acquire(Channel.WhatsApp, "+5491100000001"));
        Assert.Equal(RateLimitDecision.LimitedNotify, limiter.Acquire(Channel.WhatsApp, "+5491100000001"));
        Assert.Equal(RateLimitDecision.Allowed, limiter.Acquire(Channel.WhatsApp, "+5491100000002"));
        Assert.Equal(RateLimitDecision.Allowed, limiter.Acquire(Channel.Email, "+5491100000001"));
    }

    [Fact]
    public void Refill_never_exceeds_the_burst()
    {
        var limiter = Create(burst: 2, perMinute: 60);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(RateLimitDecision.Allowed, limiter.Acquire(Channel.WhatsApp, "g"));
        Assert.Equal(RateLimitDecision.Allowed, limiter.Acquire(Channel.WhatsApp, "g"));
        Assert.Equal(RateLimitDecision.LimitedNotify, limiter.Acquire(Channel.WhatsApp, "g"));
    }

    [Fact]
    public void Defaults_are_burst_8_and_20_per_minute()
    {
        var options = new RateLimitOptions();
        Assert.Equal(8, options.Burst);
        Assert.Equal(20, options.PerMinute);
    }

    [Fact]
    public void Concurrent_excess_notifies_exactly_once()
    {
        var limiter = Create(burst: 5, perMinute: 0.1);
        var decisions = new System.Collections.Concurrent.ConcurrentBag<RateLimitDecision>();
        Parallel.For(0, 50, _ => decisions.Add(limiter.Acquire(Channel.WhatsApp, "g")));
        Assert.Equal(5, decisions.Count(d => d == RateLimitDecision.Allowed));
        Assert.Equal(1, decisions.Count(d => d == RateLimitDecision.LimitedNotify));
        Assert.Equal(44, decisions.Count(d => d == RateLimitDecision.LimitedSilent));
    }
}
