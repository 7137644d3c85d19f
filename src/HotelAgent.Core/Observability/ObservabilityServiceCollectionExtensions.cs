using HotelAgent.Core.Analytics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HotelAgentMetrics"/> (via <c>IMeterFactory</c>), the OTLP metrics exporter when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the interaction log (<see cref="IInteractionLog"/>) and
    /// <see cref="IInteractionRecorder"/> (metrics + log in one call).
    /// </summary>
    public static IServiceCollection AddHotelAgentObservability(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddMetrics();
        services.TryAddSingleton<HotelAgentMetrics>();

        var otlp = OtlpSettings.FromConfiguration(configuration);
        if (otlp is not null)
        {
            services.TryAddSingleton(otlp);
            services.AddHostedService<OtlpMetricsExporter>();
        }

        services.AddHotelAgentAnalytics(configuration);
        services.TryAddSingleton<IInteractionRecorder, InteractionRecorder>();
        return services;
    }
}
