using System.Security.Cryptography;
using System.Text;

namespace HotelAgent.Core.Messaging;

/// <summary>
/// Derives the conversation (and orchestration instance) id from channel + guest.
/// The contact is hashed so instance ids shown in the Durable Functions Monitor carry no PII.
/// </summary>
public static class ConversationIds
{
    public static string For(Channel channel, string guestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channel}:{guestId}"));
        return $"conv-{channel.ToString().ToLowerInvariant()}-{Convert.ToHexStringLower(hash.AsSpan(0, 10))}";
    }
}
