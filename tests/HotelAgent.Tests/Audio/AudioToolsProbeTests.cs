using HotelAgent.Core.Audio;

namespace HotelAgent.Tests.Audio;

public sealed class AudioToolsProbeTests
{
    [Fact]
    public void Finds_espeak_and_opusenc_on_this_machine()
    {
        var tools = new AudioToolsProbe(new AudioOptions()).Probe();

        Assert.True(tools.CanSynthesizeOffline, tools.Reason);
        Assert.Equal(OpusEncoderKind.OpusEnc, tools.Encoder);
        Assert.EndsWith("espeak-ng", tools.EspeakPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Bogus_path_disables_offline_synthesis_with_a_clear_reason()
    {
        var tools = new AudioToolsProbe(new AudioOptions()).Probe(pathVariable: "/nonexistent/bin:/also/missing");

        Assert.False(tools.CanSynthesizeOffline);
        Assert.Equal(OpusEncoderKind.None, tools.Encoder);
        Assert.Contains("espeak-ng", tools.Reason, StringComparison.Ordinal);
        Assert.Contains("opus-tools", tools.Reason, StringComparison.Ordinal);
        Assert.Contains("ffmpeg", tools.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_opusenc_falls_back_to_ffmpeg()
    {
        var tools = new AudioToolsProbe(new AudioOptions { OpusEncPath = "no-such-opusenc" }).Probe();

        Assert.True(tools.CanSynthesizeOffline);
        Assert.Equal(OpusEncoderKind.Ffmpeg, tools.Encoder);
    }

    [Fact]
    public void Missing_espeak_alone_disables_synthesis()
    {
        var tools = new AudioToolsProbe(new AudioOptions { EspeakPath = "/opt/none/espeak-ng" }).Probe();

        Assert.False(tools.CanSynthesizeOffline);
        Assert.Contains("espeak-ng", tools.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Opus encoder", tools.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_executable_file_is_not_a_tool()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Null(AudioToolsProbe.FindExecutable(file, string.Empty));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
