using System.Security.Cryptography;
using System.Text;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// Verifies Meta's <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c> header: HMAC-SHA256 of the raw request bytes
/// keyed with the app secret, compared in constant time.
/// </summary>
public static class WhatsAppSignature
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";
    private const int HashBytes = 32;

    /// <summary>True only when <paramref name="signatureHeader"/> is <c>sha256=</c> + the hex HMAC of <paramref name="rawBody"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> rawBody, string? signatureHeader, string appSecret)
    {
        if (string.IsNullOrEmpty(appSecret) || string.IsNullOrWhiteSpace(signatureHeader))
        {
            return false;
        }

        var header = signatureHeader.AsSpan().Trim();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = header[Prefix.Length..];
        if (hex.Length != HashBytes * 2)
        {
            return false;
        }

        Span<byte> provided = stackalloc byte[HashBytes];
        if (Convert.FromHexString(hex, provided, out _, out var written) != System.Buffers.OperationStatus.Done || written != HashBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody, expected);
        return CryptographicOperations.FixedTimeEquals(expected, provided);
    }

    /// <summary>The header value Meta would send for <paramref name="body"/>: <c>sha256=&lt;lower-case hex&gt;</c>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, string appSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        Span<byte> hash = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }
}
