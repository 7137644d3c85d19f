using HotelAgent.Core.Channels.WhatsApp;

namespace HotelAgent.Tests.Channels.WhatsApp;

public class WhatsAppVerificationTests
{
    [Fact]
    public void Subscribe_with_matching_token_echoes_challenge()
    {
        var (ok, challenge) = WhatsAppVerification.Verify("subscribe", "my-verify-token", "1158201444", "my-verify-token");
        Assert.True(ok);
        Assert.Equal("1158201444", challenge);
    }

    [Theory]
    [InlineData("subscribe", "wrong-token", "123")]
    [InlineData("subscribe", "my-verify-token-longer", "123")]
    [InlineData("subscribe", "MY-VERIFY-TOKEN", "123")]
    [InlineData("unsubscribe", "my-verify-token", "123")]
    [InlineData(null, "my-verify-token", "123")]
    [InlineData("subscribe", null, "123")]
    [InlineData("subscribe", "", "123")]
    [InlineData("subscribe", "my-verify-token", null)]
    [InlineData("subscribe", "my-verify-token", "")]
    public void Anything_else_is_refused(string? mode, string? token, string? challenge)
    {
        var (ok, echoed) = WhatsAppVerification.Verify(mode, token, challenge, "my-verify-token");
        Assert.False(ok);
        Assert.Null(echoed);
    }

    [Fact]
    public void Empty_configured_token_refuses_everything()
    {
        Assert.False(WhatsAppVerification.Verify("subscribe", string.Empty, "1", string.Empty).Ok);
    }
}
