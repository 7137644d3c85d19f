using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Registers the email channel (section <c>Email</c>): <see cref="EmailPoller"/>, <see cref="EmailSender"/>,
    /// <see cref="BookingCalendar"/> and the OAuth2 token sources. The poller and the calendar are always registered
    /// (a disabled poller returns <see cref="EmailPollResult.Disabled"/> without network calls); the sender is an
    /// <see cref="IChannelSender"/> and settings are validated at start only when <c>Email__Enabled=true</c>.
    /// Needs an <see cref="IInboundMessageSink"/> (registered by the core).
    /// </summary>
    public static IServiceCollection AddHotelAgentEmail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.SectionName))
            .PostConfigure(o => o.ApplyProviderDefaults())
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHotelAgentChannelsCommon(configuration); // sent keys: ISentMessageStore

        services.TryAddKeyedSingleton<IEmailAccessTokenSource, GoogleAccessTokenSource>(EmailAuthMode.Google);
        services.TryAddKeyedSingleton<IEmailAccessTokenSource>(
            EmailAuthMode.Microsoft,
            (sp, _) => new MicrosoftAccessTokenSource(MicrosoftAccessTokenSource.CreateCredential(sp.GetRequiredService<IOptions<EmailOptions>>().Value)));
        services.AddSingleton<EmailConnector>();
        services.AddSingleton<EmailPoller>();
        services.AddSingleton<EmailSender>();
        services.AddSingleton<BookingCalendar>();

        if (configuration.GetValue<bool>($"{EmailOptions.SectionName}:{nameof(EmailOptions.Enabled)}"))
        {
            services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<EmailSender>());
        }

        return services;
    }
}
