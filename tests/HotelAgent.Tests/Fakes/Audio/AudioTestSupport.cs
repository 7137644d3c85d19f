using System.Diagnostics;
using System.Globalization;
using HotelAgent.Core.Audio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Fakes.Audio;

/// <summary>Real audio made with the machine's tools (espeak-ng, opusenc, soxi, ffprobe).</summary>
public static class AudioTestSupport
{
    public const string SpanishSentence = "Hola, bienvenido al hotel. Su habitación está lista y el desayuno se sirve de siete a diez.";

    private static readonly Lazy<Task<byte[]>> SpanishOgg = new(() => SynthesizeAsync(SpanishSentence));

    /// <summary>A real Spanish voice note (Ogg/Opus from espeak-ng + opusenc), made once per test run.</summary>
    public static Task<byte[]> SpanishVoiceNoteAsync() => SpanishOgg.Value;

    public static EspeakTextToSpeech Espeak(AudioOptions? options = null)
    {
        options ??= new AudioOptions();
        var tools = new AudioToolsProbe(options).Probe();
        return new EspeakTextToSpeech(Options.Create(options), tools, NullLogger<EspeakTextToSpeech>.Instance);
    }

    public static Task<byte[]> SynthesizeAsync(string text) => Espeak().SynthesizeAsync(text, "es", CancellationToken.None);

    /// <summary>Runs a tool and returns its standard output (throws on a non-zero exit).</summary>
    public static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {error}");
        }

        return output;
    }

    /// <summary>Duration of a file according to ffprobe (an independent decoder).</summary>
    public static async Task<double> FfprobeSecondsAsync(string file)
    {
        var text = await RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file);
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Duration of a WAV file according to soxi.</summary>
    public static async Task<double> SoxiSecondsAsync(string file)
    {
        var text = await RunAsync("soxi", "-D", file);
        return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
}
