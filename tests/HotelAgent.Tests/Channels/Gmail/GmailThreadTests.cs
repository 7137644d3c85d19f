using System.Text;
using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Core.Channels.Gmail.Mime;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Channels.Gmail;

public class GmailThreadTests
{
    internal const string GuestEmail = """
        Delivered-To: reservas@hotelpalermosoho.com
        Received: by 2002:a05:6a10:1234 with SMTP id abc; Sat, 21 Nov 2026 18:55:01 -0800 (PST)
        MIME-Version: 1.0
        References: <CAold111@mail.gmail.com>
        In-Reply-To: <CAold111@mail.gmail.com>
        From: =?UTF-8?Q?Luc=C3=ADa_G=C3=B3mez?= <Lucia.Gomez@Gmail.com>
        Date: Sat, 21 Nov 2026 23:55:00 -0300
        Message-ID: <CAJx9k2Qguest@mail.gmail.com>
        Subject: =?UTF-8?Q?Consulta_habitaci=C3=B3n_doble?=
        To: reservas@hotelpalermosoho.com
        Content-Type: multipart/alternative; boundary="0000000000007d3c2a0623f4b8a1"

        --0000000000007d3c2a0623f4b8a1
        Content-Type: text/plain; charset="UTF-8"
        Content-Transfer-Encoding: quoted-printable

        Hola! =C2=BFTienen habitaci=C3=B3n doble del 12 al 14 de diciembre?

        Enviado desde mi iPhone

        --0000000000007d3c2a0623f4b8a1
        Content-Type: text/html; charset="UTF-8"
        Content-Transfer-Encoding: quoted-printable

        <div dir=3D"ltr">Hola! =C2=BFTienen habitaci=C3=B3n doble del 12 al 14 de diciembre?</div>

        --0000000000007d3c2a0623f4b8a1--
        """;

    [Fact]
    public async Task Guest_email_is_polled_handed_to_the_sink_answered_in_thread_and_marked_processed()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var received = new DateTimeOffset(2026, 11, 22, 2, 55, 1, TimeSpan.Zero);
        var id = h.Fake.AddInboxMessage(GuestEmail, received);
        var threadId = h.Fake.GetMessage(id).ThreadId;

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(new GmailPollResult(1, 1, 0, 0, null), result);
        var inbound = Assert.Single(h.Sink.Received);
        Assert.Equal(Channel.Email, inbound.Channel);
        Assert.Equal("lucia.gomez@gmail.com", inbound.GuestId);
        Assert.Equal("Lucía Gómez", inbound.DisplayName);
        Assert.Equal("Hola! ¿Tienen habitación doble del 12 al 14 de diciembre?", inbound.Text);
        Assert.Equal(id, inbound.ProviderMessageId);
        Assert.Equal(received, inbound.Timestamp);
        Assert.Equal(threadId, inbound.ChannelContext[GmailContextKeys.ThreadId]);
        Assert.Equal("Consulta habitación doble", inbound.ChannelContext[GmailContextKeys.Subject]);
        Assert.Equal("<CAJx9k2Qguest@mail.gmail.com>", inbound.ChannelContext[GmailContextKeys.MessageId]);
        Assert.Equal("<CAold111@mail.gmail.com>", inbound.ChannelContext[GmailContextKeys.References]);

        // Marked processed only after the sink accepted: UNREAD removed, processed label added (created on first use).
        var label = Assert.Single(h.Fake.Labels, l => l.Name == "HotelAgent/Processed");
        var stored = h.Fake.GetMessage(id);
        Assert.DoesNotContain("UNREAD", stored.LabelIds);
        Assert.Contains(label.Id, stored.LabelIds);
        Assert.Equal("is:unread in:inbox -from:me -label:hotelagent-processed", Assert.Single(h.Fake.ReceivedQueries));

