using System.Text;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Channels;

namespace HotelAgent.Tests.Channels.Email;

/// <summary>The IMAP poll against the test run's Dovecot.</summary>
[Collection(MailServersCollection.Name)]
public sealed class EmailPollerTests(MailServerFixture mail)
{
    private static string Mail(string from, string body, string extraHeaders = "", string subject = "hola") =>
        $"From: {from}\r\nTo: reservas@hotel.test\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@example.com>\r\nDate: Sat, 21 Nov 2026 10:00:00 -0300\r\n{extraHeaders}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n";

    internal const string SpanishGuestEmail = """
        Return-Path: <lucia.gomez@guest.test>
        MIME-Version: 1.0
        References: <CAold111@mail.gmail.com>
        In-Reply-To: <CAold111@mail.gmail.com>
        From: =?ISO-8859-1?Q?Luc=EDa_G=F3mez?= <Lucia.Gomez@Guest.Test>
        Date: Sat, 21 Nov 2026 23:55:00 -0300
        Message-ID: <CAJx9k2Qguest@mail.gmail.com>
        Subject: =?UTF-8?Q?Re:_Consulta_habitaci=C3=B3n_doble?=
        To: reservas@hotel.test
        Content-Type: multipart/alternative; boundary="0000000000007d3c2a0623f4b8a1"

        --0000000000007d3c2a0623f4b8a1
        Content-Type: text/plain; charset="ISO-8859-1"
        Content-Transfer-Encoding: quoted-printable

        Hola! =BFTienen habitaci=F3n doble del 12 al 14 de diciembre? Somos 2.

        El s=E1b, 21 nov 2026 a las 10:15, Hotel Palermo Soho (<
        reservas@hotel.test>) escribi=F3:

        > Hola Luc=EDa, =BFen qu=E9 fechas te gustar=EDa venir?
        >

        --0000000000007d3c2a0623f4b8a1
        Content-Type: text/html; charset="UTF-8"
        Content-Transfer-Encoding: base64

        PGRpdiBkaXI9Imx0ciI+SG9sYSEgwr9UaWVuZW4gaGFiaXRhY2nDs24gZG9ibGUgZGVsIDEyIGFs
        IDE0IGRlIGRpY2llbWJyZT8gU29tb3MgMi48L2Rpdj48ZGl2IGNsYXNzPSJnbWFpbF9xdW90ZSI+
        RWwgc8OhYiwgZXNjcmliacOzOiDCv2VuIHF1w6kgZmVjaGFzPzwvZGl2Pg==

        --0000000000007d3c2a0623f4b8a1--
        """;

    [Fact]
    public async Task Guest_email_is_handed_on_once_with_its_thread_and_flagged_seen_only_after()
    {
        await using var h = EmailTestHarness.Start(mail);
        var received = new DateTimeOffset(2026, 11, 22, 2, 55, 1, TimeSpan.Zero);
        var uid = await mail.DeliverAsync(h.Hotel, Encoding.Latin1.GetBytes(SpanishGuestEmail.ReplaceLineEndings("\r\n")), received);

        var result = await h.Poller.PollAsync(CancellationToken.None);

        Assert.Equal(new EmailPollResult(1, 1, 0, 0, 0, null), result);
        var inbound = Assert.Single(h.Sink.Received);
        Assert.Equal(Channel.Email, inbound.Channel);
        Assert.Equal("lucia.gomez@guest.test", inbound.GuestId);
        Assert.Equal("Lucía Gómez", inbound.DisplayName);
        Assert.Equal("Hola! ¿Tienen habitación doble del 12 al 14 de diciembre? Somos 2.", inbound.Text);
        Assert.Equal("<CAJx9k2Qguest@mail.gmail.com>", inbound.ProviderMessageId);
        Assert.Equal(received, inbound.Timestamp);
        Assert.Equal("Re: Consulta habitación doble", inbound.ChannelContext[EmailContextKeys.Subject]);
        Assert.Equal("<CAJx9k2Qguest@mail.gmail.com>", inbound.ChannelContext[EmailContextKeys.MessageId]);
        Assert.Equal("<CAold111@mail.gmail.com>", inbound.ChannelContext[EmailContextKeys.References]);
        Assert.Equal("INBOX", inbound.ChannelContext[EmailContextKeys.Folder]);
        Assert.Equal(uid.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), inbound.ChannelContext[EmailContextKeys.Uid]);
        Assert.True(Assert.Single(await mail.ReadAsync(h.Hotel)).Seen);

