using System.Text;

namespace HotelAgent.Core.Channels.Gmail.Mime;

/// <summary>The parts of an email HotelAgent needs, extracted from raw RFC 822 bytes.</summary>
public sealed class ParsedEmail
{
    public required MimeEntity Root { get; init; }

    public EmailAddress? From { get; init; }

    public string Subject { get; init; } = string.Empty;

    /// <summary>The Message-ID header including angle brackets (e.g. <c>&lt;abc@mail.gmail.com&gt;</c>), or null.</summary>
    public string? MessageId { get; init; }

    public string? InReplyTo { get; init; }

    /// <summary>The References header, whitespace-normalized (ids separated by one space), or null.</summary>
    public string? References { get; init; }

    /// <summary>The selected body as text before quote/signature stripping (HTML already converted).</summary>
    public string BodyText { get; init; } = string.Empty;

    /// <summary>True when the body came from an HTML part (no usable text/plain).</summary>
    public bool BodyFromHtml { get; init; }

    /// <summary>The guest's own words: <see cref="BodyText"/> without quoted replies and signatures.</summary>
    public string CleanText { get; init; } = string.Empty;

    /// <summary>Parts that are attachments (not the selected body).</summary>
    public IReadOnlyList<MimeEntity> Attachments { get; init; } = [];

    public string? GetHeader(string name) => Root.GetHeader(name);
}

/// <summary>
/// A compact RFC 822 / 2045-2047 parser: unfolds headers, decodes encoded-words, walks multipart trees,
/// undoes quoted-printable and base64, decodes charsets and picks the best body (text/plain, else HTML → text).
/// </summary>
public static class MimeMessageParser
{
    private const int MaxDepth = 16;

    public static ParsedEmail Parse(string rfc822) => Parse(Encoding.UTF8.GetBytes(rfc822));

    public static ParsedEmail Parse(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var root = ParseEntity(MimeEncodings.Latin1.GetString(raw), 0);
        var body = SelectBody(root);
        var text = body is null ? string.Empty : body.Value.Text;
        var fromHtml = body?.FromHtml ?? false;

        return new ParsedEmail
        {
            Root = root,
            From = EmailAddress.Parse(root.GetHeader("From")),
            Subject = Collapse(root.GetHeader("Subject") ?? string.Empty),
            MessageId = NormalizeIdList(root.GetRawHeader("Message-ID")),
            InReplyTo = NormalizeIdList(root.GetRawHeader("In-Reply-To")),
            References = NormalizeIdList(root.GetRawHeader("References")),
            BodyText = text,
            BodyFromHtml = fromHtml,
            CleanText = ReplyCleaner.Clean(text),
            Attachments = [.. root.Descendants().Where(e => !e.IsMultipart && e.IsAttachment)],
        };
    }

    /// <summary>Parses one entity from a Latin-1 string (each char = one raw byte).</summary>
    internal static MimeEntity ParseEntity(string latin1, int depth)
    {
        var (headerBlock, body) = SplitHeaderAndBody(latin1);
        var headers = ParseHeaders(headerBlock);
        string? Get(string name) => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.RawValue;

        var (contentType, parameters) = ParseStructuredHeader(Get("Content-Type"));
        if (string.IsNullOrEmpty(contentType) || !contentType.Contains('/', StringComparison.Ordinal))
        {
            contentType = "text/plain";
        }

        var (disposition, dispositionParameters) = ParseStructuredHeader(Get("Content-Disposition"));
        var fileName = dispositionParameters.GetValueOrDefault("filename") ?? parameters.GetValueOrDefault("name");
        if (fileName is not null)
        {
            fileName = MimeEncodings.DecodeHeaderValue(fileName);
        }

        if (contentType.StartsWith("multipart/", StringComparison.Ordinal)
            && parameters.TryGetValue("boundary", out var boundary)
            && !string.IsNullOrEmpty(boundary)
            && depth < MaxDepth)
        {
            var children = SplitMultipart(body, boundary).Select(p => ParseEntity(p, depth + 1)).ToList();
            return new MimeEntity
            {
                Headers = headers,
                ContentType = contentType,
                ContentTypeParameters = parameters,
                Disposition = string.IsNullOrEmpty(disposition) ? null : disposition,
                FileName = fileName,
                Children = children,
            };
        }

        var transferEncoding = (Get("Content-Transfer-Encoding") ?? string.Empty).Trim().ToLowerInvariant();
        var content = transferEncoding switch
        {
            "base64" => MimeEncodings.DecodeBase64Lenient(body),
            "quoted-printable" => MimeEncodings.DecodeQuotedPrintable(body),
            _ => MimeEncodings.Latin1.GetBytes(body),
        };

        return new MimeEntity
        {
            Headers = headers,
            ContentType = contentType,
            ContentTypeParameters = parameters,
            Disposition = string.IsNullOrEmpty(disposition) ? null : disposition,
            FileName = fileName,
            Content = content,
        };
    }

