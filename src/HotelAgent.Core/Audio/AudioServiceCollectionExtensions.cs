using HotelAgent.Core.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Audio;

public static class AudioServiceCollectionExtensions
{
    /// <summary>
    /// Registers the voice-note pipeline: engines (OpenAI when <c>OpenAI__ApiKey</c> is set, eSpeak NG offline
    /// synthesis otherwise), the tool probe and <see cref="AudioStatus"/> (for health), the synthesized-audio cache,
    /// <see cref="TranscriptionJobHandler"/> and <see cref="SynthesisJobHandler"/>, and their standalone queue
    /// handlers on <see cref="AudioQueues.Transcribe"/> and <see cref="AudioQueues.Synthesize"/>.
    /// Needs <see cref="IMediaDownloader"/>, <see cref="Messaging.IVoiceNoteSender"/>, <see cref="Messaging.IInboundMessageSink"/>
    /// and the <see cref="Messaging.IChannelSender"/>s from other areas.
    /// </summary>
    public static IServiceCollection AddHotelAgentAudio(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AudioOptions>().BindConfiguration(AudioOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OpenAiAudioOptions>().BindConfiguration(OpenAiAudioOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(OpenAiAudioClients.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton(sp => new AudioToolsProbe(sp.GetRequiredService<IOptions<AudioOptions>>().Value));
        services.TryAddSingleton(sp => sp.GetRequiredService<AudioToolsProbe>().Probe());
        services.TryAddSingleton<SynthesizedAudioCache>();

        services.TryAddSingleton<ISpeechToText>(sp =>
        {
            var audio = sp.GetRequiredService<IOptions<AudioOptions>>().Value;
            var openAi = sp.GetRequiredService<IOptions<OpenAiAudioOptions>>();
            if (!audio.Enabled)
            {
                return new UnavailableSpeechToText("Audio is disabled by Audio__Enabled=false.");
            }

            return openAi.Value.IsConfigured
                ? ActivatorUtilities.CreateInstance<OpenAiSpeechToText>(sp)
                : new UnavailableSpeechToText("OpenAI__ApiKey is not set (nor an Azure OpenAI endpoint): no transcription endpoint.");
        });
        services.TryAddSingleton<ITextToSpeech>(sp =>
        {
            var audio = sp.GetRequiredService<IOptions<AudioOptions>>().Value;
            var openAi = sp.GetRequiredService<IOptions<OpenAiAudioOptions>>().Value;
            var tools = sp.GetRequiredService<AudioCapabilities>();
            if (!audio.Enabled)
            {
                return new UnavailableTextToSpeech("Audio is disabled by Audio__Enabled=false.");
            }

            var engine = audio.SynthesisEngine.Trim().ToUpperInvariant();
            if (engine == "OPENAI" || (engine == "AUTO" && openAi.IsConfigured))
            {
                return openAi.IsConfigured
                    ? ActivatorUtilities.CreateInstance<OpenAiTextToSpeech>(sp)
                    : new UnavailableTextToSpeech("Audio__SynthesisEngine=openai needs OpenAI__ApiKey or an Azure OpenAI endpoint.");
            }

            return tools.CanSynthesizeOffline
                ? ActivatorUtilities.CreateInstance<EspeakTextToSpeech>(sp)
                : new UnavailableTextToSpeech(tools.Reason);
        });
        services.TryAddSingleton(sp =>
        {
            var status = AudioStatus.Decide(
                sp.GetRequiredService<IOptions<AudioOptions>>().Value,
                sp.GetRequiredService<IOptions<OpenAiAudioOptions>>().Value,
                sp.GetRequiredService<AudioCapabilities>(),
                sp.GetRequiredService<ISpeechToText>().EngineName,
                sp.GetRequiredService<ITextToSpeech>().EngineName);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("HotelAgent.Core.Audio");
            Log.AudioEngines(logger, status.CanTranscribe ? status.TranscriptionEngine : "disabled", status.CanSynthesize ? status.SynthesisEngine : "disabled");
            if (status.Reason.Length > 0)
            {
                Log.AudioDegraded(logger, status.Reason);
            }

            return status;
        });

        // Resolve the status when the host starts so missing tools are logged at once, not on the first voice note.
        services.AddSingleton<IHostedService, AudioStartupCheck>();

        services.TryAddTransient<TranscriptionJobHandler>();
        services.TryAddTransient<SynthesisJobHandler>();

        services.AddQueueHandler(AudioQueues.Transcribe, (sp, message, ct) =>
            sp.GetRequiredService<TranscriptionJobHandler>().HandleAsync(AudioJobJson.DeserializeTranscription(message.Text), ct));
        services.AddQueueHandler(AudioQueues.Synthesize, (sp, message, ct) =>
            sp.GetRequiredService<SynthesisJobHandler>().HandleAsync(AudioJobJson.DeserializeSynthesis(message.Text), ct));
        return services;
    }
}

/// <summary>Decides <see cref="AudioStatus"/> (probe + settings) when the host starts.</summary>
internal sealed class AudioStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<AudioStatus>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
