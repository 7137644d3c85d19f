using HotelAgent.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Orchestration;

public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the orchestration worker: registries (fed by <see cref="AddOrchestrator{T}"/> / <see cref="AddActivity"/>),
    /// <see cref="OrchestrationExecutor"/>, <see cref="OrchestrationTriggerHandler"/>, <see cref="ActivityDispatcher"/>, the
    /// standalone engine (singleton, not started: add it as a hosted service in standalone mode) and the named HttpClient of
    /// <see cref="DurableHttpManagementClient"/>. No <see cref="IDurableClient"/> is registered: the host mode picks one.
    /// </summary>
    public static IServiceCollection AddHotelAgentOrchestration(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StandaloneEngineOptions>().BindConfiguration(StandaloneEngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new OrchestratorRegistry(sp.GetServices<OrchestratorRegistration>()));
        services.TryAddSingleton(sp => new ActivityRegistry(sp.GetServices<ActivityRegistration>()));
        services.TryAddSingleton<OrchestrationExecutor>();
        services.TryAddSingleton<OrchestrationTriggerHandler>();
        services.TryAddSingleton<ActivityDispatcher>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StandaloneEngineOptions>>().Value;
            var dataDir = sp.GetService<IOptions<HotelAgentOptions>>()?.Value ?? new HotelAgentOptions();
            var path = Path.IsPathRooted(options.DatabaseFileName)
                ? options.DatabaseFileName
                : Path.Combine(dataDir.ResolveDataDirectory(), options.DatabaseFileName);
            return new StandaloneOrchestrationEngine(path, sp.GetRequiredService<OrchestrationExecutor>(), sp.GetRequiredService<ActivityDispatcher>(),
                options, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<StandaloneOrchestrationEngine>>());
        });
        services.AddHttpClient(DurableHttpManagementClient.HttpClientName);
        return services;
    }

    /// <summary>
    /// Standalone mode: runs <see cref="StandaloneOrchestrationEngine"/> as a hosted service and makes it the
    /// <see cref="IDurableClient"/>. (Functions-host mode instead builds a <see cref="DurableHttpManagementClient"/>
    /// per invocation from the <c>durableClient</c> binding with <see cref="DurableHttpManagementClient.FromBinding"/>.)
    /// </summary>
    public static IServiceCollection UseStandaloneOrchestrationEngine(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<StandaloneOrchestrationEngine>());
        services.TryAddSingleton<IDurableClient>(sp => sp.GetRequiredService<StandaloneOrchestrationEngine>());
        return services;
    }

    /// <summary>Registers an orchestrator type under a name (a new instance per execution, created with DI).</summary>
    public static IServiceCollection AddOrchestrator<TOrchestrator>(this IServiceCollection services, string name)
        where TOrchestrator : class, IOrchestrator =>
        services.AddSingleton(new OrchestratorRegistration(name, sp => ActivatorUtilities.CreateInstance<TOrchestrator>(sp)));

    /// <summary>Registers an activity handler under a name.</summary>
    public static IServiceCollection AddActivity(this IServiceCollection services, string name, ActivityHandler handler) =>
        services.AddSingleton(new ActivityRegistration(name, handler));
}
