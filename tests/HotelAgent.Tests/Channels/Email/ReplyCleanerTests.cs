using HotelAgent.Core.Channels.Email;

namespace HotelAgent.Tests.Channels.Email;

public class ReplyCleanerTests
{
    [Fact]
    public void Spanish_gmail_quote_header_wrapped_on_two_lines_is_cut()
    {
        var text = """
            Perfecto, confirmo la habitación doble.

            El lun, 17 nov 2026 a las 10:15, Hotel Palermo Soho (<
            reservas@hotelpalermosoho.com>) escribió:

            > Hola Juan, tenemos disponibilidad.
            > Saludos
            """;

        Assert.Equal("Perfecto, confirmo la habitación doble.", ReplyCleaner.Clean(text));
    }

    [Fact]
    public void English_on_wrote_and_quoted_lines_are_cut()
    {
        var text = "Yes, please book it.\n\nOn Mon, Nov 17, 2026 at 10:15 AM Hotel <reservas@hotel.com> wrote:\n> Do you want the room?\n";
        Assert.Equal("Yes, please book it.", ReplyCleaner.Clean(text));
    }

    [Fact]
    public void Outlook_spanish_header_block_and_separator_are_cut()
    {
        var text = """
            Gracias, llegamos a las 22 hs.

            ________________________________
            De: Hotel Palermo Soho <reservas@hotelpalermosoho.com>
            Enviado: lunes, 17 de noviembre de 2026 10:15
            Para: Juan Pérez <juan@example.com>
            Asunto: Re: Reserva

            Hola Juan...
            """;

        Assert.Equal("Gracias, llegamos a las 22 hs.", ReplyCleaner.Clean(text));
    }

    [Fact]
    public void Outlook_english_original_message_is_cut()
    {
        var text = "Sounds good.\r\n\r\n-----Original Message-----\r\nFrom: Hotel\r\nSent: Monday\r\n\r\nOld text";
        Assert.Equal("Sounds good.", ReplyCleaner.Clean(text));
    }

    [Theory]
    [InlineData("¿Tienen cochera?\n\nEnviado desde mi iPhone", "¿Tienen cochera?")]
    [InlineData("Do you have parking?\n\nSent from my Galaxy", "Do you have parking?")]
    [InlineData("¿Hay desayuno?\n-- \nMarta Gómez\nGerente de Compras\nTel 555", "¿Hay desayuno?")]
    [InlineData("Hola\n\nObtener Outlook para Android", "Hola")]
    public void Signatures_are_stripped(string text, string expected)
    {
        Assert.Equal(expected, ReplyCleaner.Clean(text));
    }

    [Fact]
    public void Interleaved_answers_between_quotes_are_kept()
    {
        var text = "> ¿Cuántas personas?\nSomos 3.\n> ¿Qué fechas?\nDel 12 al 14.";
        Assert.Equal("Somos 3.\nDel 12 al 14.", ReplyCleaner.Clean(text));
    }

    [Fact]
    public void Text_that_merely_mentions_wrote_is_kept()
    {
        var text = "El mes pasado les escribí por una reserva.\nMi esposa también escribió: ¿siguen con promo?\nEl gerente nos escribió:\nque había lugar.";
        Assert.Equal(text, ReplyCleaner.Clean(text));
    }

    [Fact]
    public void Gmail_html_quote_and_signature_blocks_are_dropped()
    {
        var html = """
            <div dir="ltr">Confirmo, gracias!<br><div><br></div>-- <br><div dir="ltr" class="gmail_signature">Juan Pérez<br>CEO</div></div>
            <br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">El lun, 17 nov 2026 a las 10:15, Hotel (&lt;<a href="mailto:r@h.com">r@h.com</a>&gt;) escribió:<br></div>
            <blockquote class="gmail_quote" style="margin:0px"><div dir="ltr">Hola Juan, <div>¿confirmás?</div></div></blockquote></div>
            """;

        Assert.Equal("Confirmo, gracias!", ReplyCleaner.Clean(HtmlText.Convert(html)));
    }

    [Fact]
    public void Outlook_html_reply_history_is_dropped()
    {
        var html = "<html><body><div>Perfecto.</div><div id=\"appendonsend\"></div><hr><div id=\"divRplyFwdMsg\"><b>De:</b> Hotel</div><div>Texto viejo</div></body></html>";
        Assert.Equal("Perfecto.", ReplyCleaner.Clean(HtmlText.Convert(html)));
    }

    [Fact]
    public void Apple_mail_blockquote_cite_is_dropped()
    {
        var html = "<div>Sí, por favor.</div><div><br><blockquote type=\"cite\"><div>On 17 Nov 2026, Hotel wrote:</div><div>¿Reservamos?</div></blockquote></div>";
        Assert.Equal("Sí, por favor.", HtmlText.Convert(html));
    }
}
