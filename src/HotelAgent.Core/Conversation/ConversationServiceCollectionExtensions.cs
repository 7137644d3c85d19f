using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Conversation;

public static class ConversationServiceCollectionExtensions
{
    /// <summary>
    /// The receptionist: the conversation orchestrator and its activity handlers, the durable gateway, and their entries in
    /// the default <see cref="DurableTaskRegistry"/> (used by the standalone runtime; the Functions host finds the functions).
    /// </summary>
    public static IServiceCollection AddHotelAgentReceptionist(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConversationOptions>().BindConfiguration(ConversationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StaffNotificationOptions>().BindConfiguration("Staff");
        services.TryAddSingleton<IReplyDispatcher, ReplyDispatcher>();
        services.TryAddSingleton<IStaffNotifier, StaffNotifier>();
        services.AddSingleton<ITurnRecorder, InteractionTurnRecorder>();
        services.AddSingleton<ITurnRecorder, TranscriptTurnRecorder>();
        services.TryAddSingleton<IConversationGateway, DurableConversationGateway>();
        services.TryAddTransient<ConversationOrchestrator>();
        services.TryAddScoped<ConversationActivityHandlers>();
        services.AddOptions<DurableTaskRegistry>().Configure<IServiceProvider>((registry, sp) => registry.AddConversationTasks(sp));
        return services;
    }
}
