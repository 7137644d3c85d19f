using System.ClientModel;
using System.ClientModel.Primitives;
using HotelAgent.Core.Configuration;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Audio;

namespace HotelAgent.Core.Audio;

/// <summary>Builds SDK audio clients for the configured OpenAI-compatible endpoint over an <see cref="IHttpClientFactory"/> client.</summary>
internal static class OpenAiAudioClients
{
    public const string HttpClientName = "HotelAgent.OpenAI.Audio";

    public static AudioClient Create(string model, OpenAiAudioOptions openAi, AudioOptions audio, IHttpClientFactory httpClients)
    {
        if (!openAi.IsConfigured)
        {
            throw new AudioUnavailableException("OpenAI__ApiKey is not set (nor an Azure OpenAI endpoint with a managed identity).");
        }

        return OpenAiClients.Create(new Uri(openAi.Endpoint), openAi.Auth, openAi.ApiKey, openAi.ClientId, httpClients.CreateClient(HttpClientName), audio.Timeout, maxRetries: 1)
            .GetAudioClient(model);
    }
}

/// <summary>Transcription through any OpenAI-compatible <c>/audio/transcriptions</c> endpoint.</summary>
public sealed class OpenAiSpeechToText : ISpeechToText
{
    private readonly AudioClient _client;

    public OpenAiSpeechToText(IOptions<OpenAiAudioOptions> openAi, IOptions<AudioOptions> audio, IHttpClientFactory httpClients)
    {
        ArgumentNullException.ThrowIfNull(openAi);
        ArgumentNullException.ThrowIfNull(audio);
        _client = OpenAiAudioClients.Create(openAi.Value.TranscriptionModel, openAi.Value, audio.Value, httpClients);
        EngineName = "openai:" + openAi.Value.TranscriptionModel;
    }

    public string EngineName { get; }

    public async Task<string> TranscribeAsync(byte[] audio, string mimeType, string languageHint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audio);
        using var stream = new MemoryStream(audio, writable: false);
        var options = new AudioTranscriptionOptions
        {
            Language = string.IsNullOrWhiteSpace(languageHint) ? null : languageHint,
        };
        try
        {
            var result = await _client.TranscribeAudioAsync(stream, FileNameFor(mimeType), options, cancellationToken);
            return result.Value.Text ?? string.Empty;
        }
        catch (ClientResultException ex) when (ex.Status is 400 or 413 or 415)
        {
            // The endpoint cannot decode or accept this file: retrying will not help.
            throw new AudioRejectedException($"The transcription endpoint rejected the audio (HTTP {ex.Status}).", ex);
        }
    }

    /// <summary>The upload file name; OpenAI-compatible servers detect the format from its extension.</summary>
    public static string FileNameFor(string? mimeType)
    {
        var media = (mimeType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
        var extension = media switch
        {
            "audio/ogg" or "audio/opus" or "application/ogg" => "ogg",
            "audio/mpeg" or "audio/mp3" => "mp3",
            "audio/mp4" or "audio/m4a" or "audio/x-m4a" or "audio/aac" => "m4a",
            "audio/wav" or "audio/x-wav" or "audio/wave" => "wav",
            "audio/webm" => "webm",
            "audio/flac" or "audio/x-flac" => "flac",
            "audio/amr" => "amr",
            _ => "ogg",
        };
        return "voice-note." + extension;
    }
}

/// <summary>Synthesis through an OpenAI-compatible <c>/audio/speech</c> endpoint with Opus (Ogg) output.</summary>
public sealed class OpenAiTextToSpeech : ITextToSpeech
{
    private readonly AudioClient _client;
    private readonly string _voice;

    public OpenAiTextToSpeech(IOptions<OpenAiAudioOptions> openAi, IOptions<AudioOptions> audio, IHttpClientFactory httpClients)
    {
        ArgumentNullException.ThrowIfNull(openAi);
        ArgumentNullException.ThrowIfNull(audio);
        _client = OpenAiAudioClients.Create(openAi.Value.SpeechModel, openAi.Value, audio.Value, httpClients);
        _voice = openAi.Value.Voice;
        EngineName = "openai:" + openAi.Value.SpeechModel;
    }

    public string EngineName { get; }

    public string VoiceFor(string language) => _voice;

    public async Task<byte[]> SynthesizeAsync(string text, string language, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var options = new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Opus };
        var result = await _client.GenerateSpeechAsync(text, new GeneratedSpeechVoice(_voice), options, cancellationToken);
        return result.Value.ToArray();
    }
}
