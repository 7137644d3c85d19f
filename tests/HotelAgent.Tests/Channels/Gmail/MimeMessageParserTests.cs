using System.Text;
using HotelAgent.Core.Channels.Gmail.Mime;

namespace HotelAgent.Tests.Channels.Gmail;

public class MimeMessageParserTests
{
    [Fact]
    public void Plain_utf8_8bit_message_extracts_headers_and_body()
    {
        var raw = """
            Return-Path: <Juan.Perez@Example.com>
            From: "Pérez, Juan" <Juan.Perez@Example.COM>
            To: reservas@hotelpalermosoho.com
            Subject: Consulta
             disponibilidad
            Message-ID: <CAF1234@mail.gmail.com>
            In-Reply-To: <prev@mail.gmail.com>
            References: <first@mail.gmail.com>
             <prev@mail.gmail.com>
            MIME-Version: 1.0
            Content-Type: text/plain; charset="UTF-8"
            Content-Transfer-Encoding: 8bit

            Hola, ¿tienen habitación doble para el 12 de diciembre?
            Gracias
            """;

        var email = MimeMessageParser.Parse(raw);

        Assert.Equal("juan.perez@example.com", email.From!.Address);
        Assert.Equal("Pérez, Juan", email.From.DisplayName);
        Assert.Equal("Consulta disponibilidad", email.Subject);
        Assert.Equal("<CAF1234@mail.gmail.com>", email.MessageId);
        Assert.Equal("<prev@mail.gmail.com>", email.InReplyTo);
        Assert.Equal("<first@mail.gmail.com> <prev@mail.gmail.com>", email.References);
        Assert.Equal("Hola, ¿tienen habitación doble para el 12 de diciembre?\nGracias", email.CleanText);
        Assert.False(email.BodyFromHtml);
    }

    [Fact]
    public void Iso_8859_1_quoted_printable_body_keeps_spanish_accents()
    {
        var raw = "From: Lucía <lucia@example.com.ar>\r\n"
            + "Subject: =?ISO-8859-1?Q?Reserva_habitaci=F3n?=\r\n"
            + "Content-Type: text/plain; charset=ISO-8859-1\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Hola! =BFTen=E9s habitaci=F3n para dos noches? Llegamos el mi=E9rcoles a la =\r\n"
            + "ma=F1ana.\r\n";

        var email = MimeMessageParser.Parse(Encoding.UTF8.GetBytes(raw)); // RFC 6532: raw UTF-8 display name

        Assert.Equal("Reserva habitación", email.Subject);
        Assert.Equal("Hola! ¿Tenés habitación para dos noches? Llegamos el miércoles a la mañana.", email.CleanText);
        Assert.Equal("Lucía", email.From!.DisplayName);
    }

    [Fact]
    public void Iso_8859_1_8bit_body_bytes_are_decoded_with_the_declared_charset()
    {
        var header = "From: ana@example.com\r\nSubject: hola\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        var bytes = Encoding.ASCII.GetBytes(header).Concat(Encoding.Latin1.GetBytes("¿Tenés habitación?")).ToArray();

        Assert.Equal("¿Tenés habitación?", MimeMessageParser.Parse(bytes).CleanText);
    }

    [Fact]
    public void Base64_body_and_rfc2047_b_subject_in_utf8()
    {
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes("Quisiera una suite con vista, ¿es posible?"));
        var raw = "From: =?UTF-8?B?Sm9zw6kgTWFydMOtbmV6?= <JOSE@EXAMPLE.ORG>\r\n"
            + "Subject: =?UTF-8?B?wr9TdWl0ZSBkaXNwb25pYmxlPw==?=\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + body[..20] + "\r\n" + body[20..] + "\r\n";

        var email = MimeMessageParser.Parse(raw);

