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

    /// <summary>
    /// Reads a webhook body from <paramref name="body"/> and verifies it while reading: a missing or malformed header is
    /// refused before any byte is read, a body over <paramref name="maxBytes"/> stops reading at the limit, and the HMAC is
    /// computed chunk by chunk. Only a verified body is returned.
    /// </summary>
    public static async Task<SignedBody> ReadVerifiedAsync(
        Stream body, long? declaredLength, string? signatureHeader, string appSecret, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(appSecret) || !TryParseHeader(signatureHeader, out var provided))
        {
            return new SignedBody(SignedBodyStatus.MissingSignature, []);
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(appSecret));
        var read = await Security.BoundedBodyReader.ReadAsync(body, declaredLength, maxBytes, hmac, cancellationToken).ConfigureAwait(false);
        if (read.Status == Security.BodyReadStatus.TooLarge)
        {
            return new SignedBody(SignedBodyStatus.TooLarge, []);
        }

        return CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), provided)
            ? new SignedBody(SignedBodyStatus.Verified, read.Bytes)
            : new SignedBody(SignedBodyStatus.Mismatch, []);
    }

    private static bool TryParseHeader(string? signatureHeader, out byte[] provided)
    {
        provided = [];
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return false;
        }

        var header = signatureHeader.AsSpan().Trim();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length - Prefix.Length != HashBytes * 2)
        {
            return false;
        }

        var bytes = new byte[HashBytes];
        if (Convert.FromHexString(header[Prefix.Length..], bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != HashBytes)
        {
            return false;
        }

        provided = bytes;
        return true;
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

public enum SignedBodyStatus
{
    Verified,

    /// <summary>No <c>X-Hub-Signature-256</c>, or not <c>sha256=</c> + 64 hex digits (answer 401; the body was not read).</summary>
    MissingSignature,

    /// <summary>The HMAC does not match the body (answer 401).</summary>
    Mismatch,

    /// <summary>Over the size limit (answer 413; reading stopped at the limit).</summary>
    TooLarge,
}

/// <summary>A webhook body read and verified while streaming; <see cref="Body"/> is empty unless verified.</summary>
public sealed record SignedBody(SignedBodyStatus Status, byte[] Body);
