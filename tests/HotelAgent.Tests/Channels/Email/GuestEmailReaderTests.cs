using System.Text;
using HotelAgent.Core.Channels.Email;
using MimeKit;

namespace HotelAgent.Tests.Channels.Email;

public class GuestEmailReaderTests
{
    private static readonly EmailOptions Hotel = new() { Address = "reservas@hotelpalermosoho.com" };

    private static MimeMessage Parse(string raw) => Parse(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));

    private static MimeMessage Parse(byte[] raw)
    {
        using var stream = new MemoryStream(raw);
        return MimeMessage.Load(stream);
    }

    private static string Text(MimeMessage message)
    {
        var (plain, html) = GuestEmailReader.TextParts(message);
        return GuestEmailReader.BodyText(plain, html);
    }

    private static string Mail(string from, string extraHeaders = "", string contentType = "text/plain; charset=utf-8", string body = "Hola") =>
        $"From: {from}\r\nTo: reservas@hotelpalermosoho.com\r\nSubject: hola\r\nMessage-ID: <m1@example.com>\r\n{extraHeaders}Content-Type: {contentType}\r\n\r\n{body}\r\n";

    [Theory]
    [InlineData("Hotel <RESERVAS@hotelpalermosoho.com>", "", "own message")]
    [InlineData("guest@example.com", "Auto-Submitted: auto-replied\r\n", "auto-submitted")]
    [InlineData("guest@example.com", "X-Autoreply: yes\r\n", "auto-reply")]
    [InlineData("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "", "automated sender")]
    [InlineData("bounces@example.com", "Return-Path: <>\r\n", "automated sender")]
    [InlineData("someone@example.com", "Return-Path: <>\r\n", "delivery report (null sender)")]
    [InlineData("news@promo.example.com", "Precedence: bulk\r\n", "bulk precedence")]
    [InlineData("list@example.org", "List-Id: <travel.example.org>\r\n", "mailing list")]
    [InlineData("ofertas@tienda.example", "List-Unsubscribe: <mailto:unsub@tienda.example>\r\n", "mailing list")]
    [InlineData("guest@example.com", "", null)]
    [InlineData("guest@example.com", "Auto-Submitted: no\r\n", null)]
    public void Skip_reasons(string from, string headers, string? reason)
    {
        Assert.Equal(reason, GuestEmailReader.SkipReason(Parse(Mail(from, headers)), Hotel));
    }

    [Fact]
    public void A_bounce_is_a_delivery_report()
    {
        var bounce = Parse(Mail("postmaster-like@relay.example", contentType: "multipart/report; report-type=delivery-status; boundary=b", body: "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n--b--"));
        Assert.Equal("delivery report", GuestEmailReader.SkipReason(bounce, Hotel));
    }

    [Fact]
    public void Contact_form_mail_answers_the_reply_to_guest()
    {
        var message = Parse(Mail("Formulario web <web@hotelpalermosoho.example>", "Reply-To: Ana Ruiz <Ana.Ruiz@example.com>\r\n"));
        var guest = GuestEmailReader.GuestAddress(message)!;

        Assert.Null(GuestEmailReader.SkipReason(message, Hotel));
        Assert.Equal("Ana.Ruiz@example.com", guest.Address);
        Assert.Equal("Ana Ruiz", guest.Name);
    }

    [Fact]
    public void Iso_8859_1_quoted_printable_body_and_encoded_name_keep_spanish_accents()
    {
        var message = Parse(Encoding.ASCII.GetBytes(
            "From: =?ISO-8859-1?Q?Luc=EDa_Fern=E1ndez?= <lucia@example.com.ar>\r\n"
            + "Subject: =?ISO-8859-1?Q?Reserva_habitaci=F3n?=\r\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Hola! =BFTen=E9s habitaci=F3n para dos noches? Llegamos el mi=E9rcoles a la =\r\nma=F1ana.\r\n"));

        Assert.Equal("Lucía Fernández", message.From.Mailboxes.Single().Name);
        Assert.Equal("Reserva habitación", message.Subject);
        Assert.Equal("Hola! ¿Tenés habitación para dos noches? Llegamos el miércoles a la mañana.", Text(message));
    }

    [Fact]
    public void Html_only_message_becomes_text_without_scripts_or_styles()
    {
        var message = Parse(Mail("guest@example.com", contentType: "text/html; charset=utf-8", body: """
            <html><head><style>p { color: red; }</style><script>alert('x')</script></head>
            <body><div>Hola&nbsp;equipo,</div><p>¿Aceptan <b>mascotas</b>? Tengo un perro &amp; un gato.</p>
            <ul><li>Llegada: 12/12</li><li>Salida: 14/12</li></ul><br>Saludos<br>Marta</body></html>
            """));

        Assert.Equal("Hola equipo,\n\n¿Aceptan mascotas? Tengo un perro & un gato.\n\n- Llegada: 12/12\n- Salida: 14/12\n\nSaludos\nMarta", Text(message));
    }

    [Fact]
    public void Empty_text_alternative_falls_back_to_html_and_plain_is_preferred_otherwise()
    {
        const string alternative = "multipart/alternative; boundary=b";
        var emptyPlain = Parse(Mail("a@example.com", contentType: alternative, body: "--b\r\nContent-Type: text/plain\r\n\r\n \r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Solo HTML</p>\r\n--b--"));
        var both = Parse(Mail("a@example.com", contentType: alternative, body: "--b\r\nContent-Type: text/plain\r\n\r\nTexto plano\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Texto HTML</p>\r\n--b--"));

        Assert.Equal("Solo HTML", Text(emptyPlain));
        Assert.Equal("Texto plano", Text(both));
    }

    [Fact]
    public void Format_flowed_lines_are_joined()
    {
        var message = Parse(Mail("a@example.com", contentType: "text/plain; charset=utf-8; format=flowed", body: "Queremos reservar dos habitaciones \r\npara el fin de semana largo."));
        Assert.Equal("Queremos reservar dos habitaciones para el fin de semana largo.", Text(message));
    }

    [Fact]
    public void Broken_encodings_degrade_to_readable_text()
    {
        var badBase64 = Parse(Mail("a@example.com", "Content-Transfer-Encoding: base64\r\n", body: Convert.ToBase64String(Encoding.UTF8.GetBytes("¿Hay cochera?"))[..^2] + "!!%%"));
        var unknownCharset = Parse(Encoding.ASCII.GetBytes(Mail("a@example.com", contentType: "text/plain; charset=x-unknown-8859", body: "Hola, quiero reservar")));
        var invalidUtf8 = Parse([.. Encoding.ASCII.GetBytes(Mail("a@example.com", "Content-Transfer-Encoding: 8bit\r\n", body: "")[..^2]), .. Encoding.Latin1.GetBytes("¿Tenés lugar?\r\n")]);
        var badQuotedPrintable = Parse(Mail("a@example.com", "Content-Transfer-Encoding: quoted-printable\r\n", body: "Precio =ZZ por noche =C3=A9xito="));

        Assert.StartsWith("¿Hay coche", Text(badBase64), StringComparison.Ordinal);
        Assert.Equal("Hola, quiero reservar", Text(unknownCharset));
        Assert.Contains("Ten", Text(invalidUtf8), StringComparison.Ordinal);
        Assert.Contains("lugar?", Text(invalidUtf8), StringComparison.Ordinal);
        Assert.StartsWith("Precio =ZZ por noche éxito", Text(badQuotedPrintable), StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_id_is_the_message_id_or_a_content_hash()
    {
        var withId = Parse(Mail("a@example.com"));
        var withoutId = Parse("From: a@example.com\r\nSubject: x\r\nDate: Sat, 21 Nov 2026 10:00:00 -0300\r\n\r\nHola\r\n");

        Assert.Equal("<m1@example.com>", GuestEmailReader.ProviderMessageId(withId, "Hola"));
        var hashed = GuestEmailReader.ProviderMessageId(withoutId, "Hola");
        Assert.StartsWith("sha256:", hashed, StringComparison.Ordinal);
        Assert.Equal(hashed, GuestEmailReader.ProviderMessageId(Parse("From: a@example.com\r\nSubject: x\r\nDate: Sat, 21 Nov 2026 10:00:00 -0300\r\n\r\nHola\r\n"), "Hola"));
        Assert.NotEqual(hashed, GuestEmailReader.ProviderMessageId(withoutId, "Chau"));
    }
}
