using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Nlu;

public static class NluServiceCollectionExtensions
{
    /// <summary>
    /// Registers the NLU: <see cref="INluEngine"/> (singleton, model trained once), <see cref="IIntentUnderstanding"/>,
    /// <see cref="ILlmIntentClassifier"/> (OpenAI or Azure OpenAI when <c>OpenAI__ApiKey</c> or an Azure OpenAI endpoint is set), options <c>Nlu</c> and <c>OpenAI</c>.
    /// </summary>
    public static IServiceCollection AddHotelAgentNlu(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<NluOptions>().BindConfiguration(NluOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.ClarifyThreshold <= o.ActThreshold, "Nlu:ClarifyThreshold must not exceed Nlu:ActThreshold.")
            .ValidateOnStart();
        services.AddOptions<OpenAIOptions>().BindConfiguration(OpenAIOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton<INluEngine>(sp =>
        {
            var engine = new NluEngine();
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("HotelAgent.Core.Nlu");
            if (logger is not null)
                Log.ModelTrained(logger, engine.Classifier.ExampleCount, (long)engine.Classifier.TrainingTime.TotalMilliseconds);
            return engine;
        });
        services.AddHttpClient(OpenAIIntentClassifier.HttpClientName);
        services.TryAddSingleton<ILlmIntentClassifier>(sp => new OpenAIIntentClassifier(
            sp.GetRequiredService<IOptions<OpenAIOptions>>(), sp.GetRequiredService<IHttpClientFactory>()));
        services.TryAddSingleton<IIntentUnderstanding, IntentUnderstanding>();
        return services;
    }
}
