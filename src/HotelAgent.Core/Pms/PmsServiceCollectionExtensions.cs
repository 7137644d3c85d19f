using HotelAgent.Core.Configuration;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Pms.Embedded;
using HotelAgent.Core.Pms.QloApps;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Pms;

public static class PmsServiceCollectionExtensions
{
    /// <summary>Name of the IHttpClientFactory client used for QloApps.</summary>
    public const string QloAppsHttpClientName = "HotelAgent.Pms.QloApps";

    /// <summary>
    /// Registers <see cref="IPmsClient"/> (the provider chosen by <c>Pms__Provider</c>, wrapped in <see cref="ResilientPmsClient"/>),
    /// <see cref="PmsHealth"/> and <see cref="CancellationPolicy"/>. Needs <see cref="HotelAgentOptions"/> (DataDirectory) and a
    /// <see cref="HotelProfile"/>; both are registered here when missing.
    /// </summary>
    public static IServiceCollection AddHotelAgentPms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PmsOptions>()
            .BindConfiguration(PmsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.Provider != PmsProvider.QloApps
                    || (Uri.TryCreate(o.QloApps.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrWhiteSpace(o.QloApps.ApiKey) && o.QloApps.HotelId > 0),
                "Pms__Provider=QloApps needs Pms__QloApps__BaseUrl (absolute http/https URL), Pms__QloApps__ApiKey and Pms__QloApps__HotelId.")
            .PostConfigure<IConfiguration>((o, config) => ApplyProviderDefaults(o, config.GetSection(PmsOptions.SectionName)))
            .Validate(o => o.TotalTimeoutSeconds >= o.TimeoutSeconds, "Pms__TotalTimeoutSeconds must be at least Pms__TimeoutSeconds.")
            .ValidateOnStart();
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<HotelAgentOptions>)))
        {
            services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName).ValidateDataAnnotations();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.TryAddSingleton(sp => HotelProfile.Load(sp.GetRequiredService<IOptions<HotelAgentOptions>>().Value.HotelProfilePath));
        services.TryAddSingleton(sp => new CancellationPolicy(sp.GetRequiredService<HotelProfile>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PmsHealth(
            sp.GetRequiredService<IOptions<PmsOptions>>().Value.Provider, sp.GetRequiredService<TimeProvider>(), sp.GetService<Observability.HotelAgentMetrics>()));

        // Both providers are registered lazily and the choice is read from the bound options when IPmsClient is first
        // resolved, so configuration sources added after this call (host test hooks, late providers) are honoured.
        // No HttpClient timeout: the Polly pipeline owns timeouts.
        services.AddHttpClient(QloAppsHttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new QloAppsBookingIndex(Path.Combine(sp.GetRequiredService<IOptions<HotelAgentOptions>>().Value.ResolveDataDirectory(), "qloapps-index.db")));
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new QloAppsPmsClient(
                () => factory.CreateClient(QloAppsHttpClientName),
                sp.GetRequiredService<IOptions<PmsOptions>>().Value.QloApps,
                sp.GetRequiredService<HotelProfile>(),
                sp.GetRequiredService<QloAppsBookingIndex>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<QloAppsPmsClient>>(),
                sp.GetRequiredService<PmsHealth>());
        });
        services.TryAddSingleton(sp => new EmbeddedPmsClient(
            Path.Combine(sp.GetRequiredService<IOptions<HotelAgentOptions>>().Value.ResolveDataDirectory(), "pms.db"),
            sp.GetRequiredService<HotelProfile>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<EmbeddedPmsClient>>(),
            sp.GetRequiredService<IOptions<PmsOptions>>().Value.ReferencePrefix));
        services.TryAddSingleton<AzureStorageAccount>();
        services.TryAddSingleton(sp => new TableEmbeddedPmsClient(
            sp.GetRequiredService<AzureStorageAccount>(),
            sp.GetRequiredService<HotelProfile>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<TableEmbeddedPmsClient>>(),
            sp.GetRequiredService<IOptions<PmsOptions>>().Value.ReferencePrefix));

        // The availability cache is shared through Redis when Redis__ConnectionString or Redis__HostName is set.
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton(sp => new MemoryAvailabilityCache(sp.GetRequiredService<IMemoryCache>()));
        services.TryAddSingleton<IAvailabilityCache>(sp => sp.GetRequiredService<RedisConnection>().IsConfigured
            ? new RedisAvailabilityCache(sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<MemoryAvailabilityCache>(), sp.GetService<ILogger<RedisAvailabilityCache>>())
            : sp.GetRequiredService<MemoryAvailabilityCache>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PmsOptions>>().Value;
            var provider = options.Provider;
            // The embedded PMS lives where shared state lives: one SQLite file, or one Azure Tables partition every instance sells from.
            IPmsClient inner = provider == PmsProvider.QloApps
                ? sp.GetRequiredService<QloAppsPmsClient>()
                : StorageServiceCollectionExtensions.UsesAzureStorage(sp) ? sp.GetRequiredService<TableEmbeddedPmsClient>() : sp.GetRequiredService<EmbeddedPmsClient>();

            // The embedded PMS deduplicates every write by idempotency key inside its transaction, so retrying a write is safe.
            // QloApps has no idempotency key: a write that timed out may have been applied, so it is never retried blindly.
            // The embedded PMS gets no per-attempt timeout or circuit breaker (on SQLite a slow call is a busy disk; on Azure Tables
            // the SDK has its own timeouts and retries, and a conditional update must not be abandoned half-way): QloApps only.
            return new ResilientPmsClient(inner, options, sp.GetRequiredService<IAvailabilityCache>(), sp.GetRequiredService<PmsHealth>(),
                writesAreIdempotent: provider == PmsProvider.Embedded, sp.GetService<ILogger<ResilientPmsClient>>(),
                provider == PmsProvider.Embedded ? PmsLocation.InProcess : PmsLocation.Remote);
        });
        services.TryAddSingleton<IPmsClient>(sp => sp.GetRequiredService<ResilientPmsClient>());

        // What guests hear about room types: QloApps' own types (names, capacities) with QloApps, the profile's otherwise.
        services.TryAddSingleton<IRoomCatalogue>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PmsOptions>>().Value;
            var profile = sp.GetRequiredService<HotelProfile>();
            return options.Provider == PmsProvider.QloApps
                ? new PmsRoomCatalogue(sp.GetRequiredService<IPmsClient>(), profile, sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(5),
                    TimeSpan.FromSeconds(options.TotalTimeoutSeconds), sp.GetService<ILogger<PmsRoomCatalogue>>())
                : new ProfileRoomCatalogue(profile);
        });
        return services;
    }

    /// <summary>
    /// A remote QloApps is a PHP application on a small server: its first call after a restart (cold PHP and database) takes
    /// more than a second, a booking several hundred milliseconds. Its defaults are longer than the embedded PMS's; any
    /// timeout set explicitly wins. See docs/pms.md, Running with QloApps.
    /// </summary>
    internal static void ApplyProviderDefaults(PmsOptions options, IConfiguration section)
    {
        if (options.Provider != PmsProvider.QloApps)
        {
            return;
        }

        if (section[nameof(PmsOptions.TimeoutSeconds)] is null)
        {
            options.TimeoutSeconds = PmsOptions.QloAppsTimeoutSeconds;
        }

        if (section[nameof(PmsOptions.TotalTimeoutSeconds)] is null)
        {
            options.TotalTimeoutSeconds = Math.Max(PmsOptions.QloAppsTotalTimeoutSeconds, options.TimeoutSeconds);
        }

        if (section[nameof(PmsOptions.WriteTimeoutSeconds)] is null)
        {
            options.WriteTimeoutSeconds = PmsOptions.QloAppsWriteTimeoutSeconds;
        }

        if (section[nameof(PmsOptions.RetryCount)] is null)
        {
            options.RetryCount = PmsOptions.QloAppsRetryCount;
        }
    }
}
