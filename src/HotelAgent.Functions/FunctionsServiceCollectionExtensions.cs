using HotelAgent.Core.Health;
using HotelAgent.Core.Queues;
using HotelAgent.Functions.Functions.Audio;
using HotelAgent.Functions.Functions.Email;
using HotelAgent.Functions.Hosting.Standalone;
using HotelAgent.Functions.Functions.Staff;
using HotelAgent.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using HotelAgent.Core.Orchestration;
using HotelAgent.Functions.Functions.Durable;
using HotelAgent.Functions.Hosting.Durable;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Functions.Health;
using HotelAgent.Functions.Functions.WhatsApp;
using HotelAgent.Functions.Hosting.CustomHandler;

namespace HotelAgent.Functions;

/// <summary>The one registration entry point of the Functions project: every function and the hosting plumbing.</summary>
public static class FunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddHotelAgentFunctions(this IServiceCollection services, HostingMode mode)
    {
        services.AddSingleton<IFunction, HealthLiveFunction>();
        services.AddSingleton<IFunction, HealthReadyFunction>();
        services.AddSingleton<IFunction, WhatsAppWebhookFunction>();
        services.AddSingleton<IFunction, StaffAvailabilityFunction>();
        services.AddSingleton<IFunction, StaffReservationsFunction>();
        services.AddSingleton<IFunction, StaffConversationsFunction>();
        services.AddSingleton<IFunction>(sp => new StaffConversationActionFunction(sp.GetRequiredService<IDurableClient>(), "release"));
        services.AddSingleton<IFunction>(sp => new StaffConversationActionFunction(sp.GetRequiredService<IDurableClient>(), "reply"));
        services.AddSingleton<IFunction, StaffStatsFunction>();
        services.AddSingleton<IFunction, EmailPollFunction>();
        services.AddSingleton<IFunction, EmailWebhookFunction>();
        services.AddSingleton<IFunction, TranscribeAudioFunction>();
        services.AddSingleton<IFunction, SynthesizeAudioFunction>();
        services.Replace(ServiceDescriptor.Singleton<IQueueSender, HostAwareQueueSender>());

        services.AddSingleton<IFunctionSource, DurableFunctionSource>();
        services.AddSingleton<FunctionCatalog>();
        services.AddSingleton<IDurableClient, HostAwareDurableClient>();
        if (mode == HostingMode.Standalone)
        {
            // Standalone: the in-process SQLite engine runs orchestrations, activities and timers.
            services.AddHostedService(sp => sp.GetRequiredService<StandaloneOrchestrationEngine>());
            services.AddHostedService<StandaloneTimerScheduler>();
        }

        services.AddSingleton<CustomHandlerDispatcher>();
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton<IReadinessCheck, DataDirectoryCheck>();
        services.AddSingleton<IReadinessCheck, ChannelsStoreCheck>();
        services.AddSingleton<IReadinessCheck, QueueStoreCheck>();
        services.AddSingleton<IReadinessCheck, PmsCheck>();
        services.AddSingleton<IReadinessCheck, AudioCheck>();
        services.AddHostedService<WarmUp>();
        services.AddSingleton(new HostingModeInfo(mode));
        return services;
    }
}

/// <summary>The mode this process runs in (injectable).</summary>
public sealed record HostingModeInfo(HostingMode Mode);
