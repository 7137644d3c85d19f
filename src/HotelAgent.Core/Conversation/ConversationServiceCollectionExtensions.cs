using HotelAgent.Core.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Conversation;

public static class ConversationServiceCollectionExtensions
{
    /// <summary>The receptionist: the conversation orchestration, its activities, and the durable gateway.</summary>
    public static IServiceCollection AddHotelAgentReceptionist(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConversationOptions>().BindConfiguration(ConversationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StaffNotificationOptions>().BindConfiguration("Staff");
        services.TryAddSingleton<IReplyDispatcher, ReplyDispatcher>();
        services.TryAddSingleton<IStaffNotifier, StaffNotifier>();
        services.AddSingleton<ITurnRecorder, InteractionTurnRecorder>();
        services.TryAddSingleton<IConversationGateway, DurableConversationGateway>();
        services.AddOrchestrator<ConversationOrchestrator>(ConversationOrchestrator.Name);
        services.AddConversationActivities();
        return services;
    }
}
