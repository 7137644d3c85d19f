using System.Globalization;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HotelAgent.Core.Channels.Common;

/// <summary>The per-guest inbound limit the inbound pipeline asks (see <see cref="RateLimitDecision"/>).</summary>
public interface IGuestRateLimiter
{
    /// <summary>Takes one token for the guest's message and says what to do with it. Never throws for a storage outage.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(Channel channel, string guestId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The per-guest token bucket shared by every instance through Redis when <c>Redis__ConnectionString</c> or
/// <c>Redis__HostName</c> is set: one Lua script reads, refills, takes and writes the bucket atomically (time from this
/// instance's <see cref="TimeProvider"/>, so instances with ordinary clock skew agree). Without Redis, or while Redis cannot
/// be reached, the in-process <see cref="GuestRateLimiter"/> decides, with a warning once per outage: a Redis outage makes
/// limits per instance, it never drops a guest's message.
/// </summary>
public sealed partial class SharedGuestRateLimiter : IGuestRateLimiter
{
    // KEYS[1] bucket; ARGV: capacity, tokens per ms, now (ms), ttl (ms). Returns 0 allowed, 1 limited (notify), 2 limited (silent).
    private const string TokenBucketScript = """
        local b = redis.call('HMGET', KEYS[1], 't', 'ts', 'n')
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local now = tonumber(ARGV[3])
        local tokens = tonumber(b[1])
        local ts = tonumber(b[2])
        local notified = b[3]
        if tokens == nil then tokens = capacity; ts = now; notified = '0' end
        if now > ts then tokens = math.min(capacity, tokens + (now - ts) * rate); ts = now end
        local result
        if tokens >= 1 then tokens = tokens - 1; notified = '0'; result = 0
        elseif notified == '1' then result = 2
        else notified = '1'; result = 1 end
        redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(ts), 'n', notified)
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return result
        """;

    private readonly RedisConnection _redis;
    private readonly GuestRateLimiter _local;
    private readonly TimeProvider _time;
    private readonly ILogger<SharedGuestRateLimiter> _logger;
    private readonly double _capacity;
    private readonly double _perMillisecond;
    private readonly long _ttlMilliseconds;
    private int _degraded;

    public SharedGuestRateLimiter(RedisConnection redis, GuestRateLimiter local, IOptions<RateLimitOptions> options, TimeProvider time, ILogger<SharedGuestRateLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _local = local;
        _time = time;
        _logger = logger;
        _capacity = options.Value.Burst;
        _perMillisecond = options.Value.PerMinute / 60_000.0;
        _ttlMilliseconds = (long)Math.Ceiling(_capacity / _perMillisecond) + 60_000; // a full bucket needs no key
    }

    public async ValueTask<RateLimitDecision> AcquireAsync(Channel channel, string guestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        if (!_redis.IsConfigured)
        {
            return _local.Acquire(channel, guestId);
        }

        try
        {
            if (await _redis.TryGetDatabaseAsync(cancellationToken) is { } database)
            {
                var result = (int)await database.ScriptEvaluateAsync(
                    TokenBucketScript,
                    [new RedisKey($"{_redis.KeyPrefix}rl:{channel}:{KeyOf(guestId)}")],
                    [_capacity, _perMillisecond.ToString("R", CultureInfo.InvariantCulture), _time.GetUtcNow().ToUnixTimeMilliseconds(), _ttlMilliseconds]);
                if (Interlocked.Exchange(ref _degraded, 0) == 1)
                {
                    LogRestored(_logger);
                }

                return (RateLimitDecision)result;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            if (Interlocked.Exchange(ref _degraded, 1) == 0)
            {
                LogDegraded(_logger, ex.GetType().Name);
            }

            return _local.Acquire(channel, guestId);
        }

        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            LogDegraded(_logger, "not connected");
        }

        return _local.Acquire(channel, guestId);
    }

    /// <summary>Guest ids are phone numbers and addresses: Redis only sees a hash of them.</summary>
    private static string KeyOf(string guestId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(guestId)).AsSpan(0, 12));

    [LoggerMessage(EventId = 9410, Level = LogLevel.Warning, Message = "Redis unavailable ({Error}): per-guest rate limits are per instance until it is back")]
    private static partial void LogDegraded(ILogger logger, string error);

    [LoggerMessage(EventId = 9411, Level = LogLevel.Information, Message = "Redis is back: per-guest rate limits are shared again")]
    private static partial void LogRestored(ILogger logger);
}
