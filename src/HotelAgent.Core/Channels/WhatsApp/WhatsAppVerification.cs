using System.Security.Cryptography;
using System.Text;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>Meta's webhook subscription handshake (<c>GET ?hub.mode=subscribe&amp;hub.verify_token=…&amp;hub.challenge=…</c>).</summary>
public static class WhatsAppVerification
{
    /// <summary>Ok with the challenge to echo as plain text, or not ok (answer 403).</summary>
    public static (bool Ok, string? Challenge) Verify(string? mode, string? token, string? challenge, string verifyToken)
    {
        if (!string.Equals(mode, "subscribe", StringComparison.Ordinal)
            || string.IsNullOrEmpty(token)
            || string.IsNullOrEmpty(verifyToken)
            || string.IsNullOrEmpty(challenge))
        {
            return (false, null);
        }

        var same = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(token)),
            SHA256.HashData(Encoding.UTF8.GetBytes(verifyToken)));
        return same ? (true, challenge) : (false, null);
    }
}
