using HotelAgent.Core.Configuration;
using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Audio;

/// <summary>Voice-note settings (section <c>Audio</c>).</summary>
public sealed class AudioOptions
{
    public const string SectionName = "Audio";

    /// <summary>WhatsApp's limit for audio media (16 MB).</summary>
    public const long WhatsAppMaxAudioBytes = 16L * 1024 * 1024;

    /// <summary>Master switch: false disables transcription and synthesis (guests are asked to write instead).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Largest voice note accepted for transcription.</summary>
    [Range(1024, 1L * 1024 * 1024 * 1024)]
    public long MaxInputBytes { get; set; } = WhatsAppMaxAudioBytes;

    /// <summary>Longest voice note accepted for transcription (checked for Ogg/Opus input).</summary>
    [Range(1, 3600)]
    public int MaxInputSeconds { get; set; } = 120;

    /// <summary>Time limit of one transcription or synthesis (HTTP call or local process).</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Largest synthesized voice note sent (WhatsApp plays Ogg/Opus up to 16 MB).</summary>
    [Range(1024, WhatsAppMaxAudioBytes)]
    public long MaxOutputBytes { get; set; } = WhatsAppMaxAudioBytes;

    /// <summary>Replies longer than this are not spoken (the text reply is always sent).</summary>
    [Range(1, 10000)]
    public int MaxSynthesisCharacters { get; set; } = 1200;

    /// <summary>Language hint passed to the transcription endpoint (ISO-639-1).</summary>
    [Required]
    public string TranscriptionLanguage { get; set; } = "es";

    /// <summary><c>auto</c> (OpenAI when <c>OpenAI__ApiKey</c> is set, else eSpeak NG), <c>openai</c> or <c>espeak</c>.</summary>
    [Required]
    public string SynthesisEngine { get; set; } = "auto";

    /// <summary>eSpeak NG voice for Spanish replies (falls back to <c>es</c> when missing).</summary>
    [Required]
    public string EspeakVoice { get; set; } = "es-419";

    /// <summary>eSpeak NG voice for English replies.</summary>
    [Required]
    public string EspeakEnglishVoice { get; set; } = "en-us";

    /// <summary>eSpeak NG speaking rate in words per minute.</summary>
    [Range(80, 450)]
    public int EspeakWordsPerMinute { get; set; } = 165;

    /// <summary>Executable of eSpeak NG (a name looked up on PATH, or a path).</summary>
    [Required]
    public string EspeakPath { get; set; } = "espeak-ng";

    /// <summary>Executable of opusenc (opus-tools), the preferred Opus encoder.</summary>
    [Required]
    public string OpusEncPath { get; set; } = "opusenc";

    /// <summary>Executable of ffmpeg, the fallback Opus encoder (libopus).</summary>
    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Opus bitrate of offline synthesis in kbit/s.</summary>
    [Range(6, 256)]
    public int OpusBitrateKbps { get; set; } = 24;

    /// <summary>Memory budget of the synthesized-audio cache (0 disables it).</summary>
    [Range(0, 1L * 1024 * 1024 * 1024)]
    public long CacheMaxBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Optional folder for a disk cache of synthesized audio (relative to the current directory); empty = memory only.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Budget of the disk cache; the oldest files are removed beyond it.</summary>
    [Range(0, 100L * 1024 * 1024 * 1024)]
    public long DiskCacheMaxBytes { get; set; } = 256L * 1024 * 1024;

    internal TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}

/// <summary>OpenAI-compatible audio endpoint settings (section <c>OpenAI</c>, shared with the language model settings).</summary>
public sealed class OpenAiAudioOptions
{
    public const string SectionName = "OpenAI";

    /// <summary>Base URL: OpenAI, an Azure OpenAI v1 endpoint (<c>https://{resource}.openai.azure.com/openai/v1/</c>) or a Whisper-compatible server.</summary>
    [Required]
    [Url]
    public string Endpoint { get; set; } = "https://api.openai.com/v1";

    /// <summary>API key; when empty, transcription is unavailable and synthesis uses eSpeak NG.</summary>
    public string? ApiKey { get; set; }

    [Required]
    public string TranscriptionModel { get; set; } = "gpt-4o-mini-transcribe";

    [Required]
    public string SpeechModel { get; set; } = "gpt-4o-mini-tts";

    [Required]
    public string Voice { get; set; } = "alloy";

    /// <summary><c>OpenAI__Auth</c>: Auto (managed identity for an Azure OpenAI resource without a key), ApiKey or AzureIdentity.</summary>
    public OpenAiAuth Auth { get; set; } = OpenAiAuth.Auto;

    /// <summary><c>OpenAI__ClientId</c>: a user-assigned managed identity for Azure OpenAI.</summary>
    public string? ClientId { get; set; }

    /// <summary>True when transcription and speech can be called: an API key, or Azure OpenAI with the managed identity.</summary>
    internal bool IsConfigured => Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && OpenAiClients.IsConfigured(uri, Auth, ApiKey);
}
