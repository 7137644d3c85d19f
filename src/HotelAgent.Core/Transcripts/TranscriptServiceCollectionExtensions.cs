using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotelAgent.Core.Transcripts;

public static class TranscriptServiceCollectionExtensions
{
    /// <summary>
    /// Registers the transcript store <c>HotelAgent__Storage</c> picks (<see cref="SqliteTranscriptStore"/> or
    /// <see cref="TableTranscriptStore"/>) as <see cref="ITranscriptStore"/>, and its options (section <c>Transcripts</c>).
    /// </summary>
    public static IServiceCollection AddHotelAgentTranscripts(this IServiceCollection services)
    {
        services.AddOptions<HotelAgentOptions>().BindConfiguration(HotelAgentOptions.SectionName).ValidateDataAnnotations();
        services.AddOptions<TranscriptOptions>().BindConfiguration(TranscriptOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddStore<ITranscriptStore, SqliteTranscriptStore, TableTranscriptStore>();
        return services;
    }
}
