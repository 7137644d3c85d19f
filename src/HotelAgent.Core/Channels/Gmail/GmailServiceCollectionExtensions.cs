using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Channels.Gmail;

public static class GmailServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Gmail channel. Options (section <c>Gmail</c>), <see cref="GmailInboxPoller"/> and
    /// <see cref="GmailSender"/> are always registered (a disabled poller returns <see cref="GmailPollResult.Disabled"/>
    /// without network calls); <see cref="GmailSender"/> is added as an <see cref="IChannelSender"/> only when
    /// <c>Gmail__Enabled=true</c>, and credentials are validated at start only then.
    /// Needs an <see cref="IInboundMessageSink"/> (registered by the core).
    /// </summary>
    public static IServiceCollection AddHotelAgentGmail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GmailOptions>()
            .Bind(configuration.GetSection(GmailOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HotelAgentOptions>().Bind(configuration.GetSection(HotelAgentOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        services.AddHttpClient(GmailAccessTokenProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(GmailApiClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60));

        // Singletons: the token cache and the label-id cache are shared; both create factory clients per call.
        services.AddSingleton<GmailAccessTokenProvider>();
        services.AddSingleton<IGmailAccessTokenProvider>(sp => sp.GetRequiredService<GmailAccessTokenProvider>());
        services.AddSingleton<GmailApiClient>();
        services.TryAddSingleton<ChannelsDatabase>(); // gmail_sent lives in channels.db, behind its single writer
        services.AddSingleton<GmailSentStore>();
        services.AddSingleton<GmailInboxPoller>();
        services.AddSingleton<GmailSender>();
        services.AddSingleton<IcsCalendarBuilder>();

        if (configuration.GetValue<bool>($"{GmailOptions.SectionName}:{nameof(GmailOptions.Enabled)}"))
        {
            services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<GmailSender>());
        }

        return services;
    }
}
