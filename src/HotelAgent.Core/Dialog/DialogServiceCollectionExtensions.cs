using HotelAgent.Core.Configuration;
using HotelAgent.Core.Hotel;
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
    /// <c>Dialog</c>). Uses the registered <see cref="HotelProfile"/>, or loads it from <c>HotelAgent__HotelProfilePath</c>.
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
            sp.GetService<IRoomCatalogue>()));
        return services;
    }
}
