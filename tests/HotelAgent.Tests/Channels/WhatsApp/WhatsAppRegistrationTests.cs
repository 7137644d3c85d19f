using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.WhatsApp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.WhatsApp;

public class WhatsAppRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddHotelAgentWhatsApp(configuration);
        services.AddHotelAgentWhatsApp(configuration); // idempotent enough to be called twice
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Missing_secrets_fail_validation_naming_the_setting()
    {
        using var provider = Build(new Dictionary<string, string?> { ["WhatsApp:AppSecret"] = "x", ["WhatsApp:VerifyToken"] = "y", ["WhatsApp:PhoneNumberId"] = "1" });
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WhatsAppOptions>>().Value);
        Assert.Contains("AccessToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_real_graph_api_and_documented_limits()
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["WhatsApp:AccessToken"] = "t",
            ["WhatsApp:AppSecret"] = "s",
            ["WhatsApp:VerifyToken"] = "v",
            ["WhatsApp:PhoneNumberId"] = "1",
        });
        var options = provider.GetRequiredService<IOptions<WhatsAppOptions>>().Value;
        Assert.Equal("https://graph.facebook.com", options.GraphBaseUrl);
        Assert.Matches(@"^v\d+\.\d+$", options.GraphVersion);
        Assert.Equal(16 * 1024 * 1024, options.MaxMediaBytes);
        Assert.Equal(TimeSpan.FromHours(24), options.CustomerServiceWindow);
        var rate = provider.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        Assert.Equal(8, rate.Burst);
        Assert.Equal(20, rate.PerMinute);
        Assert.Single(provider.GetServices<HotelAgent.Core.Messaging.IChannelSender>());
    }

    [Theory]
    [InlineData("WhatsApp:GraphVersion", "23.0")]
    [InlineData("WhatsApp:GraphBaseUrl", "not a url")]
    [InlineData("RateLimit:Burst", "0")]
    public void Invalid_values_are_rejected(string key, string value)
    {
        using var provider = Build(new Dictionary<string, string?>
        {
            ["WhatsApp:AccessToken"] = "t",
            ["WhatsApp:AppSecret"] = "s",
            ["WhatsApp:VerifyToken"] = "v",
            ["WhatsApp:PhoneNumberId"] = "1",
            [key] = value,
        });
        Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<WhatsAppOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        });
    }
}
