using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Channels.Common;

public static class ChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Shared channel services: the inbound claims, sent keys and delivery statuses (<see cref="IProcessedMessageStore"/>,
    /// <see cref="ISentMessageStore"/>, <see cref="IDeliveryStatusStore"/>: <c>channels.db</c> or Azure Tables, per
    /// <c>HotelAgent__Storage</c>), <see cref="GuestRateLimiter"/> (section <c>RateLimit</c>) and
    /// <see cref="OutboundThrottle"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddHotelAgentChannelsCommon(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(ChannelsDatabase)))
        {
            return services;
        }

        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName);
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChannelsDatabase>();
        services.TryAddStore<IProcessedMessageStore, SqliteProcessedMessageStore, TableProcessedMessageStore>();
        services.TryAddStore<ISentMessageStore, SqliteSentMessageStore, TableSentMessageStore>();
        services.TryAddStore<IDeliveryStatusStore, SqliteDeliveryStatusStore, TableDeliveryStatusStore>();
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<GuestRateLimiter>();
        services.TryAddSingleton<IGuestRateLimiter, SharedGuestRateLimiter>();
        services.TryAddSingleton<OutboundThrottle>();
        return services;
    }
}
