using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Channels.Gmail;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.Gmail;

public class GmailRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IInboundMessageSink>(new GmailRecordingSink())
            .AddHotelAgentGmail(configuration)
            .BuildServiceProvider();
    }

    [Fact]
    public async Task Disabled_registers_no_sender_and_the_poller_does_nothing()
    {
        await using var services = Build(new Dictionary<string, string?>());

        Assert.Empty(services.GetServices<IChannelSender>());
        var result = await services.GetRequiredService<GmailInboxPoller>().PollOnceAsync(CancellationToken.None);
        Assert.Same(GmailPollResult.Disabled, result);
        Assert.Equal("0 */2 * * * *", services.GetRequiredService<IOptions<GmailOptions>>().Value.PollSchedule);
    }

    [Fact]
    public async Task Enabled_without_credentials_fails_validation()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Gmail:Enabled"] = "true", ["Gmail:UserEmail"] = "reservas@hotel.com" });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GmailOptions>>().Value);
        Assert.Contains("Gmail__RefreshToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_registers_the_email_sender()
    {
        await using var h = await GmailTestHarness.StartAsync();
        var sender = Assert.Single(h.Services.GetServices<IChannelSender>());
        Assert.Equal(Channel.Email, sender.Channel);
        Assert.Same(h.Sender, sender);
    }

    [Fact]
    public async Task Service_account_with_domain_wide_delegation_impersonates_the_inbox()
    {
        using var rsa = RSA.Create(2048);
        var fake = await FakeGmailApi.StartAsync();
        var key = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "hotel-agent-test",
            ["private_key_id"] = "abc123",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "hotelagent@hotel-agent-test.iam.gserviceaccount.com",
            ["client_id"] = "1000000000000000000",
            ["token_uri"] = fake.TokenEndpoint,
        });
        await using var h = await GmailTestHarness.StartAsync(
            s =>
            {
                s["Gmail:ClientId"] = null;
                s["Gmail:ClientSecret"] = null;
                s["Gmail:RefreshToken"] = null;
                s["Gmail:ServiceAccountJson"] = key;
            },
            fake);
        fake.AddInboxMessage("From: guest@example.com\r\nSubject: hola\r\n\r\nHola\r\n");

        var result = await h.Poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        var jwt = Assert.Single(fake.JwtAssertions);
        var payload = JsonDocument.Parse(Base64UrlDecode(jwt.Split('.')[1])).RootElement;
        Assert.Equal(fake.UserEmail, payload.GetProperty("sub").GetString());
        Assert.Equal("hotelagent@hotel-agent-test.iam.gserviceaccount.com", payload.GetProperty("iss").GetString());
        Assert.Equal(GmailOptions.GmailModifyScope, payload.GetProperty("scope").GetString());
    }

    private static string Base64UrlDecode(string s) =>
        Encoding.UTF8.GetString(HotelAgent.Core.Channels.Gmail.Mime.MimeEncodings.FromBase64Url(s));
}
