using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.Configuration;

namespace HotelAgent.Core.Storage;

/// <summary>Redis shared by every instance (section <c>Redis</c>): the per-guest rate limit and the PMS availability cache.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis connection string (<c>host:port,password=...,ssl=true</c>); wins over <see cref="HostName"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Host of an Azure Managed Redis / Azure Cache for Redis with Microsoft Entra authentication (no access keys): the app's
    /// managed identity signs in with a token for <c>https://redis.azure.com/.default</c>, renewed before it expires.
    /// </summary>
    public string? HostName { get; set; }

    /// <summary>Port with <see cref="HostName"/> (Azure Managed Redis: 10000; Azure Cache for Redis: 6380).</summary>
    public int Port { get; set; } = 10000;

    /// <summary>TLS with <see cref="HostName"/> (Azure requires it; off only for a local server in tests).</summary>
    public bool Ssl { get; set; } = true;

    /// <summary>Client id of a user-assigned managed identity (empty: the system-assigned one / DefaultAzureCredential).</summary>
    public string? ClientId { get; set; }

    /// <summary>Prefix of every key (one per app sharing a Redis).</summary>
    public string KeyPrefix { get; set; } = "hotelagent:";

    /// <summary>Connect and operation timeout: a slow Redis falls back to in-process state rather than delaying a guest.</summary>
    public int TimeoutMilliseconds { get; set; } = 1000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(HostName);
}

