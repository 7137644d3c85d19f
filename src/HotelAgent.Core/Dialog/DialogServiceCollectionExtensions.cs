using HotelAgent.Core.Configuration;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Dialog;

public static class DialogServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ReceptionistDialog"/> (singleton, stateless and deterministic) and <see cref="DialogOptions"/> (section
    /// <c>Dialog</c>). Uses the registered <see cref="HotelProfile"/>, or loads it from <c>HotelAgent__HotelProfilePath</c>. When an
    /// email channel sender is registered, guests who give an email are told a confirmation goes there (and it is sent).
    /// </summary>
    public static IServiceCollection AddHotelAgentDialog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DialogOptions>()
            .BindConfiguration(DialogOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => HotelProfile.Load(sp.GetService<IOptions<HotelAgentOptions>>()?.Value.HotelProfilePath));
        services.TryAddSingleton(sp => new ReceptionistDialog(
            sp.GetRequiredService<HotelProfile>(),
            sp.GetRequiredService<IOptions<DialogOptions>>().Value,
            sp.GetService<IOptions<NluOptions>>()?.Value,
            sp.GetService<IRoomCatalogue>(),
            emailConfirmations: sp.GetServices<IChannelSender>().Any(s => s.Channel == Channel.Email)));
        return services;
    }
}
