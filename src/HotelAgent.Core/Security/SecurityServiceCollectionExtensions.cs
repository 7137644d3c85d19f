using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Identity and abuse protection: <see cref="SecurityOptions"/> (section <c>Security</c>; the conversation-id key is applied
    /// to <see cref="ConversationIds"/> now), the one-time-code store and <see cref="ReservationVerifier"/>, and the web-chat
    /// limits (<see cref="WebChatOptions"/>, section <c>WebChat</c>, and <see cref="WebChatGuard"/>).
    /// </summary>
    public static IServiceCollection AddHotelAgentSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // Process-wide (ids are derived inside deterministic orchestration code): a configured real key replaces the
        // development key once at start; the development key itself is the default already and never overrides a real one.
        var key = configuration[$"{SecurityOptions.SectionName}:{nameof(SecurityOptions.ConversationIdKey)}"];
        if (!string.IsNullOrWhiteSpace(key) && !string.Equals(key, ConversationIds.DevelopmentKey, StringComparison.Ordinal))
        {
            ConversationIds.UseKey(key);
        }

        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebChatOptions>().BindConfiguration(WebChatOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddStore<IVerificationStore, SqliteVerificationStore, TableVerificationStore>();
        services.TryAddSingleton<ReservationVerifier>();
        services.TryAddSingleton<WebChatGuard>();
        return services;
    }
}
