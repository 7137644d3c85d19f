using System.Text;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SmtpServer.Protocol;

namespace HotelAgent.Tests.Channels.Email;

/// <summary>SMTP replies through the test run's SMTP server, read back from the guest's Dovecot mailbox.</summary>
[Collection(MailServersCollection.Name)]
public sealed class EmailSenderTests(MailServerFixture mail)
{
    private static string GuestMail(TestMailbox guest, string subject, string body) =>
        $"From: =?ISO-8859-1?Q?Luc=EDa_G=F3mez?= <{guest.Address}>\r\nTo: reservas@hotel.test\r\nSubject: {subject}\r\n"
        + $"Message-ID: <{Guid.NewGuid():N}@guest.test>\r\nReferences: <first@guest.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n";

    [Fact]
    public async Task Reply_is_threaded_text_and_html_from_the_hotel_and_filed_in_sent()
    {
        await using var h = EmailTestHarness.Start(mail);
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await mail.DeliverAsync(h.Hotel, GuestMail(guest, "=?UTF-8?Q?Consulta_habitaci=C3=B3n?=", "¿Tienen doble?"));
        var inbound = await h.PollOneAsync();
        var reply = new Reply("¡Hola Lucía! Sí, tenemos disponibilidad.\nElegí una opción:")
        {
            OptionsTitle = "Habitaciones",
            Options = [new ReplyOption("dbl", "Doble estándar", "USD 90 por noche"), new ReplyOption("sup", "Doble superior <vista>")],
        };

        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, inbound.GuestId, reply, inbound.ProviderMessageId + ":0") { ChannelContext = inbound.ChannelContext }, CancellationToken.None);

        var answer = Assert.Single(await mail.WaitForMailAsync(guest)).Message;
        Assert.Equal("Re: Consulta habitación", answer.Subject);
        Assert.Equal(inbound.ProviderMessageId.Trim('<', '>'), answer.InReplyTo);
        Assert.Equal(["first@guest.test", inbound.ProviderMessageId.Trim('<', '>')], answer.References);
        Assert.Equal(h.Hotel.Address, answer.From.Mailboxes.Single().Address);
        Assert.Equal("Hotel Palermo Soho", answer.From.Mailboxes.Single().Name);
        Assert.Contains("1. Doble estándar - USD 90 por noche", answer.TextBody, StringComparison.Ordinal);
        Assert.Contains("<li>Doble superior &lt;vista&gt;</li>", answer.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(h.Hotel.Address, Assert.Single(mail.Deliveries, d => d.Recipients.Contains(guest.Address)).AuthenticatedUser);

        // Dovecot does not file submitted mail: the copy in Sent is ours, read and identical.
        var copy = Assert.Single(await mail.ReadAsync(h.Hotel, "Sent"));
        Assert.True(copy.Seen);
        Assert.Equal(answer.MessageId, copy.Message.MessageId);
    }

    [Fact]
    public async Task Booking_confirmation_carries_the_ics_as_an_attachment()
    {
        await using var h = EmailTestHarness.Start(mail);
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        var hotel = HotelProfile.Load(null);
        var ics = h.Services.GetRequiredService<BookingCalendar>().Build(hotel, "HPS-1234", new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14), guest.Address);
        var reply = new Reply("¡Reserva confirmada!") { Attachments = [new ReplyAttachment(BookingCalendar.FileNameFor("HPS-1234"), BookingCalendar.ContentType, ics)] };

        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, guest.Address, reply, "k-ics"), CancellationToken.None);

        var answer = Assert.Single(await mail.WaitForMailAsync(guest)).Message;
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(answer.Attachments));
        Assert.True(attachment.ContentType.IsMimeType("text", "calendar"));
        Assert.Equal("REQUEST", attachment.ContentType.Parameters["method"]);
        Assert.Equal("reserva-HPS-1234.ics", attachment.FileName);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(ics, content.ToArray());
        Assert.StartsWith("¡Reserva confirmada!", answer.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_key_is_sent_once_concurrently_and_after_a_restart()
    {
        var hotel = mail.CreateMailbox();
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        var dir = Path.Combine(Path.GetTempPath(), "hotelagent-email-" + Guid.NewGuid().ToString("N"));
        var message = new OutboundMessage(Channel.Email, guest.Address, new Reply("Hola"), "msg-1:0");

        var first = EmailTestHarness.Start(mail, hotel: hotel, dataDirectory: dir);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => first.Sender.SendAsync(message, CancellationToken.None)));
        await first.StopServicesAsync();

        await using var second = EmailTestHarness.Start(mail, hotel: hotel, dataDirectory: dir);
        await second.Sender.SendAsync(message, CancellationToken.None);
        await second.Sender.SendAsync(message with { IdempotencyKey = "msg-2:0" }, CancellationToken.None);

        Assert.Equal(2, mail.Deliveries.Count(d => d.Recipients.Contains(guest.Address)));
        Assert.Contains("already sent; not sending again", second.LogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_send_is_reported_and_not_recorded_so_a_retry_sends()
    {
        await using var h = EmailTestHarness.Start(mail);
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        var message = new OutboundMessage(Channel.Email, guest.Address, new Reply("Hola"), "k-retry");
        mail.RejectNextDeliveries(new SmtpResponse(SmtpReplyCode.ServiceUnavailable, "try again later"));

        var ex = await Assert.ThrowsAsync<EmailException>(() => h.Sender.SendAsync(message, CancellationToken.None));
        Assert.Equal(EmailErrorKind.Transient, ex.Kind);
        Assert.Contains("SMTP 421", ex.Reason, StringComparison.Ordinal);

        await h.Sender.SendAsync(message, CancellationToken.None);
        Assert.Single(await mail.WaitForMailAsync(guest));
    }

    [Fact]
    public async Task A_reply_a_killed_sender_already_filed_in_sent_is_not_sent_again()
    {
        var hotel = mail.CreateMailbox();
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        var dir = Path.Combine(Path.GetTempPath(), "hotelagent-email-" + Guid.NewGuid().ToString("N"));
        var message = new OutboundMessage(Channel.Email, guest.Address, new Reply("Hola"), "killed:0");

        // A process recorded its attempt and the provider filed the mail in Sent, then it died before recording the send.
        var dead = EmailTestHarness.Start(mail, hotel: hotel, dataDirectory: dir);
        {
            // Its attempt row, owned by the dead process (the owner of this test process's attempts would be "us").
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await dead.Services.GetRequiredService<HotelAgent.Core.Channels.Common.ChannelsDatabase>().WriteAsync(
                w => w.Execute(
                    "INSERT INTO sent_messages (channel, idempotency_key, provider_message_id, sent_utc, confirmed, owner, attempted_utc) VALUES ('Email', $key, NULL, $now, 0, 'a-killed-process', $now);",
                    ("$key", message.IdempotencyKey),
                    ("$now", now)),
                CancellationToken.None);
            var filed = EmailReplyComposer.Compose(message, dead.Options, DateTimeOffset.UtcNow);
            using var buffer = new MemoryStream();
            await filed.WriteToAsync(buffer);
            await mail.DeliverAsync(hotel, buffer.ToArray(), folder: "Sent");
            await dead.StopServicesAsync();
        }

        // The restarted process is another owner: it finds the Message-ID in Sent instead of sending again.
        await using var restarted = EmailTestHarness.Start(mail, hotel: hotel, dataDirectory: dir);
        await restarted.Sender.SendAsync(message, CancellationToken.None);

        Assert.True(!mail.Deliveries.Any(d => d.Recipients.Contains(guest.Address)), restarted.LogText);
        Assert.Contains("was found in Sent", restarted.LogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gmail_like_providers_file_sent_mail_themselves_so_no_copy_is_appended()
    {
        await using var h = EmailTestHarness.Start(mail, s => s["Email:AppendToSent"] = "false");
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);

        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, guest.Address, new Reply("Hola"), "k-gmail"), CancellationToken.None);

        Assert.Single(await mail.WaitForMailAsync(guest));
        Assert.Empty(await mail.ReadAsync(h.Hotel, "Sent"));
    }

    [Fact]
    public async Task Other_channels_and_non_addresses_are_refused()
    {
        await using var h = EmailTestHarness.Start(mail);
        await Assert.ThrowsAsync<ArgumentException>(() => h.Sender.SendAsync(new OutboundMessage(Channel.WhatsApp, "+5491100000000", new Reply("x"), "w"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => h.Sender.SendAsync(new OutboundMessage(Channel.Email, "+5491100000000", new Reply("x"), "e"), CancellationToken.None));
    }

    [Theory]
    [InlineData("Consulta", "Re: Consulta")]
    [InlineData("Re: Consulta", "Re: Consulta")]
    [InlineData("RE: re: Consulta", "Re: Consulta")]
    [InlineData("Aw: Anfrage", "Re: Anfrage")]
    [InlineData("Reserva: 12/12", "Re: Reserva: 12/12")]
    public void Reply_subject_never_stacks_prefixes(string original, string expected)
    {
        Assert.Equal(expected, EmailReplyComposer.ReplySubject(original, new EmailOptions()));
    }

    [Fact]
    public void Message_id_is_stable_per_key_and_in_the_hotel_domain()
    {
        Assert.Equal(EmailReplyComposer.MessageIdFor("k:0", "reservas@hotel.test"), EmailReplyComposer.MessageIdFor("k:0", "reservas@hotel.test"));
        Assert.NotEqual(EmailReplyComposer.MessageIdFor("k:0", "reservas@hotel.test"), EmailReplyComposer.MessageIdFor("k:1", "reservas@hotel.test"));
        Assert.EndsWith(".hotelagent@hotel.test", EmailReplyComposer.MessageIdFor("k:0", "reservas@hotel.test"), StringComparison.Ordinal);
    }
}
