using System.Net.Http;
using HotelAgent.Core.Hotel;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace HotelAgent.Core.Pms.Resilience;

/// <summary>Where the PMS runs, which decides the resilience its calls get.</summary>
public enum PmsLocation
{
    /// <summary>Across a network (QloApps): timeouts, retries and a circuit breaker.</summary>
    Remote,

    /// <summary>
    /// In this process (the embedded SQLite PMS): a slow call means a busy CPU or disk, not a dead server, so no timeout
    /// and no circuit breaker may turn it into "the booking system does not answer"; only transient SQLite locking is retried.
    /// </summary>
    InProcess,
}

/// <summary>
/// Wraps any <see cref="IPmsClient"/> with Polly and a short availability cache invalidated by every write. A remote PMS
/// gets a per-attempt timeout, retry with exponential backoff and jitter on transient faults only, and one circuit breaker
/// shared by all calls; its reads are bounded by <see cref="PmsOptions.TotalTimeoutSeconds"/>. An in-process PMS
/// (<see cref="PmsLocation.InProcess"/>) gets the retries only. Writes are retried only when the inner PMS is idempotent by
/// key. Every transient failure surfaces as <see cref="PmsUnavailableException"/>; business errors (no availability, not
/// found, validation) pass through untouched and never count against the circuit.
/// </summary>
public sealed class ResilientPmsClient : IPmsClient
{
    private readonly IPmsClient _inner;
    private readonly IAvailabilityCache _cache;
    private readonly PmsHealth _health;
    private readonly ILogger _logger;
    private readonly TimeSpan _cacheDuration;
    private readonly ResiliencePipeline _readOuter;
    private readonly ResiliencePipeline _writeOuter;
    private readonly ResiliencePipeline _breaker;
    private readonly ResiliencePipeline _readAttempt;
    private readonly ResiliencePipeline _writeAttempt;

    /// <param name="writesAreIdempotent">True when the inner PMS deduplicates create/modify/cancel by idempotency key, so retrying a write is safe.</param>
    /// <param name="location">Remote PMSs get timeouts and the circuit breaker; in-process ones only retries.</param>
    public ResilientPmsClient(
        IPmsClient inner, PmsOptions options, IMemoryCache cache, PmsHealth health, bool writesAreIdempotent, ILogger<ResilientPmsClient>? logger = null,
        PmsLocation location = PmsLocation.Remote)
        : this(inner, options, new MemoryAvailabilityCache(cache ?? throw new ArgumentNullException(nameof(cache))), health, writesAreIdempotent, logger, location)
    {
    }

