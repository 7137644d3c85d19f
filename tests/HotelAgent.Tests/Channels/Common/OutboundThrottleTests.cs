using System.Diagnostics;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Channels.Common;

public class OutboundThrottleTests
{
    [Fact]
    public void Burst_passes_at_once_then_slots_are_spaced_by_the_rate()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.Zero));
        var throttle = new OutboundThrottle(time);
        throttle.Configure(Channel.WhatsApp, perSecond: 20, burst: 2);

        var delays = Enumerable.Range(0, 4).Select(_ => throttle.Reserve(Channel.WhatsApp).TotalMilliseconds).ToList();
        Assert.Equal([0, 0, 50, 100], delays.Select(d => Math.Round(d)));

        time.Advance(TimeSpan.FromSeconds(1)); // refills, but never beyond the burst
        Assert.Equal(TimeSpan.Zero, throttle.Reserve(Channel.WhatsApp));
        Assert.Equal(TimeSpan.Zero, throttle.Reserve(Channel.WhatsApp));
        Assert.True(throttle.Reserve(Channel.WhatsApp) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Waiting_really_paces_sends()
    {
        var throttle = new OutboundThrottle(TimeProvider.System);
        throttle.Configure(Channel.WhatsApp, perSecond: 20, burst: 1);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None);
        }

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(180), $"4 paced sends at 20/s took only {watch.Elapsed}");
    }

    [Fact]
    public async Task Unconfigured_channels_are_not_throttled()
    {
        var throttle = new OutboundThrottle(TimeProvider.System);
        throttle.Configure(Channel.WhatsApp, perSecond: 0.1, burst: 1);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            await throttle.WaitAsync(Channel.Email, CancellationToken.None);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Waiting_honours_cancellation()
    {
        var throttle = new OutboundThrottle(TimeProvider.System);
        throttle.Configure(Channel.WhatsApp, perSecond: 0.01, burst: 1);
        await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => throttle.WaitAsync(Channel.WhatsApp, cts.Token).AsTask());
    }
}
