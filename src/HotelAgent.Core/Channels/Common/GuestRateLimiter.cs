using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Common;

/// <summary>Per-guest inbound limits (section <c>RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Messages a guest may send at once before the steady rate applies.</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 8;

    /// <summary>Steady rate: messages per minute refilled into the guest's bucket.</summary>
    [Range(0.1, 100_000)]
    public double PerMinute { get; set; } = 20;
}

/// <summary>What to do with a guest's message.</summary>
public enum RateLimitDecision
{
    /// <summary>Process normally.</summary>
    Allowed,

    /// <summary>Over the limit for the first time in this streak: do not process; send one polite notice.</summary>
    LimitedNotify,

    /// <summary>Still over the limit and already notified: drop silently.</summary>
    LimitedSilent,
}

/// <summary>
/// Token bucket per (channel, guest) on <see cref="TimeProvider"/>: <see cref="RateLimitOptions.Burst"/> tokens,
/// refilled at <see cref="RateLimitOptions.PerMinute"/>. The first excess message of a streak is
/// <see cref="RateLimitDecision.LimitedNotify"/>, the next ones <see cref="RateLimitDecision.LimitedSilent"/>,
/// until a message is allowed again. In memory: a restart forgives everyone (acceptable for abuse limits).
/// <see cref="SharedGuestRateLimiter"/> runs the same bucket in Redis.
/// Hand-written rather than System.Threading.RateLimiting because its limiters read Stopwatch and their own Timer, never a
/// <see cref="TimeProvider"/> (dotnet/runtime#106447, open), so refill tests would wait on the real clock again.
/// </summary>
public sealed class GuestRateLimiter : IGuestRateLimiter
{
    private const int SweepEvery = 1024;

    private readonly ConcurrentDictionary<(Channel Channel, string GuestId), Bucket> _buckets = new();
    private readonly TimeProvider _timeProvider;
    private readonly double _capacity;
    private readonly double _perSecond;
    private int _calls;

    public GuestRateLimiter(IOptions<RateLimitOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _capacity = options.Value.Burst;
        _perSecond = options.Value.PerMinute / 60.0;
    }

    /// <summary>Takes one token for the guest's message and says what to do with it.</summary>
    public RateLimitDecision Acquire(Channel channel, string guestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        var now = _timeProvider.GetTimestamp();
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep(now);
        }

        var bucket = _buckets.GetOrAdd((channel, guestId), _ => new Bucket(_capacity, now));
        return bucket.Acquire(now, _timeProvider, _capacity, _perSecond);
    }

    public ValueTask<RateLimitDecision> AcquireAsync(Channel channel, string guestId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Acquire(channel, guestId));

    /// <summary>Forgets guests whose bucket is full again (they would be treated as new anyway).</summary>
    private void Sweep(long now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFull(now, _timeProvider, _capacity, _perSecond))
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long last)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _last = last;
        private bool _notified;

        public RateLimitDecision Acquire(long now, TimeProvider time, double capacity, double perSecond)
        {
            lock (_gate)
            {
                Refill(now, time, capacity, perSecond);
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    _notified = false;
                    return RateLimitDecision.Allowed;
                }

                if (_notified)
                {
                    return RateLimitDecision.LimitedSilent;
                }

                _notified = true;
                return RateLimitDecision.LimitedNotify;
            }
        }

        public bool IsFull(long now, TimeProvider time, double capacity, double perSecond)
        {
            lock (_gate)
            {
                Refill(now, time, capacity, perSecond);
                return _tokens >= capacity;
            }
        }

        private void Refill(long now, TimeProvider time, double capacity, double perSecond)
        {
            if (now <= _last)
            {
                return;
            }

            _tokens = Math.Min(capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
            _last = now;
        }
    }
}
