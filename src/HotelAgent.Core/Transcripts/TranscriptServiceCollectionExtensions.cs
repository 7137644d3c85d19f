using HotelAgent.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Transcripts;

public static class TranscriptServiceCollectionExtensions
{
    /// <summary>Registers the transcript store (<see cref="ITranscriptStore"/>, SQLite) and its options (section <c>Transcripts</c>).</summary>
    public static IServiceCollection AddHotelAgentTranscripts(this IServiceCollection services)
    {
        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName).ValidateDataAnnotations();
        services.AddOptions<TranscriptOptions>().BindConfiguration(TranscriptOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteTranscriptStore>();
        services.TryAddSingleton<ITranscriptStore>(sp => sp.GetRequiredService<SqliteTranscriptStore>());
        return services;
    }
}
