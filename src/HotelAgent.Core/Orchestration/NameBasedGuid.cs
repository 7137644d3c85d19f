using System.Security.Cryptography;
using System.Text;

namespace HotelAgent.Core.Orchestration;

/// <summary>RFC 4122 name-based UUID, version 5 (SHA-1).</summary>
internal static class NameBasedGuid
{
    public static Guid Create(Guid namespaceId, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(buffer, bigEndian: true, out _);
        nameBytes.CopyTo(buffer, 16);
#pragma warning disable CA5350 // SHA-1 is mandated by RFC 4122 version 5; not used for security.
        var hash = SHA1.HashData(buffer);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
