using System.Security.Cryptography;
using System.Text;

namespace HotelAgent.Core.Messaging;

/// <summary>
/// Derives the conversation (and orchestration instance) id from channel + guest with a keyed hash (HMAC-SHA256 with
/// <c>Security__ConversationIdKey</c>), so ids shown to staff tools and stored in task hubs carry no contact and cannot be
/// reversed by hashing candidate phone numbers. The key is process-wide: the host sets it once at start
/// (<see cref="UseKey"/>); without it the development key applies (Production refuses to start without a real key).
/// </summary>
public static class ConversationIds
{
    /// <summary>The key used when none is configured (Development, tests, tools). Production rejects it as a placeholder.</summary>
    public const string DevelopmentKey = "dev-conversation-id-key";

    private static byte[] _key = Encoding.UTF8.GetBytes(DevelopmentKey);

    /// <summary>Sets the process-wide key (called once at start from <c>Security:ConversationIdKey</c>).</summary>
    public static void UseKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        Volatile.Write(ref _key, Encoding.UTF8.GetBytes(key));
    }

    public static string For(Channel channel, string guestId) => Compute(Volatile.Read(ref _key), channel, guestId);

    /// <summary>The id under an explicit key (tests, tools that migrate ids).</summary>
    public static string Compute(ReadOnlySpan<byte> key, Channel channel, string guestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{channel}:{guestId}"), hash);
        return $"conv-{channel.ToString().ToLowerInvariant()}-{Convert.ToHexStringLower(hash[..10])}";
    }
}