        Assert.Equal(new EmailPollResult(0, 0, 0, 0, 0, null), await h.Poller.PollAsync(CancellationToken.None));
        Assert.Single(h.Sink.Received);
    }

    [Fact]
    public async Task A_failing_receptionist_leaves_the_message_unseen_and_the_next_poll_hands_it_on()
    {
        await using var h = EmailTestHarness.Start(mail);
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "¿Tienen cuna?"));
        h.Sink.FailWith = new InvalidOperationException("orchestrator down");

        Assert.Equal(new EmailPollResult(1, 0, 0, 0, 1, null), await h.Poller.PollAsync(CancellationToken.None));
        Assert.False(Assert.Single(await mail.ReadAsync(h.Hotel)).Seen);
        Assert.Contains("not handled: handler error: InvalidOperationException; left unseen", h.LogText, StringComparison.Ordinal);

        h.Sink.FailWith = null;
        Assert.Equal(new EmailPollResult(1, 1, 0, 0, 0, null), await h.Poller.PollAsync(CancellationToken.None));
        Assert.True(Assert.Single(await mail.ReadAsync(h.Hotel)).Seen);
    }

    [Fact]
    public async Task A_message_accepted_but_not_flagged_comes_back_as_a_duplicate_and_is_then_flagged()
    {
        await using var h = EmailTestHarness.Start(mail);
        var message = Mail("guest@guest.test", "Quiero reservar");
        await mail.DeliverAsync(h.Hotel, message);
        await h.Poller.PollAsync(CancellationToken.None);

        // As after a crash between the hand-over and the flag: the same message unseen again (a copy, other UID).
        await mail.DeliverAsync(h.Hotel, message);
        var again = await h.Poller.PollAsync(CancellationToken.None);

        Assert.Equal(new EmailPollResult(1, 0, 1, 0, 0, null), again);
        Assert.Single(h.Sink.Received);
        Assert.All(await mail.ReadAsync(h.Hotel), m => Assert.True(m.Seen));
    }

    [Fact]
    public async Task Own_mail_auto_replies_bounces_newsletters_and_lists_are_not_answered_and_stay_unread_for_staff()
    {
        await using var h = EmailTestHarness.Start(mail);
        await mail.DeliverAsync(h.Hotel, Mail($"Hotel <{h.Hotel.Address.ToUpperInvariant()}>", "nuestra respuesta"));
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "Estoy de vacaciones", "Auto-Submitted: auto-replied\r\n"));
        await mail.DeliverAsync(h.Hotel, Bounce());
        await mail.DeliverAsync(h.Hotel, HtmlNewsletter());
        await mail.DeliverAsync(h.Hotel, Mail("list@example.org", "digest", "List-Id: <travel.example.org>\r\n"));
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "Quiero reservar", "Auto-Submitted: no\r\n"));

        var result = await h.Poller.PollAsync(CancellationToken.None);

        Assert.Equal(new EmailPollResult(6, 1, 0, 5, 0, null), result);
        Assert.Equal("Quiero reservar", Assert.Single(h.Sink.Received).Text);
        var stored = await mail.ReadAsync(h.Hotel);
        var skipped = stored.Where(m => !m.Message.TextBody?.Contains("Quiero reservar", StringComparison.Ordinal) ?? true).ToList();
        Assert.Equal(5, skipped.Count);
        Assert.All(skipped, m => Assert.False(m.Seen)); // nothing lost: still unread for the staff
        Assert.All(skipped, m => Assert.Contains(EmailPoller.SkippedKeyword, m.Keywords));
        foreach (var reason in new[] { "own message", "auto-submitted", "automated sender", "mailing list" })
        {
            Assert.Contains("not answered: " + reason, h.LogText, StringComparison.Ordinal);
        }

        Assert.Equal(new EmailPollResult(0, 0, 0, 0, 0, null), await h.Poller.PollAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Bad_input_is_logged_answered_where_due_and_the_poll_goes_on()
    {
        await using var h = EmailTestHarness.Start(mail);
        await mail.DeliverAsync(h.Hotel, AttachmentOnly());
        await mail.DeliverAsync(h.Hotel, WithLargeAttachment(10 * 1024 * 1024));
        await mail.DeliverAsync(h.Hotel, Encoding.ASCII.GetBytes(
            "From: roto@guest.test\r\nSubject: encoding roto\r\nMessage-ID: <broken-1@guest.test>\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nSG9sYSwgwr9oYXkgbHVnYXI/!!%%\r\n"));
        await mail.DeliverAsync(h.Hotel, "From: vacio@guest.test\r\nMessage-ID: <empty-1@guest.test>\r\nContent-Type: text/plain\r\n\r\n\r\n");
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "¿Hay desayuno?"));
        var sessionsBefore = DovecotOutBytes(h.Hotel.Address).Count;

        var result = await h.Poller.PollAsync(CancellationToken.None);

        // Only the text parts were downloaded: Dovecot logs the bytes it sent in each session when it ends.
        var pollerSessions = await WaitForNewSessionsAsync(h.Hotel.Address, sessionsBefore);
        Assert.True(pollerSessions.Max() < 1_000_000, $"the poller downloaded {pollerSessions.Max()} bytes: the attachment was fetched");
        Assert.Equal(new EmailPollResult(5, 4, 0, 1, 0, null), result);
        var received = h.Sink.Received;
        var receipt = Assert.Single(received, m => m.GuestId == "pagos@guest.test");
        Assert.Equal(InboundKind.Document, receipt.Kind);
        Assert.Equal("Comprobante de transferencia", receipt.Text);
        Assert.Equal("Adjunto el pasaporte. ¿Puedo hacer el check-in temprano?", Assert.Single(received, m => m.GuestId == "grande@guest.test").Text);
        Assert.StartsWith("Hola, ¿hay lugar", Assert.Single(received, m => m.GuestId == "roto@guest.test").Text, StringComparison.Ordinal);
        Assert.Equal("¿Hay desayuno?", Assert.Single(received, m => m.GuestId == "guest@guest.test").Text);
        Assert.Contains("not answered: empty message", h.LogText, StringComparison.Ordinal);
        Assert.Equal(5, (await mail.ReadAsync(h.Hotel)).Count); // nothing deleted
    }

    [Fact]
    public async Task Messages_reach_the_receptionist_oldest_first_across_inbox_and_the_extra_folder()
    {
        await using var h = EmailTestHarness.Start(mail, s => s["Email:ExtraFolder"] = "Reservas");
        var t0 = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "tercero"), t0.AddMinutes(2));
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "primero"), t0);
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "segundo"), t0.AddMinutes(1), folder: "Reservas");

        var result = await h.Poller.PollAsync(CancellationToken.None);

        Assert.Equal(3, result.Accepted);
        Assert.Equal(["primero", "segundo", "tercero"], h.Sink.Received.Select(m => m.Text));
        Assert.Equal("Reservas", h.Sink.Received[1].ChannelContext[EmailContextKeys.Folder]);
        Assert.True(Assert.Single(await mail.ReadAsync(h.Hotel, "Reservas")).Seen);
    }

    [Fact]
    public async Task Max_messages_per_poll_leaves_the_rest_for_the_next_poll()
    {
        await using var h = EmailTestHarness.Start(mail, s => s["Email:MaxMessagesPerPoll"] = "2");
        for (var i = 0; i < 3; i++)
        {
            await mail.DeliverAsync(h.Hotel, Mail($"g{i}@guest.test", "hola"));
        }

        Assert.Equal(2, (await h.Poller.PollAsync(CancellationToken.None)).Accepted);
        Assert.Equal(1, (await h.Poller.PollAsync(CancellationToken.None)).Accepted);
    }

    [Fact]
    public async Task Wrong_password_is_an_auth_error_that_touches_nothing_and_never_logs_the_secret()
    {
        await using var h = EmailTestHarness.Start(mail, s => s["Email:Password"] = "wrong-secret-123");
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "Hola"));

        var result = await h.Poller.PollAsync(CancellationToken.None);

        Assert.Equal(EmailErrorKind.Auth, result.ErrorKind);
        Assert.StartsWith("IMAP login: the server refused the credentials", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.Sink.Received);
        Assert.False(Assert.Single(await mail.ReadAsync(h.Hotel)).Seen);
        Assert.Contains("Email poll stopped: Auth", h.LogText, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-123", h.LogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_server_is_a_transient_error()
    {
        await using var h = EmailTestHarness.Start(mail, s => s["Email:Imap:Port"] = "1");

        var result = await h.Poller.PollAsync(CancellationToken.None);

        Assert.Equal(EmailErrorKind.Transient, result.ErrorKind);
        Assert.StartsWith("IMAP connect: network error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_channel_contacts_nothing()
    {
        await using var h = EmailTestHarness.Start(mail, s => s["Email:Enabled"] = "false");
        await mail.DeliverAsync(h.Hotel, Mail("guest@guest.test", "Hola"));

        Assert.Same(EmailPollResult.Disabled, await h.Poller.PollAsync(CancellationToken.None));
        Assert.False(Assert.Single(await mail.ReadAsync(h.Hotel)).Seen);
    }

    [Fact]
    public async Task Logs_mask_guest_addresses_and_carry_no_bodies()
    {
        await using var h = EmailTestHarness.Start(mail);
        await mail.DeliverAsync(h.Hotel, Encoding.Latin1.GetBytes(SpanishGuestEmail.ReplaceLineEndings("\r\n")));

        await h.Poller.PollAsync(CancellationToken.None);

        Assert.Contains("***@guest.test", h.LogText, StringComparison.Ordinal);
        Assert.DoesNotContain("lucia.gomez", h.LogText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("habitación doble", h.LogText, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Hotel.Password, h.LogText, StringComparison.Ordinal);
    }

    internal static string Bounce() => """
        From: Mail Delivery System <MAILER-DAEMON@relay.guest.test>
        To: reservas@hotel.test
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <bounce-1@relay.guest.test>
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

        --B1
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not be delivered.
        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.guest.test
        Final-Recipient: rfc822; nadie@guest.test
        Action: failed
        Status: 5.1.1
        --B1--
        """;

    internal static string HtmlNewsletter() => """
        From: Ofertas Viajes <ofertas@promo.guest.test>
        To: reservas@hotel.test
        Subject: =?UTF-8?Q?=C2=A1Black_Friday!?=
        Message-ID: <news-1@promo.guest.test>
        List-Unsubscribe: <https://promo.guest.test/unsub?u=1>, <mailto:unsub@promo.guest.test>
        MIME-Version: 1.0
        Content-Type: text/html; charset=utf-8

        <html><body><table><tr><td><h1>50% off</h1><p>Reservá ya</p></td></tr></table></body></html>
        """;

    private static string AttachmentOnly() => """
        From: Pagos <pagos@guest.test>
        To: reservas@hotel.test
        Subject: Comprobante de transferencia
        Message-ID: <pdf-1@guest.test>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="M1"

        --M1
        Content-Type: application/pdf; name="comprobante.pdf"
        Content-Disposition: attachment; filename="comprobante.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcTl8uXrp/Og0MTGCg==
        --M1--
        """;

    private static byte[] WithLargeAttachment(int bytes)
    {
        var payload = new byte[bytes];
        new Random(15).NextBytes(payload);
        var sb = new StringBuilder();
        sb.Append("From: Grande <grande@guest.test>\r\nTo: reservas@hotel.test\r\nSubject: pasaporte\r\nMessage-ID: <big-1@guest.test>\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"G1\"\r\n\r\n--G1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
            .Append("Adjunto el pasaporte. ¿Puedo hacer el check-in temprano?\r\n--G1\r\n")
            .Append("Content-Type: image/jpeg; name=\"pasaporte.jpg\"\r\nContent-Disposition: attachment; filename=\"pasaporte.jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks))
            .Append("\r\n--G1--\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private async Task<List<long>> WaitForNewSessionsAsync(string user, int before)
    {
        List<long> sessions = [];
        await Eventually.AssertAsync(() => (sessions = DovecotOutBytes(user)).Count > before, () => "Dovecot logged no session of the poller");
        return sessions.Skip(before).ToList();
    }

    /// <summary>The <c>out=</c> byte counts of Dovecot's IMAP sessions of <paramref name="user"/> (logged at logout).</summary>
    private List<long> DovecotOutBytes(string user)
    {
        var log = File.ReadAllLines(Path.Combine(mail.Directory, "dovecot.log"));
        return log.Where(l => l.Contains($"imap({user})", StringComparison.Ordinal) && l.Contains(" out=", StringComparison.Ordinal))
            .Select(l => long.Parse(System.Text.RegularExpressions.Regex.Match(l, @" out=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
    }
}
