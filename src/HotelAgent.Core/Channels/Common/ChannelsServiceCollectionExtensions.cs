using HotelAgent.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Channels.Common;

public static class ChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Shared channel services: <see cref="ChannelsDatabase"/> (<c>channels.db</c>), <see cref="ProcessedMessageStore"/>,
    /// <see cref="SentMessageStore"/>, <see cref="GuestRateLimiter"/> (section <c>RateLimit</c>) and
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
        services.TryAddSingleton<ProcessedMessageStore>();
        services.TryAddSingleton<SentMessageStore>();
        services.TryAddSingleton<DeliveryStatusStore>();
        services.TryAddSingleton<GuestRateLimiter>();
        services.TryAddSingleton<OutboundThrottle>();
        return services;
    }
}
