using System.Buffers;
using System.Security.Cryptography;

namespace HotelAgent.Core.Security;

public enum BodyReadStatus
{
    Ok,

    /// <summary>Declared or actual length over the limit: nothing past the limit was read (answer 413).</summary>
    TooLarge,
}

/// <summary>A request body read up to a limit.</summary>
public sealed record BoundedBody(BodyReadStatus Status, byte[] Bytes)
{
    public static BoundedBody TooLarge { get; } = new(BodyReadStatus.TooLarge, []);
}

/// <summary>
/// Reads a request body without ever holding more than the limit: a declared Content-Length over it is refused before
/// reading, and reading stops at the first byte past it. Chunks can be fed to an <see cref="IncrementalHash"/> as they
/// arrive (signatures verified while streaming). Hand-written because ASP.NET Core's MaxRequestBodySize throws from deep in
/// the read (and does not exist under the Functions host); this works on any stream.
/// </summary>
public static class BoundedBodyReader
{
    private const int ChunkBytes = 16 * 1024;

    public static async Task<BoundedBody> ReadAsync(Stream body, long? declaredLength, int maxBytes, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (declaredLength > maxBytes)
        {
            return BoundedBody.TooLarge;
        }

        using var collected = new MemoryStream(declaredLength is { } n ? (int)n : Math.Min(maxBytes, ChunkBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (true)
            {
                var room = maxBytes - (int)collected.Length;
                var read = await body.ReadAsync(chunk.AsMemory(0, Math.Min(ChunkBytes, room + 1)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new BoundedBody(BodyReadStatus.Ok, collected.ToArray());
                }

                if (read > room)
                {
                    return BoundedBody.TooLarge;
                }

                hash?.AppendData(chunk, 0, read);
                collected.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
