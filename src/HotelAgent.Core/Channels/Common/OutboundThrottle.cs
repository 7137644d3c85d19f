using System.Collections.Concurrent;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// Per-channel outbound pacing (token bucket on <see cref="TimeProvider"/>): up to a burst at once, then a
/// steady rate. Callers wait their turn instead of being rejected, so providers never see a spike.
/// Hand-written rather than System.Threading.RateLimiting's queueing token bucket: that one cannot run on a
/// <see cref="TimeProvider"/> (dotnet/runtime#106447), so pacing tests would wait on the real clock again.
/// </summary>
public sealed class OutboundThrottle(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<Channel, Bucket> _buckets = new();

    /// <summary>Sets the pace of a channel (the WhatsApp client does this from its options).</summary>
    public void Configure(Channel channel, double perSecond, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _buckets.AddOrUpdate(
            channel,
            _ => new Bucket(perSecond, burst, timeProvider.GetTimestamp()),
            (_, existing) => existing.Rate == perSecond && existing.Capacity == burst ? existing : new Bucket(perSecond, burst, timeProvider.GetTimestamp()));
    }

    /// <summary>Waits until the channel may send one more message. Unconfigured channels are not throttled.</summary>
    public async ValueTask WaitAsync(Channel channel, CancellationToken cancellationToken)
    {
        var delay = Reserve(channel);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    /// <summary>Takes a slot and returns how long its caller must wait (zero when unconfigured or within the burst).</summary>
    internal TimeSpan Reserve(Channel channel) =>
        _buckets.TryGetValue(channel, out var bucket) ? bucket.Reserve(timeProvider) : TimeSpan.Zero;

    private sealed class Bucket(double rate, int capacity, long startTimestamp)
    {
        private readonly Lock _gate = new();
        private double _tokens = capacity;
        private long _last = startTimestamp;

        public double Rate { get; } = rate;

        public int Capacity { get; } = capacity;

        /// <summary>Takes a token (possibly going into debt) and returns how long the caller must wait.</summary>
        public TimeSpan Reserve(TimeProvider time)
        {
            lock (_gate)
            {
                var now = time.GetTimestamp();
                var elapsed = time.GetElapsedTime(_last, now).TotalSeconds;
                _last = now;
                _tokens = Math.Min(Capacity, _tokens + (elapsed * Rate));
                _tokens -= 1;
                return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / Rate);
            }
        }
    }
}
