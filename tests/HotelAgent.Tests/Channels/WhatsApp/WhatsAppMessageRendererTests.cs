using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Channels.WhatsApp;

public class WhatsAppMessageRendererTests
{
    [Fact]
    public void Truncate_never_splits_an_emoji_or_accent()
    {
        var title = "Habitación 👨‍👩‍👧‍👦 familiar";
        var cut = WhatsAppMessageRenderer.Truncate(title, 14);
        Assert.True(cut.Length <= 14);
        Assert.Equal("Habitación…", cut); // the family emoji (11 UTF-16 units) does not fit whole, so it is dropped
        Assert.Equal("Decomposed…", WhatsAppMessageRenderer.Truncate("Decomposed e\u0301xtra long", 13)); // never a bare "e"
        Assert.Equal("Decomposed é…", WhatsAppMessageRenderer.Truncate("Decomposed e\u0301xtra long", 14).Normalize());
    }

    [Fact]
    public void Short_text_is_kept_and_trimmed()
    {
        Assert.Equal("Confirmar", WhatsAppMessageRenderer.Truncate("  Confirmar ", 20));
    }

    [Fact]
    public void Ids_are_cut_without_ellipsis()
    {
        var id = WhatsAppMessageRenderer.Truncate(new string('a', 300), WhatsAppMessageRenderer.MaxButtonId, ellipsis: false);
        Assert.Equal(256, id.Length);
        Assert.DoesNotContain("…", id, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipient_is_digits_only()
    {
        Assert.Equal("5491155551234", WhatsAppMessageRenderer.ToRecipient("+54 9 11 5555-1234"));
        Assert.Throws<ArgumentException>(() => WhatsAppMessageRenderer.ToRecipient("web-session-1"));
    }

    [Fact]
    public void Options_without_text_still_have_a_body()
    {
        var payload = WhatsAppMessageRenderer.Render("+5491155551234", new Reply(string.Empty) { Options = [new ReplyOption("a", "A")] });
        Assert.False(string.IsNullOrWhiteSpace(payload["interactive"]!["body"]!["text"]!.GetValue<string>()));
    }

    [Fact]
    public void Long_text_is_cut_to_the_4096_limit()
    {
        var payload = WhatsAppMessageRenderer.Text("+5491155551234", new string('x', 5000));
        Assert.Equal(4096, payload["text"]!["body"]!.GetValue<string>().Length);
    }

    [Fact]
    public void Empty_option_titles_get_a_position_label()
    {
        var payload = WhatsAppMessageRenderer.Buttons("+5491155551234", new Reply("¿?") { Options = [new ReplyOption("a", " "), new ReplyOption("b", "B")] });
        Assert.Equal("1", payload["interactive"]!["action"]!["buttons"]![0]!["reply"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public void Callback_data_is_the_key_cut_to_512_without_splitting_a_surrogate_pair()
    {
        var payload = WhatsAppMessageRenderer.WithCallbackData(WhatsAppMessageRenderer.Text("+5491155551234", "Hola"), "wamid.IN:0");
        Assert.Equal("wamid.IN:0", payload["biz_opaque_callback_data"]!.GetValue<string>());
        Assert.Null(WhatsAppMessageRenderer.WithCallbackData(WhatsAppMessageRenderer.Text("+5491155551234", "Hola"), null)["biz_opaque_callback_data"]);

        Assert.Equal(new string('k', 512), WhatsAppMessageRenderer.CallbackData(new string('k', 600)));
        var emojiAtTheEdge = new string('k', 511) + "😀tail";
        var cut = WhatsAppMessageRenderer.CallbackData(emojiAtTheEdge);
        Assert.Equal(new string('k', 511), cut);
        Assert.Equal(512, WhatsAppMessageRenderer.CallbackData(new string('k', 510) + "😀tail").Length);
    }
}