    /// <param name="cache">The availability cache: in process, or shared through Redis (<see cref="RedisAvailabilityCache"/>).</param>
    /// <param name="location">Remote PMSs get timeouts and the circuit breaker; in-process ones only retries.</param>
    public ResilientPmsClient(
        IPmsClient inner, PmsOptions options, IAvailabilityCache cache, PmsHealth health, bool writesAreIdempotent, ILogger<ResilientPmsClient>? logger = null,
        PmsLocation location = PmsLocation.Remote)
    {
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _health = health ?? throw new ArgumentNullException(nameof(health));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _cacheDuration = TimeSpan.FromSeconds(options.AvailabilityCacheSeconds);
        var time = health.Time;

        Location = location;
        if (location == PmsLocation.InProcess)
        {
            _health.MarkInProcess();
            _readOuter = BuildOuter(options, budget: null, options.RetryCount, time);
            _writeOuter = BuildOuter(options, budget: null, writesAreIdempotent ? options.RetryCount : 0, time);
            _readAttempt = _writeAttempt = _breaker = ResiliencePipeline.Empty;
            return;
        }

        _readOuter = BuildOuter(options, TimeSpan.FromSeconds(options.TotalTimeoutSeconds), options.RetryCount, time);
        _writeOuter = BuildOuter(options, TimeSpan.FromSeconds(options.WriteTimeoutSeconds), writesAreIdempotent ? options.RetryCount : 0, time);
        _readAttempt = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds)).Build();
        _writeAttempt = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(TimeSpan.FromSeconds(Math.Max(options.TimeoutSeconds, options.WriteTimeoutSeconds / (1 + (writesAreIdempotent ? options.RetryCount : 0))))).Build();
        _breaker = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(options.CircuitSamplingDurationSeconds),
                BreakDuration = TimeSpan.FromSeconds(options.CircuitBreakDurationSeconds),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                StateProvider = health.StateProvider,
                OnOpened = args =>
                {
                    Log.CircuitOpened(_logger, args.BreakDuration.TotalSeconds);
                    return default;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(_logger);
                    return default;
                },
            })
            .Build();
    }

    public PmsLocation Location { get; }

    public PmsHealth Health => _health;

    public Task<IReadOnlyList<RoomTypeInfo>> GetRoomTypesAsync(CancellationToken cancellationToken = default) =>
        CachedReadAsync("types", "room-types", ct => _inner.GetRoomTypesAsync(ct), cancellationToken);

    public Task<IReadOnlyList<RoomOffer>> SearchAvailabilityAsync(StayQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var key = $"avail:{query.CheckIn:yyyyMMdd}:{query.CheckOut:yyyyMMdd}:{query.Guests}:{query.RoomType?.ToUpperInvariant()}";
        return CachedReadAsync(key, "search", ct => _inner.SearchAvailabilityAsync(query, ct), cancellationToken);
    }

    public Task<IReadOnlyList<RoomTypeAvailability>> GetAvailabilityCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        CachedReadAsync($"cal:{from:yyyyMMdd}:{to:yyyyMMdd}", "calendar", ct => _inner.GetAvailabilityCalendarAsync(from, to, ct), cancellationToken);

    public Task<Reservation> GetReservationAsync(string reference, CancellationToken cancellationToken = default) =>
        ReadAsync("get", ct => _inner.GetReservationAsync(reference, ct), cancellationToken);

    public Task<IReadOnlyList<Reservation>> FindReservationsByContactAsync(string contact, CancellationToken cancellationToken = default) =>
        ReadAsync("find", ct => _inner.FindReservationsByContactAsync(contact, ct), cancellationToken);

    public Task<IReadOnlyList<Reservation>> ListReservationsAsync(ReservationFilter? filter = null, CancellationToken cancellationToken = default) =>
        ReadAsync("list", ct => _inner.ListReservationsAsync(filter, ct), cancellationToken);

    public Task<Reservation> CreateReservationAsync(NewReservation reservation, CancellationToken cancellationToken = default) =>
        WriteAsync("create", ct => _inner.CreateReservationAsync(reservation, ct), cancellationToken);

    public Task<Reservation> ModifyReservationAsync(string reference, ReservationChange change, CancellationToken cancellationToken = default) =>
        WriteAsync("modify", ct => _inner.ModifyReservationAsync(reference, change, ct), cancellationToken);

    public Task<CancellationOutcome> CancelReservationAsync(string reference, string idempotencyKey, CancellationToken cancellationToken = default) =>
        WriteAsync("cancel", ct => _inner.CancelReservationAsync(reference, idempotencyKey, ct), cancellationToken);

    /// <summary>Drops every cached availability answer (called after each write).</summary>
    public ValueTask InvalidateCacheAsync() => _cache.InvalidateAsync(CancellationToken.None);

    internal static bool IsTransient(Exception e) => e switch
    {
        PmsUnavailableException u => !u.CircuitOpen,
        PmsException => false,
        HttpRequestException => true,
        TimeoutRejectedException => true,
        TimeoutException => true,
        IOException => true,
        System.Text.Json.JsonException => true,
        SqliteException s => s.SqliteErrorCode is 5 or 6 or 10 or 14, // BUSY, LOCKED, IOERR, CANTOPEN
        _ => false,
    };

    private async Task<T> CachedReadAsync<T>(string key, string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        if (_cacheDuration <= TimeSpan.Zero)
        {
            return await ReadAsync(operation, call, cancellationToken);
        }

        var lookup = await _cache.GetAsync<T>(key, cancellationToken);
        if (lookup.Value is { } cached)
        {
            _health.RecordCall(operation, "cache");
            return cached;
        }

        var value = await ReadAsync(operation, call, cancellationToken);
        await _cache.SetAsync(key, value, lookup.Generation, _cacheDuration, cancellationToken);
        return value;
    }

    private Task<T> ReadAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(operation, _readOuter, _readAttempt, call, isWrite: false, cancellationToken);

    private async Task<T> WriteAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(operation, _writeOuter, _writeAttempt, call, isWrite: true, cancellationToken);
        }
        finally
        {
            // Any write (even a failed or unknown one) may have moved inventory.
            await InvalidateCacheAsync();
        }
    }

    private async Task<T> RunAsync<T>(string operation, ResiliencePipeline outer, ResiliencePipeline attempt, Func<CancellationToken, Task<T>> call, bool isWrite, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            // One context flows through the three pipelines so each timeout's token reaches the PMS call.
            var result = await outer.ExecuteAsync(
                static async (ctx, state) => await state.breaker.ExecuteAsync(
                    static async (ctx2, s) => await s.attempt.ExecuteAsync(static async (ctx3, c) => await c(ctx3.CancellationToken), ctx2, s.call),
                    ctx,
                    state),
                context,
                (breaker: _breaker, attempt, call));
            _health.RecordCall(operation, "ok");
            return result;
        }
        catch (BrokenCircuitException e)
        {
            _health.RecordCall(operation, "circuit-open");
            Log.Unavailable(_logger, operation, "circuit open");
            throw new PmsUnavailableException("The PMS is unavailable (circuit open).", e, circuitOpen: true);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (IsTransient(e) || e is OperationCanceledException)
        {
            _health.RecordCall(operation, "unavailable");
            _health.RecordUnavailable(operation, e);
            Log.Unavailable(_logger, operation, e.GetType().Name);
            if (e is PmsUnavailableException { OutcomeUnknown: true } || !isWrite)
            {
                throw e as PmsUnavailableException ?? new PmsUnavailableException("The PMS did not answer in time.", e);
            }

            throw new PmsUnavailableException("The PMS did not confirm the change; retry with the same idempotency key.", e, outcomeUnknown: true);
        }
        catch (PmsException)
        {
            _health.RecordCall(operation, "rejected");
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline BuildOuter(PmsOptions options, TimeSpan? budget, int retries, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (budget is { } total)
        {
            builder.AddTimeout(total);
        }

        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = args =>
                {
                    Log.TransientFailure(_logger, args.Outcome.Exception, args.Context.OperationKey ?? "pms", args.AttemptNumber + 1);
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
