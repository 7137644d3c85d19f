using System.Text;
using HotelAgent.Core.Channels.WhatsApp;

namespace HotelAgent.Tests.Channels.WhatsApp;

public class WhatsAppSignatureTests
{
    private const string Secret = "app-secret-123";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(Payloads.Read("text.json"));

    [Fact]
    public void Valid_signature_is_accepted()
    {
        var header = WhatsAppSignature.Compute(Body, Secret);
        Assert.StartsWith("sha256=", header, StringComparison.Ordinal);
        Assert.Equal(7 + 64, header.Length);
        Assert.True(WhatsAppSignature.IsValid(Body, header, Secret));
    }

    [Fact]
    public void Compute_matches_an_independent_hmac()
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("It's a Secret to Everybody"));
        var expected = "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes("Hello, World!")));
        Assert.Equal(expected, WhatsAppSignature.Compute(Encoding.UTF8.GetBytes("Hello, World!"), "It's a Secret to Everybody"));
        // Known answer from GitHub's webhook documentation (same HMAC-SHA256 scheme).
        Assert.Equal("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", expected);
    }

    [Fact]
    public void Uppercase_hex_is_accepted()
    {
        var header = "sha256=" + WhatsAppSignature.Compute(Body, Secret)["sha256=".Length..].ToUpperInvariant();
        Assert.True(WhatsAppSignature.IsValid(Body, header, Secret));
    }

    [Fact]
    public void Forged_signature_is_rejected()
    {
        var forged = "sha256=" + new string('a', 64);
        Assert.False(WhatsAppSignature.IsValid(Body, forged, Secret));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("sha256=")]
    [InlineData("sha256=zz")]
    [InlineData("sha256=not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    public void Missing_or_garbled_header_is_rejected(string? header) =>
        Assert.False(WhatsAppSignature.IsValid(Body, header, Secret));

    [Fact]
    public void Header_without_prefix_is_rejected()
    {
        var bareHex = WhatsAppSignature.Compute(Body, Secret)["sha256=".Length..];
        Assert.False(WhatsAppSignature.IsValid(Body, bareHex, Secret));
    }

    [Fact]
    public void Wrong_secret_is_rejected()
    {
        var header = WhatsAppSignature.Compute(Body, "another-secret");
        Assert.False(WhatsAppSignature.IsValid(Body, header, Secret));
    }

    [Fact]
    public void Tampered_body_is_rejected()
    {
        var header = WhatsAppSignature.Compute(Body, Secret);
        var tampered = (byte[])Body.Clone();
        tampered[^5] ^= 0x01;
        Assert.False(WhatsAppSignature.IsValid(tampered, header, Secret));
    }

    [Fact]
    public void Signature_is_over_raw_bytes_not_reformatted_json()
    {
        var header = WhatsAppSignature.Compute(Body, Secret);
        var reformatted = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(Body).RootElement));
        Assert.False(WhatsAppSignature.IsValid(reformatted, header, Secret));
    }

    [Fact]
    public void Empty_secret_never_validates()
    {
        var header = WhatsAppSignature.Compute(Body, Secret);
        Assert.False(WhatsAppSignature.IsValid(Body, header, string.Empty));
    }
}
