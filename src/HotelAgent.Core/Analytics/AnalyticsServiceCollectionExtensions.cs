using HotelAgent.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Analytics;

public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>Registers the SQLite interaction log (<see cref="IInteractionLog"/>) and its options (section <c>Analytics</c>).</summary>
    public static IServiceCollection AddHotelAgentAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName).ValidateDataAnnotations();
        services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteInteractionLog>();
        services.TryAddSingleton<IInteractionLog>(sp => sp.GetRequiredService<SqliteInteractionLog>());
        return services;
    }
}
