using System.Diagnostics;
using System.Text;
using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Core.Channels.Gmail.Mime;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Channels.Gmail;

/// <summary>
/// Cross-checks our MIME builder and parser against an independent implementation: Python's standard
/// <c>email</c> package (Python 3.11 is on every machine here, see PLATFORM.md).
/// </summary>
public class MimeInteropTests
{
    private static async Task<string> PythonAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_email_reads_our_reply_with_attachment()
    {
        var message = new OutboundMessage(
            Channel.Email,
            "lucia@example.com",
            new Reply("¡Hola Lucía!\n\nTu reserva está confirmada.") { Attachments = [new ReplyAttachment("reserva ñ.ics", "text/calendar; charset=utf-8; method=PUBLISH", Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))] },
            "k1")
        {
            ChannelContext = new Dictionary<string, string>
            {
                [GmailContextKeys.Subject] = "Consulta habitación doble con vista al jardín y desayuno incluido para dos personas",
                [GmailContextKeys.MessageId] = "<a@b>",
                [GmailContextKeys.References] = "<x@y>",
            },
        };
        var options = new GmailOptions { UserEmail = "reservas@hotel.com", SenderName = "Hotel Palermo Soho — Reservas" };
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, MimeMessageBuilder.Build(GmailSender.BuildEmail(message, options, DateTimeOffset.UtcNow)));

        const string script = """
            import sys, email
            from email import policy
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
            print(m['Subject']); print(m['From']); print(m['In-Reply-To']); print(m['References'])
            print('|'.join(p.get_content_type() for p in m.walk()))
            print(m.get_body(('plain',)).get_content().strip())
            a = next(m.iter_attachments())
            print(a.get_filename(), a.get_content_type(), a.get_param('method'), len(a.get_content()))
            """;
        var lines = (await PythonAsync(script, path)).Split('\n');
        File.Delete(path);

        Assert.Equal("Re: Consulta habitación doble con vista al jardín y desayuno incluido para dos personas", lines[0]);
        Assert.Equal("Hotel Palermo Soho — Reservas <reservas@hotel.com>", lines[1]);
        Assert.Equal("<a@b>", lines[2]);
        Assert.Equal("<x@y> <a@b>", lines[3]);
        Assert.Equal("multipart/mixed|multipart/alternative|text/plain|text/html|text/calendar", lines[4]);
        Assert.Equal("¡Hola Lucía!", lines[5]);
        Assert.Equal("Tu reserva está confirmada.", lines[7]);
        Assert.Equal("reserva ñ.ics text/calendar PUBLISH 32", lines[8]);
    }

    [Fact]
    public async Task We_read_what_python_email_writes_in_iso_8859_1_quoted_printable()
    {
        const string script = """
            import sys
            from email.message import EmailMessage
            from email.headerregistry import Address
            from email import charset, policy
            m = EmailMessage()
            m['From'] = Address('Martín Núñez', 'martin', 'example.com.ar')
            m['To'] = 'reservas@hotel.com'
            m['Subject'] = '¿Tenés habitación para el sábado?'
            m.set_content('Hola, ¿tenés habitación doble? Llegamos el miércoles a la mañana.\nGracias.', charset='iso-8859-1', cte='quoted-printable')
            m.add_alternative('<p>Hola, <b>¿tenés</b> habitación?</p>', subtype='html', charset='iso-8859-1')
            sys.stdout.buffer.write(m.as_bytes(policy=policy.SMTP))
            """;
        var raw = await PythonAsync(script, string.Empty);

        var email = MimeMessageParser.Parse(Encoding.Latin1.GetBytes(raw));

        Assert.Contains("=?", raw, StringComparison.Ordinal); // python encoded the headers
        Assert.Equal("¿Tenés habitación para el sábado?", email.Subject);
        Assert.Equal("martin@example.com.ar", email.From!.Address);
        Assert.Equal("Martín Núñez", email.From.DisplayName);
        Assert.Equal("Hola, ¿tenés habitación doble? Llegamos el miércoles a la mañana.\nGracias.", email.CleanText);
    }
}
