namespace HotelAgent.Core.Audio;

/// <summary>Turns a voice note into text.</summary>
public interface ISpeechToText
{
    /// <summary>Engine name for logs and health (e.g. <c>openai:gpt-4o-mini-transcribe</c>).</summary>
    string EngineName { get; }

    /// <exception cref="AudioRejectedException">The engine says the audio cannot be decoded (permanent).</exception>
    /// <exception cref="AudioUnavailableException">No engine is configured.</exception>
    Task<string> TranscribeAsync(byte[] audio, string mimeType, string languageHint, CancellationToken cancellationToken);
}

/// <summary>Turns reply text into an Ogg/Opus voice note.</summary>
public interface ITextToSpeech
{
    /// <summary>Engine name, part of the cache key (e.g. <c>espeak-ng</c>, <c>openai:gpt-4o-mini-tts</c>).</summary>
    string EngineName { get; }

    /// <summary>The voice used for <paramref name="language"/>, part of the cache key.</summary>
    string VoiceFor(string language);

    /// <summary>Returns Ogg/Opus bytes.</summary>
    /// <exception cref="AudioUnavailableException">The engine cannot run here (tools or key missing).</exception>
    Task<byte[]> SynthesizeAsync(string text, string language, CancellationToken cancellationToken);
}

/// <summary>The audio itself is unusable (corrupt, unsupported format): retrying will not help.</summary>
public sealed class AudioRejectedException : Exception
{
    public AudioRejectedException()
    {
    }

    public AudioRejectedException(string message)
        : base(message)
    {
    }

    public AudioRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Audio processing is disabled or not possible on this machine (reason in the message).</summary>
public sealed class AudioUnavailableException : Exception
{
    public AudioUnavailableException()
    {
    }

    public AudioUnavailableException(string message)
        : base(message)
    {
    }

    public AudioUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Used when no transcription endpoint is configured.</summary>
internal sealed class UnavailableSpeechToText(string reason) : ISpeechToText
{
    public string EngineName => "none";

    public Task<string> TranscribeAsync(byte[] audio, string mimeType, string languageHint, CancellationToken cancellationToken) =>
        throw new AudioUnavailableException(reason);
}

/// <summary>Used when no synthesis engine can run.</summary>
internal sealed class UnavailableTextToSpeech(string reason) : ITextToSpeech
{
    public string EngineName => "none";

    public string VoiceFor(string language) => "none";

    public Task<byte[]> SynthesizeAsync(string text, string language, CancellationToken cancellationToken) =>
        throw new AudioUnavailableException(reason);
}
