using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Queues;

/// <summary>Binds a queue name to a handler resolved from a per-message DI scope (used by the standalone processor).</summary>
public sealed record QueueHandlerRegistration(string QueueName, Func<IServiceProvider, QueueMessage, CancellationToken, Task> Handler);

public static class QueuesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the durable queue <c>HotelAgent__Storage</c> picks (<see cref="StandaloneQueueStore"/>, a SQLite file, or
    /// <see cref="AzureQueueStore"/>, the Azure Storage queues of <c>AzureWebJobsStorage</c>) as <see cref="IQueueStore"/>,
    /// <see cref="IQueueSender"/> and <see cref="IQueueInspector"/>, and, unless <c>Queues__ProcessorEnabled=false</c>, the hosted
    /// <see cref="StandaloneQueueProcessor"/> that runs the handlers added with <see cref="AddQueueHandler"/>.
    /// </summary>
    public static IServiceCollection AddHotelAgentQueues(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddStore<IQueueStore, StandaloneQueueStore, AzureQueueStore>();
        services.TryAddSingleton<IQueueSender>(sp => sp.GetRequiredService<IQueueStore>());
        services.TryAddSingleton<IQueueInspector>(sp => sp.GetRequiredService<IQueueStore>());
        services.TryAddSingleton(sp =>
        {
            var scopes = sp.GetRequiredService<IServiceScopeFactory>();
            var handlers = new Dictionary<string, QueueMessageHandler>(StringComparer.Ordinal);
            foreach (var registration in sp.GetServices<QueueHandlerRegistration>())
            {
                var handler = registration.Handler;
                handlers[registration.QueueName] = async (message, ct) =>
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await handler(scope.ServiceProvider, message, ct);
                };
            }

            return new StandaloneQueueProcessor(
                sp.GetRequiredService<IQueueStore>(),
                handlers,
                sp.GetRequiredService<IOptions<QueueOptions>>().Value,
                sp.GetRequiredService<ILogger<StandaloneQueueProcessor>>(),
                sp.GetRequiredService<TimeProvider>());
        });

        var enabled = configuration.GetValue($"{QueueOptions.SectionName}:{nameof(QueueOptions.ProcessorEnabled)}", true);
        if (enabled)
        {
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<StandaloneQueueProcessor>());
        }

        return services;
    }

    /// <summary>Declares the handler the standalone processor runs for <paramref name="queueName"/>.</summary>
    public static IServiceCollection AddQueueHandler(this IServiceCollection services, string queueName, Func<IServiceProvider, QueueMessage, CancellationToken, Task> handler)
    {
        QueueNames.Validate(queueName);
        services.AddSingleton(new QueueHandlerRegistration(queueName, handler));
        return services;
    }
}
