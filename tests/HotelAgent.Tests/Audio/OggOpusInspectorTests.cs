using HotelAgent.Core.Audio;
using HotelAgent.Tests.Fakes.Audio;

namespace HotelAgent.Tests.Audio;

[Collection(AudioToolsCollection.Name)]
public sealed class OggOpusInspectorTests
{
    [Fact]
    public async Task Real_voice_note_is_valid_mono_with_a_positive_duration()
    {
        var ogg = await AudioTestSupport.SpanishVoiceNoteAsync();

        var info = OggOpusInspector.Inspect(ogg);

        Assert.True(info.IsValid, info.Error);
        Assert.Null(info.Error);
        Assert.Equal(1, info.Channels);
        Assert.True(info.PreSkip > 0);
        Assert.True(info.PageCount >= 3);
        Assert.InRange(info.Duration.TotalSeconds, 3, 20);
    }

    [Fact]
    public async Task Flipped_byte_fails_the_page_checksum()
    {
        var ogg = (await AudioTestSupport.SpanishVoiceNoteAsync()).ToArray();
        ogg[ogg.Length / 2] ^= 0x5A;

        var info = OggOpusInspector.Inspect(ogg);

        Assert.False(info.IsValid);
        Assert.Contains("checksum", info.Error, StringComparison.Ordinal);
        Assert.True(OggOpusInspector.Inspect(ogg, verifyCrc: false).IsValid);
    }

    [Fact]
    public async Task Truncated_file_is_invalid()
    {
        var ogg = await AudioTestSupport.SpanishVoiceNoteAsync();

        var info = OggOpusInspector.Inspect(ogg.AsSpan(0, ogg.Length - 100));

        Assert.False(info.IsValid);
        Assert.Contains("Truncated", info.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ogg_without_an_opus_header_is_invalid()
    {
        var ogg = (await AudioTestSupport.SpanishVoiceNoteAsync()).ToArray();
        var at = ogg.AsSpan().IndexOf("OpusHead"u8);
        ogg[at + 4] = (byte)'X';

        var info = OggOpusInspector.Inspect(ogg, verifyCrc: false);

        Assert.False(info.IsValid);
        Assert.Contains("OpusHead", info.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4 }, "OggS")]
    [InlineData(new byte[] { 0x4F, 0x67, 0x67, 0x53, 0, 2 }, "Truncated")]
    public void Garbage_is_invalid_with_a_reason(byte[] data, string reason)
    {
        var info = OggOpusInspector.Inspect(data);

        Assert.False(info.IsValid);
        Assert.Contains(reason, info.Error, StringComparison.Ordinal);
    }
}
