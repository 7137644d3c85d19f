using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Channels.Common;

/// <summary>Outbound pacing on a <see cref="FakeTimeProvider"/>: a send waits exactly until the clock reaches its slot.</summary>
public class OutboundThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Burst_passes_at_once_then_slots_are_spaced_by_the_rate()
    {
        var throttle = new OutboundThrottle(_time);
        throttle.Configure(Channel.WhatsApp, perSecond: 20, burst: 2);

        var delays = Enumerable.Range(0, 4).Select(_ => throttle.Reserve(Channel.WhatsApp).TotalMilliseconds).ToList();
        Assert.Equal([0, 0, 50, 100], delays.Select(d => Math.Round(d)));

        _time.Advance(TimeSpan.FromSeconds(1)); // refills, but never beyond the burst
        Assert.Equal(TimeSpan.Zero, throttle.Reserve(Channel.WhatsApp));
        Assert.Equal(TimeSpan.Zero, throttle.Reserve(Channel.WhatsApp));
        Assert.Equal(50, Math.Round(throttle.Reserve(Channel.WhatsApp).TotalMilliseconds));
    }

    [Fact]
    public async Task A_send_over_the_burst_waits_until_the_clock_reaches_its_slot()
    {
        var throttle = new OutboundThrottle(_time);
        throttle.Configure(Channel.WhatsApp, perSecond: 20, burst: 1);
        await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None); // the burst

        var second = throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None).AsTask();
        var third = throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        await third;
    }

    [Fact]
    public async Task Unconfigured_channels_are_not_throttled()
    {
        var throttle = new OutboundThrottle(_time);
        throttle.Configure(Channel.WhatsApp, perSecond: 0.1, burst: 1);

        // The clock never moves: every wait must complete without it.
        for (var i = 0; i < 100; i++)
        {
            Assert.True(throttle.WaitAsync(Channel.Email, CancellationToken.None).IsCompleted);
        }

        await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None);
        Assert.False(throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Waiting_honours_cancellation()
    {
        var throttle = new OutboundThrottle(_time);
        throttle.Configure(Channel.WhatsApp, perSecond: 0.01, burst: 1);
        await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var waiting = throttle.WaitAsync(Channel.WhatsApp, cts.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