/// <summary>
/// The app's one Redis connection (StackExchange.Redis multiplexer), opened on first use and never fatal: until Redis
/// answers, <see cref="TryGetDatabaseAsync"/> returns null and callers use their in-process fallback. With Entra ID the user
/// is the identity's object id and the password its access token; a timer on <see cref="TimeProvider"/> fetches a new token
/// before expiry and re-AUTHs every connection (what Microsoft.Azure.StackExchangeRedis does, which is not served here).
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    /// <summary>Token scope of Azure Managed Redis and Azure Cache for Redis.</summary>
    public const string TokenScope = "https://redis.azure.com/.default";

    /// <summary>A token is renewed this long before it expires.</summary>
    public static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromMinutes(5);

    private readonly RedisOptions _options;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly EntraCredentials? _entra;
    private ConnectionMultiplexer? _multiplexer;
    private ITimer? _renewTimer;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;

    public RedisConnection(IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisConnection>? logger = null, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (string.IsNullOrWhiteSpace(_options.ConnectionString) && !string.IsNullOrWhiteSpace(_options.HostName))
        {
            _credential = credential ?? AzureCredentials.Create(_options.ClientId);
            _entra = new EntraCredentials();
        }
    }

    public bool IsConfigured => _options.IsConfigured;

    /// <summary>True while the multiplexer holds a live connection.</summary>
    public bool IsConnected => _multiplexer?.IsConnected == true;

    public string KeyPrefix => _options.KeyPrefix;

    /// <summary>When the current Entra token expires (null without Entra ID or before the first sign-in).</summary>
    public DateTimeOffset? TokenExpiresOn => _entra?.ExpiresOn;

    /// <summary>The database, or null while Redis is not configured or cannot be reached (retried at most every 5 s).</summary>
    public async Task<IDatabase?> TryGetDatabaseAsync(CancellationToken cancellationToken = default)
    {
        if (!IsConfigured)
        {
            return null;
        }

        if (_multiplexer is { } ready)
        {
            return ready.GetDatabase();
        }

        if (_time.GetUtcNow() < _nextAttempt)
        {
            return null;
        }

        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (_multiplexer is { } raced)
            {
                return raced.GetDatabase();
            }

            var configuration = await BuildConfigurationAsync(cancellationToken);
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
            if (!multiplexer.IsConnected)
            {
                // AbortOnConnectFail=false keeps reconnecting in the background; callers use the fallback meanwhile.
                LogNotConnected(_logger, configuration.EndPoints.Count > 0 ? configuration.EndPoints[0].ToString() ?? "?" : "?");
            }

            _multiplexer = multiplexer;
            if (_entra is not null)
            {
                ScheduleRenewal();
            }

            return multiplexer.GetDatabase();
        }
        catch (Exception ex) when (ex is RedisException or Azure.Identity.AuthenticationFailedException or Azure.RequestFailedException or InvalidOperationException or ArgumentException)
        {
            _nextAttempt = _time.GetUtcNow().AddSeconds(5);
            LogConnectFailed(_logger, ex.GetType().Name, ex.Message);
            return null;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>Fetches a new token now and re-AUTHs every connection with it (the renewal timer calls this).</summary>
    public async Task RenewTokenAsync(CancellationToken cancellationToken = default)
    {
        if (_entra is null || _credential is null)
        {
            return;
        }

        await AcquireTokenAsync(cancellationToken);
        if (_multiplexer is { } multiplexer)
        {
            foreach (var server in multiplexer.GetServers())
            {
                try
                {
                    await server.ExecuteAsync("AUTH", _entra.User!, _entra.Password!);
                }
                catch (RedisException ex)
                {
                    // A connection that misses the new token re-authenticates with it when it reconnects.
                    LogReauthFailed(_logger, server.EndPoint.ToString() ?? "?", ex.GetType().Name);
                }
            }
        }

        LogTokenRenewed(_logger, _entra.ExpiresOn);
    }

    public async ValueTask DisposeAsync()
    {
        _renewTimer?.Dispose();
        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.DisposeAsync();
        }

        _connectGate.Dispose();
    }

    private async Task<ConfigurationOptions> BuildConfigurationAsync(CancellationToken cancellationToken)
    {
        ConfigurationOptions configuration;
        if (!string.IsNullOrWhiteSpace(_options.ConnectionString))
        {
            configuration = ConfigurationOptions.Parse(_options.ConnectionString);
        }
        else
        {
            configuration = new ConfigurationOptions { Ssl = _options.Ssl };
            configuration.EndPoints.Add(_options.HostName!, _options.Port);
            await AcquireTokenAsync(cancellationToken);
            configuration.Defaults = _entra!; // user and password are read from it at every (re)connect
        }

        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = _options.TimeoutMilliseconds;
        configuration.SyncTimeout = _options.TimeoutMilliseconds;
        configuration.AsyncTimeout = _options.TimeoutMilliseconds;
        configuration.ConnectRetry = 1;
        configuration.BacklogPolicy = BacklogPolicy.FailFast; // while disconnected, fail at once and let the caller fall back
        return configuration;
    }

    private async Task AcquireTokenAsync(CancellationToken cancellationToken)
    {
        var token = await _credential!.GetTokenAsync(new TokenRequestContext([TokenScope]), cancellationToken);
        _entra!.Update(ObjectId(token.Token), token.Token, token.ExpiresOn);
    }

    private void ScheduleRenewal()
    {
        var due = _entra!.ExpiresOn - RenewBeforeExpiry - _time.GetUtcNow();
        _renewTimer?.Dispose();
        _renewTimer = _time.CreateTimer(
            async _ =>
            {
                try
                {
                    await RenewTokenAsync();
                }
#pragma warning disable CA1031 // A failed renewal is logged and retried; the timer callback must not throw.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogRenewFailed(_logger, ex.GetType().Name);
                    _entra.ExpiresOn = _time.GetUtcNow() + RenewBeforeExpiry + TimeSpan.FromMinutes(1);
                }

                ScheduleRenewal();
            },
            null,
            due > TimeSpan.Zero ? due : TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>The <c>oid</c> claim of the access token: Redis knows an Entra identity by its object id.</summary>
    internal static string ObjectId(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length < 2)
        {
            throw new ArgumentException("The Redis access token is not a JWT.", nameof(accessToken));
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return document.RootElement.TryGetProperty("oid", out var oid) && oid.GetString() is { Length: > 0 } id
            ? id
            : throw new ArgumentException("The Redis access token has no oid claim.", nameof(accessToken));
    }

    /// <summary>The Entra user and current token, read by StackExchange.Redis whenever it (re)connects.</summary>
    private sealed class EntraCredentials : DefaultOptionsProvider
    {
        private volatile string? _user;
        private volatile string? _password;

        public DateTimeOffset ExpiresOn { get; set; }

        public override string? User => _user;

        public override string? Password => _password;

        public void Update(string user, string password, DateTimeOffset expiresOn)
        {
            _user = user;
            _password = password;
            ExpiresOn = expiresOn;
        }
    }

    [LoggerMessage(EventId = 9401, Level = LogLevel.Warning, Message = "Redis at {EndPoint} is not connected yet; shared limits and cache fall back to this instance until it is")]
    private static partial void LogNotConnected(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 9402, Level = LogLevel.Warning, Message = "Redis connection failed ({Error}: {Reason}); using in-process limits and cache")]
    private static partial void LogConnectFailed(ILogger logger, string error, string reason);

    [LoggerMessage(EventId = 9403, Level = LogLevel.Information, Message = "Redis Entra token renewed; it expires at {ExpiresOn:u}")]
    private static partial void LogTokenRenewed(ILogger logger, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 9404, Level = LogLevel.Warning, Message = "Redis re-authentication of {EndPoint} failed ({Error}); it re-authenticates on reconnect")]
    private static partial void LogReauthFailed(ILogger logger, string endPoint, string error);

    [LoggerMessage(EventId = 9405, Level = LogLevel.Warning, Message = "Redis Entra token renewal failed ({Error}); retrying")]
    private static partial void LogRenewFailed(ILogger logger, string error);
}