        var reply = new Reply("¡Hola Lucía! Sí, tenemos disponibilidad.\nElegí una opción:")
        {
            OptionsTitle = "Habitaciones",
            Options = [new ReplyOption("dbl", "Doble estándar", "USD 90 por noche"), new ReplyOption("sup", "Doble superior <vista>")],
        };
        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, inbound.GuestId, reply, id + ":0") { ChannelContext = inbound.ChannelContext }, CancellationToken.None);

        var sent = Assert.Single(h.Fake.SentMessages);
        Assert.Equal(threadId, sent.RequestedThreadId);
        Assert.Equal(threadId, sent.ThreadId);
        var email = sent.Parsed;
        Assert.Equal("Re: Consulta habitación doble", email.Subject);
        Assert.Contains("=?UTF-8?B?", sent.RawText, StringComparison.Ordinal); // RFC 2047 subject on the wire
        Assert.Equal("<CAJx9k2Qguest@mail.gmail.com>", email.InReplyTo);
        Assert.Equal("<CAold111@mail.gmail.com> <CAJx9k2Qguest@mail.gmail.com>", email.References);
        Assert.Equal(h.Fake.UserEmail, email.From!.Address);
        Assert.Equal("Hotel Palermo Soho", email.From.DisplayName);
        Assert.Equal("lucia.gomez@gmail.com", EmailAddress.Parse(email.GetHeader("To"))!.Address);
        Assert.Equal("1.0", email.GetHeader("MIME-Version"));
        Assert.DoesNotContain(sent.RawText.Replace("\r\n", string.Empty, StringComparison.Ordinal), c => c == '\n');

        Assert.Equal("multipart/alternative", email.Root.ContentType);
        var text = Assert.Single(email.Root.Children, c => c.ContentType == "text/plain").GetText();
        var html = Assert.Single(email.Root.Children, c => c.ContentType == "text/html").GetText();
        Assert.Contains("¡Hola Lucía! Sí, tenemos disponibilidad.", text, StringComparison.Ordinal);
        Assert.Contains("1. Doble estándar - USD 90 por noche", text, StringComparison.Ordinal);
        Assert.Contains("2. Doble superior <vista>", text, StringComparison.Ordinal);
        Assert.Contains("<ol>", html, StringComparison.Ordinal);
        Assert.Contains("<li>Doble superior &lt;vista&gt;</li>", html, StringComparison.Ordinal);
        Assert.Contains("¡Hola Lucía! Sí, tenemos disponibilidad.<br>", html, StringComparison.Ordinal);

        // The next tick finds nothing new.
        var second = await h.Poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(new GmailPollResult(0, 0, 0, 0, null), second);
        Assert.Single(h.Sink.Received);
    }

    [Fact]
    public async Task Html_only_iso_8859_1_email_reaches_the_sink_as_text()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var headers = "From: Martin <martin@example.com.ar>\r\nSubject: consulta\r\nMessage-ID: <m1@example.com.ar>\r\n"
            + "Content-Type: text/html; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        var body = Encoding.Latin1.GetBytes("<html><body><p>¿Tenés habitación para el sábado?</p><p>Gracias,<br>Martín</p></body></html>");
        h.Fake.AddInboxMessage([.. Encoding.ASCII.GetBytes(headers), .. body]);

        await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal("¿Tenés habitación para el sábado?\n\nGracias,\nMartín", Assert.Single(h.Sink.Received).Text);
    }

    [Fact]
    public async Task Empty_body_uses_the_subject()
    {
        await using var h = await GmailTestHarness.StartAsync();
        h.Fake.AddInboxMessage("From: a@example.com\r\nSubject: Precio suite 20/12?\r\nContent-Type: text/plain\r\n\r\n\r\n");

        await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal("Precio suite 20/12?", Assert.Single(h.Sink.Received).Text);
    }

    [Fact]
    public async Task Reply_with_attachment_is_multipart_mixed_with_the_ics()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var ics = new IcsCalendarBuilder(h.Time).BuildReservation(
            "HPS-1234", "Hotel Palermo Soho", "Gorriti 4800, Buenos Aires", new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14),
            new TimeOnly(15, 0), new TimeOnly(11, 0), "America/Argentina/Buenos_Aires", "Reserva HPS-1234");
        var reply = new Reply("¡Reserva confirmada!") { Attachments = [new ReplyAttachment("reserva-HPS-1234.ics", IcsCalendarBuilder.ContentType, ics)] };
        var context = new Dictionary<string, string> { [GmailContextKeys.Subject] = "Re: Reserva", [GmailContextKeys.MessageId] = "<x@y>" };

        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, "guest@example.com", reply, "k-ics") { ChannelContext = context }, CancellationToken.None);

        var email = Assert.Single(h.Fake.SentMessages).Parsed;
        Assert.Equal("Re: Reserva", email.Subject);
        Assert.Equal("multipart/mixed", email.Root.ContentType);
        Assert.Equal("multipart/alternative", email.Root.Children[0].ContentType);
        var attachment = Assert.Single(email.Attachments);
        Assert.Equal("text/calendar", attachment.ContentType);
        Assert.Equal("PUBLISH", attachment.ContentTypeParameters["method"]);
        Assert.Equal("attachment", attachment.Disposition);
        Assert.Equal("reserva-HPS-1234.ics", attachment.FileName);
        Assert.Equal(ics, attachment.Content);
        Assert.Equal("¡Reserva confirmada!", email.CleanText);
    }

    [Fact]
    public async Task Same_idempotency_key_is_sent_once_even_after_a_restart()
    {
        var fake = await FakeGmailApi.StartAsync();
        var dir = Path.Combine(Path.GetTempPath(), "hotelagent-gmail-" + Guid.NewGuid().ToString("N"));
        var message = new OutboundMessage(Channel.Email, "guest@example.com", new Reply("Hola"), "wamid-or-gmail-id:0");

        var first = await GmailTestHarness.StartAsync(fake: fake, dataDirectory: dir);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => first.Sender.SendAsync(message, CancellationToken.None)));
        await first.StopServicesAsync();

        await using var second = await GmailTestHarness.StartAsync(fake: fake, dataDirectory: dir);
        await second.Sender.SendAsync(message, CancellationToken.None);
        await second.Sender.SendAsync(message with { IdempotencyKey = "other:0" }, CancellationToken.None);

        Assert.Equal(2, fake.SentMessages.Count);
        Assert.True(File.Exists(Path.Combine(dir, "channels.db")));
    }

    [Fact]
    public async Task Send_failure_is_reported_and_not_recorded_so_a_retry_sends()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var message = new OutboundMessage(Channel.Email, "guest@example.com", new Reply("Hola"), "k1");
        h.Fake.FailNext(500, pathContains: "/messages/send");

        var ex = await Assert.ThrowsAsync<GmailApiException>(() => h.Sender.SendAsync(message, CancellationToken.None));
        Assert.Equal(GmailErrorKind.Transient, ex.Kind);
        Assert.Empty(h.Fake.SentMessages);

        await h.Sender.SendAsync(message, CancellationToken.None);
        Assert.Single(h.Fake.SentMessages);
    }

    [Fact]
    public async Task Message_without_email_context_starts_a_new_thread_and_other_channels_are_refused()
    {
        await using var h = await GmailTestHarness.StartAsync();

        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, "guest@example.com", new Reply("Recordatorio: check-in mañana."), "proactive:1"), CancellationToken.None);

        var sent = Assert.Single(h.Fake.SentMessages);
        Assert.Equal(sent.Id, sent.ThreadId); // a new Gmail thread
        Assert.Equal("Hotel Palermo Soho", sent.Parsed.Subject);
        Assert.Null(sent.Parsed.InReplyTo);
        Assert.Null(sent.RequestedThreadId);
        await Assert.ThrowsAsync<ArgumentException>(() => h.Sender.SendAsync(new OutboundMessage(Channel.WhatsApp, "+5491100000000", new Reply("x"), "w"), CancellationToken.None));
    }

    [Theory]
    [InlineData("Consulta", "Re: Consulta")]
    [InlineData("Re: Consulta", "Re: Consulta")]
    [InlineData("RE: re: Consulta", "Re: Consulta")]
    [InlineData("Aw: Anfrage", "Re: Anfrage")]
    [InlineData("Reserva: 12/12", "Re: Reserva: 12/12")]
    public void Reply_subject_never_stacks_prefixes(string original, string expected)
    {
        Assert.Equal(expected, GmailSender.ReplySubject(original, new GmailOptions()));
    }
}

