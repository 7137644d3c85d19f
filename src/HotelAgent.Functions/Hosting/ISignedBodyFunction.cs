using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Functions.Definitions;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// An HTTP function whose POST body is authenticated by a signature header. A host that reads the body from a stream
/// (standalone Kestrel, the isolated worker) calls <see cref="ReadSignedBodyAsync"/> instead of buffering: a missing header
/// is refused before any body byte is read, reading stops at the size limit, and the signature is computed while reading.
/// The function still verifies the bytes it runs on (the custom-handler host hands bodies over already read).
/// </summary>
public interface ISignedBodyFunction : IHttpFunction
{
    string SignatureHeader { get; }

    Task<SignedBody> ReadSignedBodyAsync(Stream body, long? declaredLength, string? signatureHeader, CancellationToken cancellationToken);
}
