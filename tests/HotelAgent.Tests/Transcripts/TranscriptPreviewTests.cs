using HotelAgent.Core.Transcripts;

namespace HotelAgent.Tests.Transcripts;

public sealed class TranscriptPreviewTests
{
    [Theory]
    [InlineData("escribime a martina.gomez@gmail.com porfa", "escribime a ***@gmail.com porfa")]
    [InlineData("mi cel es +54 9 11 5555-1234", "mi cel es ***1234")]
    [InlineData("tarjeta 4111 1111 1111 1111 vence 12/28", "tarjeta ***1111 vence 12/28")]
    [InlineData("somos 2, del 10 al 12", "somos 2, del 10 al 12")]
    [InlineData("  hola\n\n  ¿tienen   lugar? ", "hola ¿tienen lugar?")]
    public void Contacts_are_masked_and_whitespace_folded(string text, string expected) =>
        Assert.Equal(expected, TranscriptPreview.For(text));

    [Fact]
    public void Long_messages_are_cut_on_a_grapheme_with_an_ellipsis()
    {
        var preview = TranscriptPreview.For(new string('a', 78) + "👍🏽 y sigue", 80);

        Assert.Equal(new string('a', 78) + "…", preview);
        Assert.True(preview.Length <= 80);
        Assert.Equal(string.Empty, TranscriptPreview.For(null));
    }
}