        Assert.Equal("¿Suite disponible?", email.Subject);
        Assert.Equal("José Martínez", email.From!.DisplayName);
        Assert.Equal("jose@example.org", email.From.Address);
        Assert.Equal("Quisiera una suite con vista, ¿es posible?", email.CleanText);
    }

    [Theory]
    [InlineData("=?utf-8?q?Caf=C3=A9_y_desayuno?=", "Café y desayuno")]
    [InlineData("=?iso-8859-1?q?Pe=F1a?= =?iso-8859-1?q?_y_ni=F1os?=", "Peña y niños")]
    [InlineData("Re: =?UTF-8?B?w7FhbmTDug==?= hoy", "Re: ñandú hoy")]
    [InlineData("=?windows-1252?Q?=93Precio=94?=", "\u201CPrecio\u201D")]
    [InlineData("=?UTF-8*es?Q?Ma=C3=B1ana?=", "Mañana")]
    [InlineData("plain =? not encoded", "plain =? not encoded")]
    public void Rfc2047_encoded_words_are_decoded(string raw, string expected)
    {
        Assert.Equal(expected, MimeEncodings.DecodeHeaderValue(raw));
    }

    [Fact]
    public void Multibyte_character_split_across_two_encoded_words_survives()
    {
        // "ó" is C3 B3 in UTF-8; the first word ends after C3.
        Assert.Equal("habitación", MimeEncodings.DecodeHeaderValue("=?UTF-8?Q?habitaci=C3?= =?UTF-8?Q?=B3n?="));
    }

    [Fact]
    public void Html_only_message_is_converted_to_text()
    {
        var raw = """
            From: guest@example.com
            Subject: Pregunta
            Content-Type: text/html; charset=UTF-8

            <html><head><style>p { color: red; }</style><script>alert('x')</script></head>
            <body><div>Hola&nbsp;equipo,</div><p>¿Aceptan <b>mascotas</b>? Tengo un perro &amp; un gato.</p>
            <ul><li>Llegada: 12/12</li><li>Salida: 14/12</li></ul><br>Saludos<br>Marta</body></html>
            """;

        var email = MimeMessageParser.Parse(raw);

        Assert.True(email.BodyFromHtml);
        Assert.Equal("Hola equipo,\n\n¿Aceptan mascotas? Tengo un perro & un gato.\n\n- Llegada: 12/12\n- Salida: 14/12\n\nSaludos\nMarta", email.CleanText);
        Assert.DoesNotContain("alert", email.CleanText, StringComparison.Ordinal);
        Assert.DoesNotContain("color", email.CleanText, StringComparison.Ordinal);
    }

    [Fact]
    public void Multipart_alternative_prefers_text_plain()
    {
        var raw = "From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/alternative; boundary=\"000000000000abcdef\"\r\n\r\n"
            + "--000000000000abcdef\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n\r\nTexto plano\r\n"
            + "--000000000000abcdef\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n\r\n<div>Texto HTML</div>\r\n"
            + "--000000000000abcdef--\r\n";

        var email = MimeMessageParser.Parse(raw);

        Assert.Equal("Texto plano", email.CleanText);
        Assert.False(email.BodyFromHtml);
        Assert.Equal(2, email.Root.Children.Count);
    }

    [Fact]
    public void Nested_mixed_related_alternative_with_attachment_finds_the_text_and_the_attachment()
    {
        var raw = "From: a@example.com\r\nSubject: x\r\n"
            + "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
            + "preamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
            + "--inner\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<p>Adjunto mi pasaporte para el check-in =E2=9C=93</p>\r\n"
            + "--inner--\r\n"
            + "--outer\r\nContent-Type: application/pdf; name=\"pasaporte.pdf\"\r\nContent-Disposition: attachment; filename*=utf-8''pasaporte%20Jos%C3%A9.pdf\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--outer--\r\nepilogue\r\n";

        var email = MimeMessageParser.Parse(raw);

        Assert.Equal("Adjunto mi pasaporte para el check-in ✓", email.CleanText);
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal("pasaporte José.pdf", attachment.FileName);
        Assert.Equal("%PDF-1.4\n", Encoding.ASCII.GetString(attachment.Content));
    }

    [Fact]
    public void Empty_text_plain_alternative_falls_back_to_html()
    {
        var raw = "From: a@example.com\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\n \r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Solo HTML</p>\r\n--b--\r\n";

        Assert.Equal("Solo HTML", MimeMessageParser.Parse(raw).CleanText);
    }

    [Fact]
    public void Format_flowed_lines_are_joined()
    {
        var raw = "From: a@example.com\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n"
            + "Queremos reservar dos habitaciones \r\npara el fin de semana largo.\r\n";

        Assert.Equal("Queremos reservar dos habitaciones para el fin de semana largo.", MimeMessageParser.Parse(raw).CleanText);
    }

    [Theory]
    [InlineData("Juan <JUAN@Example.com>", "juan@example.com", "Juan")]
    [InlineData("\"Doe, \\\"JD\\\" John\" <jd@x.io>", "jd@x.io", "Doe, \"JD\" John")]
    [InlineData("ana@x.com (Ana María)", "ana@x.com", "Ana María")]
    [InlineData("<solo@x.com>", "solo@x.com", null)]
    [InlineData("  bare@X.COM ", "bare@x.com", null)]
    public void Addresses_are_parsed_and_normalized(string header, string address, string? name)
    {
        var parsed = EmailAddress.Parse(header);
        Assert.Equal(address, parsed!.Address);
        Assert.Equal(name, parsed.DisplayName);
    }

    [Fact]
    public void Latin1_mislabelled_windows_1252_quotes_decode()
    {
        var raw = "From: a@example.com\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=93Hola=94 =80100\r\n";
        Assert.Equal("\u201CHola\u201D €100", MimeMessageParser.Parse(raw).CleanText);
    }
}
