using Azure.Core;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.Email;

/// <summary>Registration, validation and the OAuth2 sign-ins (XOAUTH2 checked by Dovecot against the fake Google tokeninfo).</summary>
[Collection(MailServersCollection.Name)]
public sealed class EmailRegistrationTests(MailServerFixture mail)
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IInboundMessageSink>(new RecordingSink()).AddHotelAgentEmail(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task Disabled_registers_no_sender_and_keeps_the_default_schedule()
    {
        await using var services = Build([]);
        Assert.Empty(services.GetServices<IChannelSender>());
        Assert.Equal("0 */2 * * * *", services.GetRequiredService<IOptions<EmailOptions>>().Value.PollSchedule);
    }

    [Theory]
    [InlineData("Password", "Email__Password is required")]
    [InlineData("Google", "Email__RefreshToken")]
    [InlineData("Microsoft", "Email__TenantId")]
    public async Task Enabled_without_credentials_fails_validation_naming_the_setting(string auth, string expected)
    {
        await using var services = Build(new() { ["Email:Enabled"] = "true", ["Email:Address"] = "reservas@hotel.com", ["Email:Auth"] = auth });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailOptions>>().Value);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_text_to_a_remote_server_is_refused_and_providers_get_their_hosts()
    {
        await using var plain = Build(new() { ["Email:Enabled"] = "true", ["Email:Address"] = "r@hotel.com", ["Email:Password"] = "x", ["Email:Imap:Host"] = "mail.hotel.com", ["Email:Imap:Security"] = "None", ["Email:Smtp:Host"] = "mail.hotel.com" });
        Assert.Contains("clear text", Assert.Throws<OptionsValidationException>(() => plain.GetRequiredService<IOptions<EmailOptions>>().Value).Message, StringComparison.Ordinal);

        await using var google = Build(new() { ["Email:Auth"] = "Google" });
        var o = google.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal(("imap.gmail.com", "smtp.gmail.com"), (o.Imap.Host, o.Smtp.Host));
        Assert.False(o.ShouldAppendToSent);
        Assert.Equal((993, MailKit.Security.SecureSocketOptions.SslOnConnect), EmailConnector.ImapEndpoint(o.Imap));
        Assert.Equal((587, MailKit.Security.SecureSocketOptions.StartTls), EmailConnector.SmtpEndpoint(o.Smtp));
    }

    [Fact]
    public async Task Enabled_registers_the_email_sender()
    {
        await using var h = EmailTestHarness.Start(mail);
        Assert.Same(h.Sender, Assert.Single(h.Services.GetServices<IChannelSender>()));
    }

    [Fact]
    public async Task Google_refresh_token_signs_in_with_xoauth2_and_a_revoked_grant_is_an_auth_error()
    {
        var hotel = mail.CreateMailbox();
        var refreshToken = mail.Google.AddRefreshToken(hotel.Address);
        await using var h = EmailTestHarness.Start(mail, s => GoogleSettings(s, refreshToken), hotel);
        await mail.DeliverAsync(hotel, "From: guest@guest.test\r\nSubject: hola\r\nMessage-ID: <g1@guest.test>\r\n\r\nHola\r\n");
        var tokensBefore = mail.Google.TokenRequests;

        Assert.Equal(1, (await h.Poller.PollAsync(CancellationToken.None)).Accepted);
        Assert.Equal(0, (await h.Poller.PollAsync(CancellationToken.None)).Fetched);
        Assert.Equal(tokensBefore + 1, mail.Google.TokenRequests); // cached between polls

        mail.Google.RevokeRefreshToken(refreshToken);
        h.Time.Advance(TimeSpan.FromHours(2)); // the cached token expired: a refresh is needed, and refused
        var refused = await h.Poller.PollAsync(CancellationToken.None);
        Assert.Equal(EmailErrorKind.Auth, refused.ErrorKind);
        Assert.Contains("invalid_grant", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Google_service_account_impersonates_the_mailbox()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var hotel = mail.CreateMailbox();
        var key = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "hotel-agent-test",
            ["private_key_id"] = "abc123",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "hotelagent@hotel-agent-test.iam.gserviceaccount.com",
            ["client_id"] = "1000000000000000000",
            ["token_uri"] = mail.Google.TokenEndpoint,
        });
        await using var h = EmailTestHarness.Start(mail, s => { s["Email:Auth"] = "Google"; s["Email:ServiceAccountJson"] = key; s["Email:Password"] = null; }, hotel);
        await mail.DeliverAsync(hotel, "From: guest@guest.test\r\nSubject: hola\r\nMessage-ID: <sa1@guest.test>\r\n\r\nHola\r\n");

        Assert.Equal(1, (await h.Poller.PollAsync(CancellationToken.None)).Accepted);
        var jwt = mail.Google.JwtAssertions.Last(a => a.Contains('.', StringComparison.Ordinal));
        var payload = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(Pad(jwt.Split('.')[1]))).RootElement;
        Assert.Equal(hotel.Address, payload.GetProperty("sub").GetString());
        Assert.Equal(EmailOptions.GoogleMailScope, payload.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Microsoft_app_token_for_exchange_online_is_used_as_xoauth2()
    {
        var hotel = mail.CreateMailbox();
        var credential = new FakeEntraCredential(mail, hotel.Address);
        await using var h = EmailTestHarness.Start(
            mail,
            s => { s["Email:Auth"] = "Microsoft"; s["Email:TenantId"] = "contoso.onmicrosoft.com"; s["Email:ClientId"] = "00000000-0000-0000-0000-000000000001"; s["Email:Password"] = null; },
            hotel,
            configureServices: s => s.AddKeyedSingleton<IEmailAccessTokenSource>(EmailAuthMode.Microsoft, new MicrosoftAccessTokenSource(credential)));
        var guest = mail.CreateMailbox(MailServerFixture.GuestDomain);
        await mail.DeliverAsync(hotel, $"From: {guest.Address}\r\nSubject: hola\r\nMessage-ID: <ms1@guest.test>\r\n\r\nHola\r\n");

        var inbound = await h.PollOneAsync();

        Assert.Equal([EmailOptions.MicrosoftMailScope], credential.Scopes);
        Assert.False(h.Options.ShouldAppendToSent);
        Assert.Equal(guest.Address, inbound.GuestId);
    }

    private void GoogleSettings(Dictionary<string, string?> s, string refreshToken)
    {
        s["Email:TokenEndpoint"] = mail.Google.TokenEndpoint; // the fake, never the real Google
        s["Email:Auth"] = "Google";
        s["Email:Password"] = null;
        s["Email:ClientId"] = FakeGoogleOAuth.ClientId;
        s["Email:ClientSecret"] = FakeGoogleOAuth.ClientSecret;
        s["Email:RefreshToken"] = refreshToken;
    }

    private static string Pad(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return b + new string('=', (4 - (b.Length % 4)) % 4);
    }

    /// <summary>Stands in for Entra ID: issues a token the test IMAP server accepts for the mailbox, and records the scopes asked for.</summary>
    private sealed class FakeEntraCredential(MailServerFixture mail, string mailbox) : TokenCredential
    {
        public IReadOnlyList<string> Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            return new AccessToken(mail.Google.IssueAccessToken(mailbox, string.Join(' ', requestContext.Scopes)), DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
