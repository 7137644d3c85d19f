using System.Text.Json;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace HotelAgent.Core.Pms.Resilience;

/// <summary>
/// The short cache of PMS availability answers (<c>Pms__AvailabilityCacheSeconds</c>), dropped whole by every write. Shared
/// through Redis when it is configured, so a booking on one instance invalidates every instance's cached answers.
/// </summary>
public interface IAvailabilityCache
{
    /// <summary>The cached answer for <paramref name="key"/> (or null), and the cache generation it was looked up in.</summary>
    ValueTask<CacheLookup<T>> GetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class;

    /// <summary>
    /// Stores an answer read after <see cref="GetAsync{T}"/> under that lookup's generation: when a write invalidated the cache
    /// meanwhile, the answer (maybe read before the write) is never served.
    /// </summary>
    ValueTask SetAsync<T>(string key, T value, long generation, TimeSpan lifetime, CancellationToken cancellationToken)
        where T : class;

    /// <summary>Drops every cached answer (after any write, even a failed one: it may have moved inventory).</summary>
    ValueTask InvalidateAsync(CancellationToken cancellationToken);
}

/// <summary>A cache lookup: the answer or null, and the generation it belongs to.</summary>
public readonly record struct CacheLookup<T>(T? Value, long Generation)
    where T : class;

/// <summary>The in-process cache: a generation counter in the key makes invalidation one increment.</summary>
public sealed class MemoryAvailabilityCache(IMemoryCache cache) : IAvailabilityCache
{
    private long _generation;

    public ValueTask<CacheLookup<T>> GetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        var generation = Interlocked.Read(ref _generation);
        return ValueTask.FromResult(new CacheLookup<T>(cache.TryGetValue(FullKey(key, generation), out T? value) ? value : null, generation));
    }

    public ValueTask SetAsync<T>(string key, T value, long generation, TimeSpan lifetime, CancellationToken cancellationToken)
        where T : class
    {
        if (Interlocked.Read(ref _generation) == generation)
        {
            cache.Set(FullKey(key, generation), value, lifetime);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _generation);
        return ValueTask.CompletedTask;
    }

    private static string FullKey(string key, long generation) => $"pms:{generation}:{key}";
}

/// <summary>
/// The cache in Redis: answers as JSON under <c>{prefix}pms:{generation}:{key}</c> with the cache lifetime, the generation
/// an INCR-ed Redis counter. While Redis cannot be reached the in-process cache answers (and is invalidated too), with a
/// warning once per outage.
/// </summary>
public sealed partial class RedisAvailabilityCache(RedisConnection redis, MemoryAvailabilityCache local, ILogger<RedisAvailabilityCache>? logger = null) : IAvailabilityCache
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private int _degraded;

    private string GenerationKey => redis.KeyPrefix + "pms:generation";

    /// <summary>Generations of the Redis cache are tagged so they never collide with the local cache's (negative = local).</summary>
    public async ValueTask<CacheLookup<T>> GetAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        if (await DatabaseAsync(cancellationToken) is { } database)
        {
            try
            {
                var generation = (long?)await database.StringGetAsync(GenerationKey) ?? 0;
                var json = await database.StringGetAsync($"{redis.KeyPrefix}pms:{generation}:{key}");
                Restored();
                return new CacheLookup<T>(json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<T>(json.ToString()), generation);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
            {
                Degraded(ex);
            }
        }

        var found = await local.GetAsync<T>(key, cancellationToken);
        return found with { Generation = -1 - found.Generation };
    }

    public async ValueTask SetAsync<T>(string key, T value, long generation, TimeSpan lifetime, CancellationToken cancellationToken)
        where T : class
    {
        if (generation < 0)
        {
            await local.SetAsync(key, value, -1 - generation, lifetime, cancellationToken);
            return;
        }

        if (await DatabaseAsync(cancellationToken) is not { } database)
        {
            return;
        }

        try
        {
            await database.StringSetAsync($"{redis.KeyPrefix}pms:{generation}:{key}", JsonSerializer.Serialize(value), lifetime);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Degraded(ex);
        }
    }

    public async ValueTask InvalidateAsync(CancellationToken cancellationToken)
    {
        await local.InvalidateAsync(cancellationToken);
        if (await DatabaseAsync(cancellationToken) is not { } database)
        {
            return;
        }

        try
        {
            await database.StringIncrementAsync(GenerationKey);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Degraded(ex);
        }
    }

    private async ValueTask<IDatabase?> DatabaseAsync(CancellationToken cancellationToken)
    {
        var database = await redis.TryGetDatabaseAsync(cancellationToken);
        if (database is null)
        {
            Degraded(null);
        }

        return database;
    }

    private void Degraded(Exception? ex)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            LogDegraded(_logger, ex?.GetType().Name ?? "not connected");
        }
    }

    private void Restored()
    {
        if (Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            LogRestored(_logger);
        }
    }

    [LoggerMessage(EventId = 9412, Level = LogLevel.Warning, Message = "Redis unavailable ({Error}): the PMS availability cache is per instance until it is back")]
    private static partial void LogDegraded(ILogger logger, string error);

    [LoggerMessage(EventId = 9413, Level = LogLevel.Information, Message = "Redis is back: the PMS availability cache is shared again")]
    private static partial void LogRestored(ILogger logger);
}
