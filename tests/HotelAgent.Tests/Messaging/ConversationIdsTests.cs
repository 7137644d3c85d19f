using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Configuration;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Configuration;

namespace HotelAgent.Tests.Messaging;

public sealed class ConversationIdsTests
{
    [Fact]
    public void Ids_are_a_keyed_hash_that_an_unsalted_hash_of_the_number_does_not_reproduce()
    {
        var keyed = ConversationIds.Compute("key-one"u8, Channel.WhatsApp, "+5491166660001");
        var unsalted = "conv-whatsapp-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("WhatsApp:+5491166660001")).AsSpan(0, 10));

        Assert.StartsWith("conv-whatsapp-", keyed, StringComparison.Ordinal);
        Assert.NotEqual(unsalted, keyed);
        Assert.NotEqual(keyed, ConversationIds.Compute("key-two"u8, Channel.WhatsApp, "+5491166660001"));
        Assert.Equal(keyed, ConversationIds.Compute("key-one"u8, Channel.WhatsApp, "+5491166660001"));
        Assert.DoesNotContain("6666", keyed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_process_key_is_the_configured_one()
    {
        Assert.Equal(
            ConversationIds.Compute(Encoding.UTF8.GetBytes(Fakes.Hosting.TestSecrets.ConversationIdKey), Channel.Email, "ana@example.com"),
            ConversationIds.For(Channel.Email, "ana@example.com"));
    }

    [Fact]
    public void Production_refuses_the_development_key_and_a_missing_one()
    {
        var settings = new Dictionary<string, string?>
        {
            ["WhatsApp:AccessToken"] = "EAAG-real", ["WhatsApp:AppSecret"] = "real-secret", ["WhatsApp:VerifyToken"] = "real-token",
            ["WhatsApp:PhoneNumberId"] = "1065", ["Staff:ApiKey"] = "real-staff",
        };
        Assert.Contains("Security__ConversationIdKey", ProductionSecrets.FindProblems(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));

        settings["Security:ConversationIdKey"] = ConversationIds.DevelopmentKey;
        Assert.Contains("Security__ConversationIdKey", ProductionSecrets.FindProblems(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));

        settings["Security:ConversationIdKey"] = "9f6c1b2e-real-random-key";
        Assert.Empty(ProductionSecrets.FindProblems(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
    }
}
