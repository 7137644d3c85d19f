using HotelAgent.Core.Analytics;
using HotelAgent.Core.Audio;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Channels.WebChat;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Dialog;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Observability;
using HotelAgent.Core.Orchestration;
using HotelAgent.Core.Pms;
using HotelAgent.Core.Pms.Resilience;
using HotelAgent.Core.Queues;
using HotelAgent.Core.Inbound;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Security;
using HotelAgent.Core.Transcripts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core;

/// <summary>The one registration entry point of HotelAgent.Core.</summary>
public static class HotelAgentCoreServiceCollectionExtensions
{
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">App configuration (env vars <c>Section__Key</c>, app settings, local.settings.json).</param>
    /// <param name="isProduction">In Production, missing or placeholder secrets stop the start with a clear message.</param>
    /// <param name="standaloneRuntime">True when no Functions host runs the triggers: the durable runtime runs in process.</param>
    public static IServiceCollection AddHotelAgentCore(this IServiceCollection services, IConfiguration configuration, bool isProduction, bool standaloneRuntime = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (isProduction)
        {
            ProductionSecrets.EnsureValid(configuration);
        }

        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddHttpClient();

        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StaffOptions>().BindConfiguration(StaffOptions.SectionName);
        services.AddSingleton(sp => HotelProfile.Load(sp.GetRequiredService<IOptions<HotelAgentOptions>>().Value.HotelProfilePath));

        services.AddHotelAgentObservability(configuration);

        // Statistics days are cut in the hotel's own time zone unless Analytics__TimeZone says otherwise.
        services.AddOptions<AnalyticsOptions>().PostConfigure<HotelProfile>((options, hotel) =>
        {
            if (string.IsNullOrWhiteSpace(configuration["Analytics:TimeZone"]))
            {
                options.TimeZone = hotel.TimeZone;
            }
        });
        services.AddHotelAgentTranscripts();
        services.AddHotelAgentDurable(configuration, standaloneRuntime);
        services.AddHotelAgentNlu(configuration);
        services.AddSingleton<IPmsClient>(sp => new MeteredPmsClient(
            sp.GetRequiredService<ResilientPmsClient>(), sp.GetRequiredService<HotelAgentMetrics>(), sp.GetRequiredService<PmsHealth>()));
        services.AddHotelAgentPms(configuration);
        services.AddHotelAgentDialog(configuration);
        services.AddHotelAgentWhatsApp(configuration);
        services.AddHotelAgentEmail(configuration);
        services.AddHotelAgentQueues(configuration);
        services.AddHotelAgentAudio(configuration);
        services.AddSingleton<VoiceConversationBridge>();
        services.AddSingleton<IVoiceNoteIntake>(sp => sp.GetRequiredService<VoiceConversationBridge>());
        services.AddSingleton<IVoiceReplyQueue>(sp => sp.GetRequiredService<VoiceConversationBridge>());
        services.AddHotelAgentSecurity(configuration);
        services.AddSingleton<WebChatHub>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<WebChatHub>());
        services.AddSingleton<IInboundMessageSink, InboundPipeline>();
        services.AddHotelAgentReceptionist(configuration);
        // Last: every module above has registered its options validation (start-up, issue 19).
        services.UseGeneratedValidators();
        return services;
    }
}
