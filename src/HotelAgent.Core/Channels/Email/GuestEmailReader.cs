using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// Reads a guest email parsed by MimeKit: whether it deserves an answer (not our own mail, an auto-reply, a bounce or a
/// mailing list), who to answer, the text the guest wrote (plain text preferred, HTML converted, quotes and signatures
/// removed) and its exactly-once key.
/// </summary>
public static class GuestEmailReader
{
    private static readonly string[] AutomatedLocalParts =
        ["mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply", "bounce", "bounces"];

    /// <summary>Why a message must not be answered, or null for guest mail. Needs the headers only.</summary>
    public static string? SkipReason(MimeMessage message, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var from = message.From.Mailboxes.FirstOrDefault();
        if (from is null || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            return "no sender address";
        }

        var guest = GuestAddress(message)!;
        if (IsOwnAddress(from.Address, options) || IsOwnAddress(guest.Address, options))
        {
            return "own message";
        }

        // Web contact forms send from noreply@ with the guest in Reply-To: the guest is the Reply-To address.
        var local = guest.Address.Split('@')[0].ToLowerInvariant();
        if (AutomatedLocalParts.Contains(local, StringComparer.Ordinal))
        {
            return "automated sender";
        }

        var headers = message.Headers;
        if (headers[HeaderId.ReturnPath]?.Trim() == "<>")
        {
            return "delivery report (null sender)";
        }

        var autoSubmitted = headers["Auto-Submitted"];
        if (!string.IsNullOrWhiteSpace(autoSubmitted) && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return "auto-submitted";
        }

        if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond") || headers.Contains("X-Autoresponder"))
        {
            return "auto-reply";
        }

        var precedence = headers["Precedence"]?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk" or "list" or "auto_reply")
        {
            return "bulk precedence";
        }

        if (headers.Contains(HeaderId.ListId) || headers.Contains(HeaderId.ListUnsubscribe))
        {
            return "mailing list";
        }

        if (message.Body?.ContentType.IsMimeType("multipart", "report") == true
            || ContentType.TryParse(headers[HeaderId.ContentType] ?? string.Empty, out var type) && type.IsMimeType("multipart", "report"))
        {
            return "delivery report";
        }

        return null;
    }

    /// <summary>Who to answer: the Reply-To mailbox when present (contact forms, assistants), else From.</summary>
    public static MailboxAddress? GuestAddress(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.ReplyTo.Mailboxes.FirstOrDefault(m => m.Address.Contains('@', StringComparison.Ordinal))
            ?? message.From.Mailboxes.FirstOrDefault();
    }

    /// <summary>The guest's words: the text/plain part when it has any, else the HTML as text; quotes and signatures removed.</summary>
    public static string BodyText(TextPart? plain, TextPart? html)
    {
        var text = plain is null ? string.Empty : PlainText(plain);
        if (string.IsNullOrWhiteSpace(text) && html is not null)
        {
            text = HtmlText.Convert(html.Text ?? string.Empty);
        }

        return ReplyCleaner.Clean(text);
    }

    /// <summary>The text/plain and text/html bodies of a whole message (MimeKit's choice in multipart/alternative), attachments excluded.</summary>
    public static (TextPart? Plain, TextPart? Html) TextParts(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var parts = message.BodyParts.OfType<TextPart>().Where(p => !p.IsAttachment).ToList();
        return (parts.FirstOrDefault(p => p.IsPlain), parts.FirstOrDefault(p => p.IsHtml));
    }

    /// <summary>
    /// The exactly-once key: the Message-ID (stable when the provider rebuilds the mailbox and renumbers UIDs), or for
    /// the rare mail without one a hash of sender, date, subject and text.
    /// </summary>
    public static string ProviderMessageId(MimeMessage message, string text)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!string.IsNullOrWhiteSpace(message.MessageId))
        {
            return "<" + message.MessageId.Trim() + ">";
        }

        var material = string.Join('\n', message.From.ToString(), message.Headers[HeaderId.Date] ?? string.Empty, message.Subject ?? string.Empty, text);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    /// <summary>The References of a message plus its own Message-ID, as the next reply's References.</summary>
    public static string? ThreadReferences(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ids = message.References.Select(id => "<" + id + ">").ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    internal static bool IsOwnAddress(string address, EmailOptions options) =>
        string.Equals(address, options.Address, StringComparison.OrdinalIgnoreCase)
        || (!string.IsNullOrWhiteSpace(options.UserName) && string.Equals(address, options.UserName, StringComparison.OrdinalIgnoreCase));

    /// <summary>text/plain decoded with its charset; <c>format=flowed</c> soft line breaks joined.</summary>
    private static string PlainText(TextPart part)
    {
        var text = part.Text ?? string.Empty;
        return part.IsFlowed ? Unflow(text, string.Equals(part.ContentType.Parameters["delsp"], "yes", StringComparison.OrdinalIgnoreCase)) : text;
    }

    /// <summary>
    /// RFC 3676: a line ending in a space continues on the next line (the space removed with delsp=yes); a leading
    /// space is stuffing. MimeKit 4.18 ships no flowed-to-text converter, hence these few lines.
    /// </summary>
    internal static string Unflow(string text, bool deleteSpace)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.StartsWith(' ') ? raw[1..] : raw;
            if (line.EndsWith(' ') && line != "-- ")
            {
                sb.Append(deleteSpace ? line[..^1] : line);
            }
            else
            {
                sb.Append(line).Append('\n');
            }
        }

        return sb.ToString();
    }
}
