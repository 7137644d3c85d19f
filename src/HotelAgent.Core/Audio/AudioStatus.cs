namespace HotelAgent.Core.Audio;

/// <summary>What the audio pipeline can do in this process, decided once at start; shown by <c>/api/health/ready</c>.</summary>
/// <param name="Enabled">The <c>Audio__Enabled</c> switch.</param>
/// <param name="CanTranscribe">Voice notes are transcribed (an OpenAI-compatible endpoint with a key).</param>
/// <param name="CanSynthesize">Replies to voice notes are also spoken.</param>
/// <param name="TranscriptionEngine">Engine name or <c>none</c>.</param>
/// <param name="SynthesisEngine">Engine name or <c>none</c>.</param>
/// <param name="Reason">Human explanation of anything disabled (empty when all works).</param>
/// <param name="Tools">The offline tool probe result.</param>
public sealed record AudioStatus(
    bool Enabled,
    bool CanTranscribe,
    bool CanSynthesize,
    string TranscriptionEngine,
    string SynthesisEngine,
    string Reason,
    AudioCapabilities Tools)
{
    /// <summary>A flat view for health endpoints.</summary>
    public IReadOnlyDictionary<string, object> ToHealthData() => new Dictionary<string, object>(StringComparer.Ordinal)
    {
        ["enabled"] = Enabled,
        ["transcription"] = CanTranscribe ? TranscriptionEngine : "disabled",
        ["synthesis"] = CanSynthesize ? SynthesisEngine : "disabled",
        ["reason"] = Reason,
    };

    internal static AudioStatus Decide(AudioOptions audio, OpenAiAudioOptions openAi, AudioCapabilities tools, string sttEngine, string ttsEngine)
    {
        if (!audio.Enabled)
        {
            return new AudioStatus(false, false, false, "none", "none", "Audio is disabled by Audio__Enabled=false.", tools);
        }

        var reasons = new List<string>();
        var canTranscribe = sttEngine != "none";
        if (!canTranscribe)
        {
            reasons.Add("Voice notes are not transcribed: set OpenAI__Endpoint to an Azure OpenAI resource (managed identity), or OpenAI__ApiKey for OpenAI or a Whisper-compatible server.");
        }

        var canSynthesize = ttsEngine != "none";
        if (!canSynthesize)
        {
            reasons.Add(tools.CanSynthesizeOffline ? "Speech synthesis is off." : tools.Reason);
        }

        _ = openAi;
        return new AudioStatus(true, canTranscribe, canSynthesize, sttEngine, ttsEngine, string.Join(' ', reasons), tools);
    }
}
