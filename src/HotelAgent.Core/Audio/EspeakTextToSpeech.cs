using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Audio;

/// <summary>
/// Offline synthesis: eSpeak NG writes a WAV file (text read from a UTF-8 file, so any text is safe),
/// then opusenc (or ffmpeg with libopus) encodes it to Ogg/Opus. Each run uses its own temp folder, deleted afterwards.
/// </summary>
public sealed class EspeakTextToSpeech : ITextToSpeech
{
    private readonly AudioOptions _options;
    private readonly AudioCapabilities _tools;
    private readonly ILogger<EspeakTextToSpeech> _logger;

    public EspeakTextToSpeech(IOptions<AudioOptions> options, AudioCapabilities tools, ILogger<EspeakTextToSpeech> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _tools = tools;
        _logger = logger;
    }

    public string EngineName => "espeak-ng";

    public string VoiceFor(string language) =>
        language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? _options.EspeakEnglishVoice : _options.EspeakVoice;

    public async Task<byte[]> SynthesizeAsync(string text, string language, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!_tools.CanSynthesizeOffline || _tools.EspeakPath is null || _tools.EncoderPath is null)
        {
            throw new AudioUnavailableException(_tools.Reason);
        }

        var work = Directory.CreateTempSubdirectory("hotelagent-tts-");
        try
        {
            var textFile = Path.Combine(work.FullName, "text.txt");
            var wavFile = Path.Combine(work.FullName, "speech.wav");
            var oggFile = Path.Combine(work.FullName, "speech.ogg");
            await File.WriteAllTextAsync(textFile, text, new UTF8Encoding(false), cancellationToken);

            var voice = VoiceFor(language);
            var speak = await RunEspeakAsync(voice, textFile, wavFile, cancellationToken);
            if (speak.ExitCode != 0 || !File.Exists(wavFile))
            {
                var fallback = language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "es";
                Log.EspeakVoiceFallback(_logger, voice, fallback, speak.ExitCode);
                speak = await RunEspeakAsync(fallback, textFile, wavFile, cancellationToken);
            }

            if (speak.ExitCode != 0 || !File.Exists(wavFile) || new FileInfo(wavFile).Length <= 44)
            {
                throw new InvalidOperationException($"espeak-ng failed (exit {speak.ExitCode}): {speak.StandardError.Trim()}");
            }

            var encode = await ProcessRunner.RunAsync(_tools.EncoderPath, EncoderArguments(wavFile, oggFile), _options.Timeout, cancellationToken);
            if (encode.ExitCode != 0 || !File.Exists(oggFile))
            {
                throw new InvalidOperationException($"{_tools.Encoder} failed (exit {encode.ExitCode}): {encode.StandardError.Trim()}");
            }

            return await File.ReadAllBytesAsync(oggFile, cancellationToken);
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException ex)
            {
                Log.TempCleanupFailed(_logger, work.FullName, ex);
            }
        }
    }

    private Task<ProcessResult> RunEspeakAsync(string voice, string textFile, string wavFile, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(
            _tools.EspeakPath!,
            ["-v", voice, "-s", _options.EspeakWordsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture), "-b", "1", "-f", textFile, "-w", wavFile],
            _options.Timeout,
            cancellationToken);

    private string[] EncoderArguments(string wavFile, string oggFile)
    {
        var kbps = _options.OpusBitrateKbps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _tools.Encoder == OpusEncoderKind.OpusEnc
            ? ["--quiet", "--bitrate", kbps, "--downmix-mono", wavFile, oggFile]
            : ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", wavFile, "-ac", "1", "-c:a", "libopus", "-b:a", kbps + "k", "-application", "voip", oggFile];
    }
}
