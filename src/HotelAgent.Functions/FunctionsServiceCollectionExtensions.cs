using HotelAgent.Core.Health;
using HotelAgent.Core.Queues;
using HotelAgent.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Functions;

/// <summary>The one registration entry point of the Functions project (both hostings): readiness, warm-up, the queue sender.</summary>
public static class FunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddHotelAgentFunctions(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IQueueSender>(sp => new FunctionQueueSender(sp.GetRequiredService<IQueueStore>(), null)));
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton<IReadinessCheck, DataDirectoryCheck>();
        services.AddSingleton<IReadinessCheck, ChannelsStoreCheck>();
        services.AddSingleton<IReadinessCheck, QueueStoreCheck>();
        services.AddSingleton<IReadinessCheck, PmsCheck>();
        services.AddSingleton<IReadinessCheck, AudioCheck>();
        services.AddHostedService<WarmUp>();
        return services;
    }
}