    private static (string Headers, string Body) SplitHeaderAndBody(string s)
    {
        // The header section ends at the first empty line (CRLF CRLF, tolerating bare LF).
        var pos = 0;
        while (pos < s.Length)
        {
            var lineEnd = s.IndexOf('\n', pos);
            if (lineEnd < 0)
            {
                return (s, string.Empty);
            }

            var line = s.AsSpan(pos, lineEnd - pos);
            if (line.Length == 0 || (line.Length == 1 && line[0] == '\r'))
            {
                return (s[..pos], s[(lineEnd + 1)..]);
            }

            pos = lineEnd + 1;
        }

        return (s, string.Empty);
    }

    private static List<MimeHeader> ParseHeaders(string latin1Block)
    {
        // RFC 6532 allows raw UTF-8 in headers; anything else 8-bit is read as windows-1252.
        var block = latin1Block;
        if (block.Any(c => c > 0x7F))
        {
            var bytes = MimeEncodings.Latin1.GetBytes(block);
            block = MimeEncodings.TryStrictUtf8(bytes) ?? MimeEncodings.GetEncoding("windows-1252").GetString(bytes);
        }

        var headers = new List<MimeHeader>();
        string? name = null;
        var value = new StringBuilder();
        foreach (var rawLine in block.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if ((line[0] == ' ' || line[0] == '\t') && name is not null)
            {
                // Unfolding: drop the line break, keep the whitespace (RFC 5322 §2.2.3).
                value.Append(line);
                continue;
            }

            if (name is not null)
            {
                headers.Add(new MimeHeader(name, value.ToString().Trim()));
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                name = null; // not a header line (e.g. mbox "From " separator): ignored
                value.Clear();
                continue;
            }

            name = line[..colon].Trim();
            value.Clear().Append(line, colon + 1, line.Length - colon - 1);
        }

        if (name is not null)
        {
            headers.Add(new MimeHeader(name, value.ToString().Trim()));
        }

        return headers;
    }

