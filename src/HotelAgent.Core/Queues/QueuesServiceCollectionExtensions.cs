using HotelAgent.Core.Configuration;
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
    /// Registers the standalone durable queue (<see cref="StandaloneQueueStore"/> as <see cref="IQueueSender"/> and
    /// <see cref="IQueueInspector"/>) and, unless <c>Queues__ProcessorEnabled=false</c>, the hosted
    /// <see cref="StandaloneQueueProcessor"/> that runs the handlers added with <see cref="AddQueueHandler"/>.
    /// </summary>
    public static IServiceCollection AddHotelAgentQueues(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StandaloneQueueStore>();
        services.TryAddSingleton<IQueueSender>(sp => sp.GetRequiredService<StandaloneQueueStore>());
        services.TryAddSingleton<IQueueInspector>(sp => sp.GetRequiredService<StandaloneQueueStore>());
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
                sp.GetRequiredService<StandaloneQueueStore>(),
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
