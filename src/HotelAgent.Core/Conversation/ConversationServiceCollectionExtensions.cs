using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Conversation;

public static class ConversationServiceCollectionExtensions
{
    public static IServiceCollection AddHotelAgentReceptionist(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<GreetingReplyPolicy>();
        services.TryAddSingleton<IConversationGateway, ImmediateConversationGateway>();
        return services;
    }
}
