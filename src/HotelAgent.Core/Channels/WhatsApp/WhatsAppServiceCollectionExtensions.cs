using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using HotelAgent.Core.Storage;

namespace HotelAgent.Core.Channels.WhatsApp;

public static class WhatsAppServiceCollectionExtensions
{
    /// <summary>
    /// The WhatsApp channel: <see cref="WhatsAppOptions"/> (section <c>WhatsApp</c>, validated on start), the typed
    /// <see cref="WhatsAppCloudClient"/> (also as <see cref="IChannelSender"/>, <see cref="IMediaDownloader"/> and
    /// <see cref="IVoiceNoteSender"/>), <see cref="ICustomerServiceWindow"/>, <see cref="WhatsAppInboundProcessor"/>,
    /// plus the shared channel services (<see cref="ChannelsServiceCollectionExtensions.AddHotelAgentChannelsCommon"/>).
    /// </summary>
    public static IServiceCollection AddHotelAgentWhatsApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(WhatsAppCloudClient)))
        {
            return services; // already registered
        }

        services.AddHotelAgentChannelsCommon(configuration);
        services.AddOptions<WhatsAppOptions>()
            .BindConfiguration(WhatsAppOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddStore<ICustomerServiceWindow, SqliteCustomerServiceWindow, TableCustomerServiceWindow>();
        services.AddHttpClient<WhatsAppCloudClient>((sp, http) =>
        {
            http.Timeout = sp.GetRequiredService<IOptions<WhatsAppOptions>>().Value.RequestTimeout;
            // Meta's media CDN refuses some requests without a User-Agent.
            http.DefaultRequestHeaders.UserAgent.ParseAdd("HotelAgent/1.0");
        });
        services.AddTransient<IChannelSender>(sp => sp.GetRequiredService<WhatsAppCloudClient>());
        services.AddTransient<IMediaDownloader>(sp => sp.GetRequiredService<WhatsAppCloudClient>());
        services.AddTransient<IVoiceNoteSender>(sp => sp.GetRequiredService<WhatsAppCloudClient>());
        services.TryAddSingleton<WhatsAppReadReceipts>();
        services.TryAddTransient<WhatsAppInboundProcessor>();
        return services;
    }
}
