using System.Globalization;
using System.Text;

namespace HotelAgent.Core.Channels.Gmail.Mime;

/// <summary>An attachment of an outgoing email.</summary>
public sealed record OutgoingAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>What <see cref="MimeMessageBuilder"/> turns into RFC 5322 bytes.</summary>
public sealed record OutgoingEmail
{
    public required string FromAddress { get; init; }

    public string? FromName { get; init; }

    public required string ToAddress { get; init; }

    public string? ToName { get; init; }

    public required string Subject { get; init; }

    public required DateTimeOffset Date { get; init; }

    /// <summary>Message-ID with angle brackets.</summary>
    public required string MessageId { get; init; }

    public string? InReplyTo { get; init; }

    public string? References { get; init; }

    public required string TextBody { get; init; }

    public string? HtmlBody { get; init; }

    public IReadOnlyList<OutgoingAttachment> Attachments { get; init; } = [];
}

/// <summary>
/// Builds UTF-8 MIME messages: multipart/alternative (text/plain + text/html), wrapped in multipart/mixed when
/// there are attachments; bodies in base64, non-ASCII headers as RFC 2047 encoded-words, CRLF line endings.
/// </summary>
public static class MimeMessageBuilder
{
    public static byte[] Build(OutgoingEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var sb = new StringBuilder();
        AppendHeader(sb, "From", FormatMailbox(email.FromName, email.FromAddress));
        AppendHeader(sb, "To", FormatMailbox(email.ToName, email.ToAddress));
        AppendHeader(sb, "Subject", MimeEncodings.EncodeHeaderValue(Sanitize(email.Subject)));
        AppendHeader(sb, "Date", email.Date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + email.Date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal));
        AppendHeader(sb, "Message-ID", email.MessageId);
        if (!string.IsNullOrWhiteSpace(email.InReplyTo))
        {
            AppendHeader(sb, "In-Reply-To", email.InReplyTo);
        }

        if (!string.IsNullOrWhiteSpace(email.References))
        {
            AppendHeader(sb, "References", FoldIds(email.References));
        }

        AppendHeader(sb, "MIME-Version", "1.0");

        var alternativeBoundary = NewBoundary();
        var alternative = new StringBuilder();
        AppendTextPart(alternative, alternativeBoundary, "text/plain", email.TextBody);
        if (email.HtmlBody is not null)
        {
            AppendTextPart(alternative, alternativeBoundary, "text/html", email.HtmlBody);
        }

        alternative.Append("--").Append(alternativeBoundary).Append("--\r\n");

        if (email.Attachments.Count == 0)
        {
            AppendHeader(sb, "Content-Type", $"multipart/alternative; boundary=\"{alternativeBoundary}\"");
            sb.Append("\r\n").Append(alternative);
        }
        else
        {
            var mixedBoundary = NewBoundary();
            AppendHeader(sb, "Content-Type", $"multipart/mixed; boundary=\"{mixedBoundary}\"");
            sb.Append("\r\n");
            sb.Append("--").Append(mixedBoundary).Append("\r\n");
            sb.Append("Content-Type: multipart/alternative; boundary=\"").Append(alternativeBoundary).Append("\"\r\n\r\n");
            sb.Append(alternative);
            foreach (var attachment in email.Attachments)
            {
                var name = Sanitize(attachment.FileName);
                sb.Append("\r\n--").Append(mixedBoundary).Append("\r\n");
                sb.Append("Content-Type: ").Append(Sanitize(attachment.ContentType)).Append("; name=").Append(QuoteParameter(name)).Append("\r\n");
                sb.Append("Content-Disposition: attachment; ").Append(FileNameParameter(name)).Append("\r\n");
                sb.Append("Content-Transfer-Encoding: base64\r\n\r\n");
                sb.Append(MimeEncodings.ToBase64Lines(attachment.Content));
            }

            sb.Append("\r\n--").Append(mixedBoundary).Append("--\r\n");
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary><c>Name &lt;address&gt;</c> with the name quoted or RFC 2047-encoded as needed.</summary>
    public static string FormatMailbox(string? name, string address)
    {
        address = Sanitize(address);
        if (string.IsNullOrWhiteSpace(name))
        {
            return address;
        }

        name = Sanitize(name);
        var display = name.All(c => c is >= ' ' and <= '~') ? QuoteParameter(name) : MimeEncodings.EncodeHeaderValue(name);
        return $"{display} <{address}>";
    }

    private static void AppendTextPart(StringBuilder sb, string boundary, string mediaType, string text)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        sb.Append("--").Append(boundary).Append("\r\n");
        sb.Append("Content-Type: ").Append(mediaType).Append("; charset=utf-8\r\n");
        sb.Append("Content-Transfer-Encoding: base64\r\n\r\n");
        sb.Append(MimeEncodings.ToBase64Lines(Encoding.UTF8.GetBytes(normalized)));
    }

    private static void AppendHeader(StringBuilder sb, string name, string value) =>
        sb.Append(name).Append(": ").Append(value).Append("\r\n");

    private static string FoldIds(string ids)
    {
        var sb = new StringBuilder();
        var lineLength = "References: ".Length;
        foreach (var id in ids.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (sb.Length > 0)
            {
                if (lineLength + 1 + id.Length > 76)
                {
                    sb.Append("\r\n ");
                    lineLength = 1;
                }
                else
                {
                    sb.Append(' ');
                    lineLength++;
                }
            }

            sb.Append(Sanitize(id));
            lineLength += id.Length;
        }

        return sb.ToString();
    }

    private static string FileNameParameter(string name)
    {
        if (name.All(c => c is >= ' ' and <= '~'))
        {
            return "filename=" + QuoteParameter(name);
        }

        // RFC 2231 extended parameter for non-ASCII file names.
        var encoded = new StringBuilder("filename*=utf-8''");
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static string QuoteParameter(string value)
    {
        if (!value.All(c => c is >= ' ' and <= '~'))
        {
            return "\"" + MimeEncodings.EncodeHeaderValue(value).Replace("\r\n ", " ", StringComparison.Ordinal) + "\"";
        }

        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Removes CR/LF so no value can inject headers.</summary>
    private static string Sanitize(string value) =>
        value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();

    private static string NewBoundary() => "=_HotelAgent_" + Guid.NewGuid().ToString("N");
}
