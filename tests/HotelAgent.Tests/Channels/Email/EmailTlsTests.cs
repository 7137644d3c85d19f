using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.Email;

/// <summary>
/// IMAP and SMTP over TLS against the test run's Dovecot and SMTP server, which present a self-signed certificate the
/// system does not trust: it is accepted only when named as the private CA (<c>Email__CaCertificatePath</c>).
/// </summary>
[Collection(MailServersCollection.Name)]
public sealed class EmailTlsTests(MailServerFixture mail)
{
    private static string GuestMail(TestMailbox guest) =>
        $"From: {guest.Address}\r\nTo: reservas@hotel.test\r\nSubject: hola\r\nMessage-ID: <{Guid.NewGuid():N}@guest.test>\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n\r\n¿Tienen cochera?\r\n";

    private Action<Dictionary<string, string?>> Tls(string protocol, int port, SecureSocketOptions security, bool trustCa = true) => s =>
    {
        s[$"Email:{protocol}:Host"] = "127.0.0.1";
        s[$"Email:{protocol}:Port"] = port.ToString(CultureInfo.InvariantCulture);
        s[$"Email:{protocol}:Security"] = security.ToString();
        s["Email:CaCertificatePath"] = trustCa ? mail.CertificatePath : null;
    };

    [Theory]
    [InlineData(SecureSocketOptions.SslOnConnect)]
    [InlineData(SecureSocketOptions.StartTls)]
    public async Task Imap_over_tls_polls_the_mailbox_when_the_private_ca_is_trusted(SecureSocketOptions security)
    {
        var port = security == SecureSocketOptions.SslOnConnect ? mail.ImapsPort : mail.ImapPort;
        await using var h = EmailTestHarness.Start(mail, Tls("Imap", port, security));
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await mail.DeliverAsync(h.Hotel, GuestMail(guest));

        using (var imap = await h.Services.GetRequiredService<EmailConnector>().ConnectImapAsync(CancellationToken.None))
        {
            Assert.True(imap.IsSecure, "the IMAP session is not encrypted");
            Assert.True(imap.IsAuthenticated);
            await imap.DisconnectAsync(true);
        }

        var inbound = await h.PollOneAsync();
        Assert.Equal(guest.Address, inbound.GuestId);
        Assert.Equal("¿Tienen cochera?", inbound.Text);
        Assert.True(Assert.Single(await mail.ReadAsync(h.Hotel)).Seen);
    }

    [Theory]
    [InlineData(SecureSocketOptions.SslOnConnect)]
    [InlineData(SecureSocketOptions.StartTls)]
    public async Task Smtp_over_tls_sends_the_reply_when_the_private_ca_is_trusted(SecureSocketOptions security)
    {
        var port = security == SecureSocketOptions.SslOnConnect ? mail.SmtpsPort : mail.SubmissionPort;
        await using var h = EmailTestHarness.Start(mail, s =>
        {
            Tls("Smtp", port, security)(s);
            s["Email:AppendToSent"] = "false";
        });
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);

        await h.Sender.SendAsync(new OutboundMessage(Channel.Email, guest.Address, new Reply("¡Hola! Sí, tenemos cochera."), "tls-" + security), CancellationToken.None);

        var delivery = Assert.Single(mail.Deliveries, d => d.Recipients.Contains(guest.Address));
        Assert.True(delivery.Secure, "the SMTP session was not encrypted");
        Assert.Equal(h.Hotel.Address, delivery.AuthenticatedUser);
        Assert.Contains("tenemos cochera", Assert.Single(await mail.WaitForMailAsync(guest)).Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_the_system_does_not_trust_is_refused_and_nothing_is_touched()
    {
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await using var h = EmailTestHarness.Start(mail, s =>
        {
            Tls("Imap", mail.ImapsPort, SecureSocketOptions.SslOnConnect, trustCa: false)(s);
            Tls("Smtp", mail.SubmissionPort, SecureSocketOptions.StartTls, trustCa: false)(s);
        });
        await mail.DeliverAsync(h.Hotel, GuestMail(guest));

        var poll = await h.Poller.PollAsync(CancellationToken.None);
        Assert.Equal(0, poll.Fetched);
        Assert.Contains("certificate", poll.Error, StringComparison.Ordinal);
        Assert.Empty(h.Sink.Received);
        Assert.False(Assert.Single(await mail.ReadAsync(h.Hotel)).Seen);

        var refused = await Assert.ThrowsAsync<EmailException>(() =>
            h.Sender.SendAsync(new OutboundMessage(Channel.Email, guest.Address, new Reply("Hola"), "untrusted"), CancellationToken.None));
        Assert.Contains("certificate", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(mail.Deliveries, d => d.Recipients.Contains(guest.Address));
    }

    [Fact]
    public async Task Another_private_ca_does_not_vouch_for_the_server()
    {
        var otherCa = Path.Combine(mail.Directory, "other-ca-" + Guid.NewGuid().ToString("N")[..8] + ".pem");
        await File.WriteAllTextAsync(otherCa, SelfSigned("CN=localhost").ExportCertificatePem());
        await using var h = EmailTestHarness.Start(mail, s =>
        {
            Tls("Imap", mail.ImapsPort, SecureSocketOptions.SslOnConnect)(s);
            s["Email:CaCertificatePath"] = otherCa;
        });

        var poll = await h.Poller.PollAsync(CancellationToken.None);

        Assert.Contains("certificate", poll.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trusted_ca_never_excuses_a_certificate_for_another_host()
    {
        using var ca = SelfSigned("CN=mail.hotel.example");
        var authorities = new X509Certificate2Collection(ca);

        // The chain is fine (the CA is trusted) but the platform reported a host name mismatch.
        Assert.True(MailServerCertificates.IsTrusted(authorities, ca, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(MailServerCertificates.IsTrusted(authorities, ca, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(MailServerCertificates.IsTrusted(authorities, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.False(MailServerCertificates.IsTrusted([], ca, null, SslPolicyErrors.RemoteCertificateChainErrors));

        using var expired = SelfSigned("CN=mail.hotel.example", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        Assert.False(MailServerCertificates.IsTrusted(new X509Certificate2Collection(expired), expired, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Without_a_private_ca_the_platform_validation_is_left_alone()
    {
        Assert.Null(MailServerCertificates.CallbackFor(new EmailOptions()));
        Assert.NotNull(MailServerCertificates.CallbackFor(new EmailOptions { CaCertificatePath = mail.CertificatePath }));
    }

    [Theory]
    [InlineData("CaCertificatePath", "/nonexistent/ca.pem", "Email__CaCertificatePath cannot be read")]
    [InlineData("CaCertificate", "not a certificate", "Email__CaCertificate holds no PEM certificate")]
    public async Task An_unreadable_private_ca_fails_validation_at_start_naming_the_setting(string key, string value, string expected)
    {
        var settings = mail.EmailSettings(mail.CreateMailbox());
        settings["Email:" + key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton<IInboundMessageSink>(new RecordingSink()).AddHotelAgentEmail(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailOptions>>().Value);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned(string subject, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(from ?? DateTimeOffset.UtcNow.AddDays(-1), to ?? DateTimeOffset.UtcNow.AddDays(1));
    }
}
