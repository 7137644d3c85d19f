using HotelAgent.Core.Audio;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Audio;

namespace HotelAgent.Tests.Audio;

[Collection(AudioToolsCollection.Name)]
public sealed class EspeakTextToSpeechTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hotelagent-espeak-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("opusenc")]
    [InlineData("ffmpeg")]
    public async Task Synthesizes_spanish_speech_as_ogg_opus_with_the_duration_of_the_speech(string encoder)
    {
        var options = new AudioOptions();
        if (encoder == "ffmpeg")
        {
            options.OpusEncPath = "no-such-opusenc";
        }

        var engine = AudioTestSupport.Espeak(options);
        const string text = "Buenas tardes. La habitación doble cuesta ochenta dólares por noche, con desayuno incluido.";

        var ogg = await engine.SynthesizeAsync(text, "es", CancellationToken.None);

        var info = OggOpusInspector.Inspect(ogg);
        Assert.True(info.IsValid, info.Error);
        Assert.Equal(1, info.Channels);

        // Reference: the same speech as WAV straight from espeak-ng, measured by soxi.
        var wav = Path.Combine(_dir, "reference.wav");
        var textFile = Path.Combine(_dir, "text.txt");
        await File.WriteAllTextAsync(textFile, text);
        await AudioTestSupport.RunAsync("espeak-ng", "-v", options.EspeakVoice, "-s", options.EspeakWordsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture), "-b", "1", "-f", textFile, "-w", wav);
        var wavSeconds = await AudioTestSupport.SoxiSecondsAsync(wav);
        Assert.InRange(wavSeconds, 3, 15);
        Assert.InRange(info.Duration.TotalSeconds, wavSeconds - 0.1, wavSeconds + 0.1);

        // An independent decoder agrees.
        var oggFile = Path.Combine(_dir, "out.ogg");
        await File.WriteAllBytesAsync(oggFile, ogg);
        var probed = await AudioTestSupport.FfprobeSecondsAsync(oggFile);
        Assert.InRange(info.Duration.TotalSeconds, probed - 0.1, probed + 0.1);
    }

    [Fact]
    public async Task Text_that_looks_like_an_option_is_spoken_not_interpreted()
    {
        const string text = "-v en --help; rm -rf / $(echo hola)";
        var options = new AudioOptions();
        var ogg = await AudioTestSupport.Espeak(options).SynthesizeAsync(text, "es", CancellationToken.None);

        var info = OggOpusInspector.Inspect(ogg);
        Assert.True(info.IsValid, info.Error);

        // Spoken: as long as espeak-ng reading the same characters from a file (help text or an English voice would differ).
        var textFile = Path.Combine(_dir, "option-like.txt");
        var wav = Path.Combine(_dir, "option-like.wav");
        await File.WriteAllTextAsync(textFile, text);
        await AudioTestSupport.RunAsync("espeak-ng", "-v", options.EspeakVoice, "-s", options.EspeakWordsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture), "-b", "1", "-f", textFile, "-w", wav);
        var wavSeconds = await AudioTestSupport.SoxiSecondsAsync(wav);
        Assert.True(wavSeconds > 1, $"reference speech of {wavSeconds} s");
        Assert.InRange(info.Duration.TotalSeconds, wavSeconds - 0.1, wavSeconds + 0.1);
    }

    [Fact]
    public async Task Temp_files_are_removed()
    {
        static int Count() => Directory.GetDirectories(Path.GetTempPath(), "hotelagent-tts-*").Length;
        var before = Count();

        await AudioTestSupport.Espeak().SynthesizeAsync("Gracias por elegirnos.", "es", CancellationToken.None);

        Assert.Equal(before, Count());
    }

    [Fact]
    public async Task Unknown_voice_falls_back_to_spanish()
    {
        var engine = AudioTestSupport.Espeak(new AudioOptions { EspeakVoice = "xx-nonexistent" });

        var ogg = await engine.SynthesizeAsync("Hola", "es", CancellationToken.None);

        Assert.True(OggOpusInspector.Inspect(ogg).IsValid);
    }

    [Fact]
    public async Task Missing_tools_raise_audio_unavailable_instead_of_crashing()
    {
        var options = new AudioOptions { EspeakPath = "no-such-espeak" };
        var tools = new AudioToolsProbe(options).Probe();
        var engine = new EspeakTextToSpeech(Microsoft.Extensions.Options.Options.Create(options), tools, Microsoft.Extensions.Logging.Abstractions.NullLogger<EspeakTextToSpeech>.Instance);

        var ex = await Assert.ThrowsAsync<AudioUnavailableException>(() => engine.SynthesizeAsync("Hola", "es", CancellationToken.None));
        Assert.Contains("espeak-ng", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_tool_is_killed_at_the_timeout()
    {
        Assert.False(OperatingSystem.IsWindows(), "The audio tests run on Linux.");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // The tool never ends on its own, so a TimeoutException can only come from the timeout; the tool must be gone after.
        var script = Path.Combine(_dir, "slow-espeak");
        var pidFile = Path.Combine(_dir, "slow-espeak.pid");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 3600\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new AudioOptions { EspeakPath = script, TimeoutSeconds = 1 };
        var engine = AudioTestSupport.Espeak(options);

        await Assert.ThrowsAsync<TimeoutException>(() => engine.SynthesizeAsync("Hola", "es", CancellationToken.None));
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.AssertAsync(() => !IsRunning(pid), () => $"the hung tool (pid {pid}) was not killed");
    }

    /// <summary>Whether <paramref name="pid"/> is a live process (a killed child not yet reaped counts as gone).</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var fields = File.ReadAllText(stat);
            return fields[(fields.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}

/// <summary>Tests that run the audio tools (and count temp folders) do not run in parallel with each other.</summary>
[CollectionDefinition(Name)]
public sealed class AudioToolsCollection
{
    public const string Name = "audio tools";
}
