namespace HotelAgent.Core.Channels.Gmail.Mime;

/// <summary>One header field, unfolded, with RFC 2047 encoded-words still in place (<see cref="RawValue"/>).</summary>
public sealed record MimeHeader(string Name, string RawValue)
{
    /// <summary>The value with encoded-words decoded.</summary>
    public string Value => MimeEncodings.DecodeHeaderValue(RawValue);
}

/// <summary>A MIME entity: the message itself or one body part (possibly multipart with children).</summary>
public sealed class MimeEntity
{
    public required IReadOnlyList<MimeHeader> Headers { get; init; }

    /// <summary>Lower-case <c>type/subtype</c>; <c>text/plain</c> when absent (RFC 2045 §5.2).</summary>
    public required string ContentType { get; init; }

    /// <summary>Content-Type parameters, names lower-case (charset, boundary, name, ...).</summary>
    public required IReadOnlyDictionary<string, string> ContentTypeParameters { get; init; }

    /// <summary>Lower-case disposition type (<c>inline</c>, <c>attachment</c>) or null.</summary>
    public string? Disposition { get; init; }

    /// <summary>File name from Content-Disposition <c>filename</c> or Content-Type <c>name</c>.</summary>
    public string? FileName { get; init; }

    /// <summary>The body after Content-Transfer-Encoding decoding (empty for multiparts).</summary>
    public byte[] Content { get; init; } = [];

    public IReadOnlyList<MimeEntity> Children { get; init; } = [];

    public bool IsMultipart => ContentType.StartsWith("multipart/", StringComparison.Ordinal);

    public string? Charset => ContentTypeParameters.TryGetValue("charset", out var c) ? c : null;

    public bool IsAttachment =>
        Disposition == "attachment" || (FileName is not null && !ContentType.StartsWith("text/", StringComparison.Ordinal));

    /// <summary>First header with this name (case-insensitive), decoded; null if absent.</summary>
    public string? GetHeader(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>First header with this name, raw (no encoded-word decoding); null if absent.</summary>
    public string? GetRawHeader(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.RawValue;

    /// <summary>The text content decoded with the part's charset.</summary>
    public string GetText() => MimeEncodings.DecodeText(Content, Charset);

    /// <summary>Depth-first enumeration of this entity and all descendants.</summary>
    public IEnumerable<MimeEntity> Descendants()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var d in child.Descendants())
            {
                yield return d;
            }
        }
    }
}
