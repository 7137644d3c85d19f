using System.Diagnostics;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Channels.Common;

public class OutboundThrottleTests
{
    [Fact]
    public async Task Burst_passes_at_once_then_the_rate_paces_sends()
    {
        var throttle = new OutboundThrottle(TimeProvider.System);
        throttle.Configure(Channel.WhatsApp, perSecond: 20, burst: 2);
        var watch = Stopwatch.StartNew();

        await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None);
        await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None);
        var burstTime = watch.Elapsed;
        for (var i = 0; i < 4; i++)
        {
            await throttle.WaitAsync(Channel.WhatsApp, CancellationToken.None);
        }

        Assert.True(burstTime < TimeSpan.FromMilliseconds(40), $"burst took {burstTime}");
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