public class GmailConversationTests
{
    [Fact]
    public async Task Guest_reply_quoting_our_answer_stays_in_the_thread_and_only_new_words_reach_the_sink()
    {
        await using var h = await GmailTestHarness.StartAsync();
        h.Fake.AddInboxMessage(GmailThreadTests.GuestEmail);
        await h.Poller.PollOnceAsync(CancellationToken.None);
        var first = Assert.Single(h.Sink.Received);
        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, first.GuestId, new Reply("Sí, tenemos. ¿Confirmo?"), "k1") { ChannelContext = first.ChannelContext }, CancellationToken.None);
        var ours = Assert.Single(h.Fake.SentMessages).Parsed;

        var answer = $"""
            From: =?UTF-8?Q?Luc=C3=ADa_G=C3=B3mez?= <lucia.gomez@gmail.com>
            To: Hotel Palermo Soho <reservas@hotelpalermosoho.com>
            Subject: Re: =?UTF-8?Q?Consulta_habitaci=C3=B3n_doble?=
            Message-ID: <CAJx9k2Qsecond@mail.gmail.com>
            In-Reply-To: {ours.MessageId}
            References: {ours.References} {ours.MessageId}
            Content-Type: text/plain; charset="UTF-8"
            Content-Transfer-Encoding: quoted-printable

            S=C3=AD, confirm=C3=A1 por favor.

            El s=C3=A1b, 21 nov 2026 a las 23:58, Hotel Palermo Soho (<
            reservas@hotelpalermosoho.com>) escribi=C3=B3:

            > S=C3=AD, tenemos. =C2=BFConfirmo?
            >
            """;
        h.Fake.AddInboxMessage(answer);

        await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(2, h.Sink.Received.Count);
        var second = h.Sink.Received[1];
        Assert.Equal("Sí, confirmá por favor.", second.Text);
        Assert.Equal(first.ChannelContext[GmailContextKeys.ThreadId], second.ChannelContext[GmailContextKeys.ThreadId]);
        Assert.Equal(first.ConversationId, second.ConversationId);
        Assert.Equal("Re: Consulta habitación doble", second.ChannelContext[GmailContextKeys.Subject]);
    }

    [Fact]
    public async Task Logs_mask_guest_addresses_and_never_contain_tokens_or_bodies()
    {
        var logs = new GmailCapturingLoggerProvider();
        await using var h = await GmailTestHarness.StartAsync(configureServices: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        h.Fake.AddInboxMessage(GmailThreadTests.GuestEmail);
        h.Fake.AddInboxMessage("From: Bad <bad@example.net>\r\nSubject: x\r\n\r\nSecreto del cuerpo\r\n");
        h.Sink.FailWith = null;

        await h.Poller.PollOnceAsync(CancellationToken.None);
        var inbound = h.Sink.Received[0];
        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, inbound.GuestId, new Reply("Hola"), "k") { ChannelContext = inbound.ChannelContext }, CancellationToken.None);
        h.Fake.RefreshToken = "revoked";
        h.Fake.RevokeAccessTokens();
        h.Fake.FailNext(401, pathContains: "/labels");
        await h.Services.GetRequiredService<GmailApiClient>().ListMessagesAsync("x", 1, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);

        var text = string.Join('\n', logs.Messages);
        Assert.Contains("***@gmail.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lucia.gomez@gmail.com", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("bad@example.net", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ya29", text, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Fake.ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Secreto", text, StringComparison.Ordinal);
        Assert.DoesNotContain("habitación doble del 12", text, StringComparison.Ordinal);
        Assert.Contains("invalid_grant", text, StringComparison.Ordinal);
    }
}
