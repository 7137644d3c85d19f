using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Analytics;

public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the interaction log (<see cref="IInteractionLog"/>: <c>analytics.db</c>, or Azure Tables with
    /// <c>HotelAgent__Storage=AzureStorage</c>) and its options (section <c>Analytics</c>).
    /// </summary>
    public static IServiceCollection AddHotelAgentAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName).ValidateDataAnnotations();
        services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddStore<IInteractionLog, SqliteInteractionLog, TableInteractionLog>();
        return services;
    }
}