    /// <summary>Parses <c>value; p1=v1; p2="v 2"</c> with RFC 2231 extended and continued parameters.</summary>
    internal static (string Value, Dictionary<string, string> Parameters) ParseStructuredHeader(string? header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header))
        {
            return (string.Empty, parameters);
        }

        var pieces = SplitOutsideQuotes(header, ';');
        var value = pieces[0].Trim().ToLowerInvariant();
        var continued = new SortedDictionary<string, SortedDictionary<int, (string Value, bool Extended)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var piece in pieces.Skip(1))
        {
            var eq = piece.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = piece[..eq].Trim().ToLowerInvariant();
            var raw = piece[(eq + 1)..].Trim();
            var quoted = raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"';
            if (quoted)
            {
                raw = raw[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            var extended = key.EndsWith('*');
            var baseKey = extended ? key[..^1] : key;
            var star = baseKey.LastIndexOf('*');
            if (star > 0 && int.TryParse(baseKey[(star + 1)..], out var index))
            {
                var name = baseKey[..star];
                if (!continued.TryGetValue(name, out var segments))
                {
                    continued[name] = segments = [];
                }

                segments[index] = (raw, extended);
                continue;
            }

            parameters[baseKey] = extended ? DecodeRfc2231(raw, firstSegment: true, charset: null).Text : raw;
        }

        foreach (var (name, segments) in continued)
        {
            var sb = new StringBuilder();
            string? charset = null;
            var first = true;
            foreach (var (_, (segValue, segExtended)) in segments)
            {
                if (segExtended)
                {
                    var decoded = DecodeRfc2231(segValue, first, charset);
                    charset = decoded.Charset;
                    sb.Append(decoded.Text);
                }
                else
                {
                    sb.Append(segValue);
                }

                first = false;
            }

            parameters[name] = sb.ToString();
        }

        return (value, parameters);
    }

    private static (string Text, string? Charset) DecodeRfc2231(string raw, bool firstSegment, string? charset)
    {
        var text = raw;
        if (firstSegment)
        {
            var q1 = raw.IndexOf('\'', StringComparison.Ordinal);
            var q2 = q1 >= 0 ? raw.IndexOf('\'', q1 + 1) : -1;
            if (q2 > q1)
            {
                charset = raw[..q1];
                text = raw[(q2 + 1)..];
            }
        }

        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return (MimeEncodings.GetEncoding(string.IsNullOrEmpty(charset) ? "utf-8" : charset).GetString([.. bytes]), charset);
    }

    private static List<string> SplitOutsideQuotes(string s, char separator)
    {
        var result = new List<string>();
        var start = 0;
        var inQuotes = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && inQuotes)
            {
                i++;
            }
            else if (s[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (s[i] == separator && !inQuotes)
            {
                result.Add(s[start..i]);
                start = i + 1;
            }
        }

        result.Add(s[start..]);
        return result;
    }

    private static List<string> SplitMultipart(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var parts = new List<string>();
        int? partStart = null;
        var pos = 0;
        while (pos < body.Length)
        {
            var lineEnd = body.IndexOf('\n', pos);
            var next = lineEnd < 0 ? body.Length : lineEnd + 1;
            var line = body.AsSpan(pos, (lineEnd < 0 ? body.Length : lineEnd) - pos).TrimEnd('\r');
            if (line.StartsWith(delimiter, StringComparison.Ordinal))
            {
                var rest = line[delimiter.Length..];
                var isClose = rest.StartsWith("--", StringComparison.Ordinal);
                if (isClose || rest.IsWhiteSpace())
                {
                    if (partStart is int s)
                    {
                        // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
                        var end = pos;
                        if (end > s && body[end - 1] == '\n')
                        {
                            end--;
                            if (end > s && body[end - 1] == '\r')
                            {
                                end--;
                            }
                        }

                        parts.Add(body[s..end]);
                    }

                    partStart = isClose ? null : next;
                    if (isClose)
                    {
                        break;
                    }
                }
            }

            pos = next;
        }

        if (partStart is int last && last < body.Length)
        {
            parts.Add(body[last..]); // truncated message without a close delimiter
        }

        return parts;
    }

    private static (string Text, bool FromHtml)? SelectBody(MimeEntity entity)
    {
        if (entity.IsMultipart)
        {
            if (entity.ContentType == "multipart/alternative")
            {
                foreach (var child in entity.Children.Where(c => c.ContentType == "text/plain" && !c.IsAttachment))
                {
                    var plain = PlainText(child);
                    if (!string.IsNullOrWhiteSpace(plain))
                    {
                        return (plain, false);
                    }
                }
            }

            foreach (var child in entity.Children)
            {
                var selected = SelectBody(child);
                if (selected is not null && !string.IsNullOrWhiteSpace(selected.Value.Text))
                {
                    return selected;
                }
            }

            return null;
        }

        if (entity.IsAttachment)
        {
            return null;
        }

        return entity.ContentType switch
        {
            "text/plain" => (PlainText(entity), false),
            "text/html" => (HtmlToText.Convert(entity.GetText()), true),
            _ => null,
        };
    }

    private static string PlainText(MimeEntity entity)
    {
        var text = entity.GetText().Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (entity.ContentTypeParameters.TryGetValue("format", out var format)
            && string.Equals(format, "flowed", StringComparison.OrdinalIgnoreCase))
        {
            text = Unflow(text, entity.ContentTypeParameters.TryGetValue("delsp", out var delsp)
                && string.Equals(delsp, "yes", StringComparison.OrdinalIgnoreCase));
        }

        return text;
    }

    /// <summary>RFC 3676 format=flowed: a line ending in a space continues on the next line.</summary>
    private static string Unflow(string text, bool deleteSpace)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            var l = line.StartsWith(' ') ? line[1..] : line; // space-stuffing
            if (l.EndsWith(' ') && l != "-- ")
            {
                sb.Append(deleteSpace ? l[..^1] : l);
            }
            else
            {
                sb.Append(l).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string? NormalizeIdList(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var ids = raw.Split([' ', '\t', '\r', '\n', ','], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', ids);
    }

    private static string Collapse(string s) =>
        string.Join(' ', s.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
