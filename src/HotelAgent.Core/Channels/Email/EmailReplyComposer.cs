using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HotelAgent.Core.Messaging;
using MimeKit;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// Builds the reply email with MimeKit: From the hotel mailbox, To the guest, threaded under the guest's message
/// (<c>In-Reply-To</c>, <c>References</c>, "Re:" subject), text and simple HTML alternatives, attachments such as the
/// booking .ics. The Message-ID is derived from the idempotency key, so a resend after a crash carries the same id
/// (mail clients and Gmail show one message) and can be looked up in the Sent folder.
/// </summary>
public static partial class EmailReplyComposer
{
    public static MimeMessage Compose(OutboundMessage message, EmailOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var context = message.ChannelContext;
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(options.SenderName?.Trim() ?? string.Empty, options.Address));
        mime.To.Add(new MailboxAddress(string.Empty, message.GuestId));
        mime.Subject = ReplySubject(context.GetValueOrDefault(EmailContextKeys.Subject), options);
        mime.Date = now;
        mime.MessageId = MessageIdFor(message.IdempotencyKey, options.Address);

        var originalId = Unbracket(context.GetValueOrDefault(EmailContextKeys.MessageId));
        if (originalId is not null)
        {
            mime.InReplyTo = originalId;
            foreach (var id in (context.GetValueOrDefault(EmailContextKeys.References) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Unbracket(id) is { } reference && !mime.References.Contains(reference))
                {
                    mime.References.Add(reference);
                }
            }

            if (!mime.References.Contains(originalId))
            {
                mime.References.Add(originalId);
            }
        }

        // Exchange and Outlook do not answer this message with an out-of-office note (no auto-reply ping-pong).
        mime.Headers.Add("X-Auto-Response-Suppress", "OOF, AutoReply");

        var body = new BodyBuilder
        {
            TextBody = EmailReplyRenderer.RenderText(message.Reply),
            HtmlBody = EmailReplyRenderer.RenderHtml(message.Reply),
        };
        foreach (var attachment in message.Reply.Attachments)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>A stable Message-ID (without angle brackets) for an idempotency key, in the mailbox's domain.</summary>
    public static string MessageIdFor(string idempotencyKey, string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var at = (address ?? string.Empty).LastIndexOf('@');
        var domain = at >= 0 && at < address!.Length - 1 ? address[(at + 1)..] : "hotelagent.local";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
        return $"{hash}.hotelagent@{domain}";
    }

    /// <summary>"Re: " + the guest's subject, without stacking prefixes ("Re: Re:", "RE:", "Aw:").</summary>
    public static string ReplySubject(string? originalSubject, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(originalSubject))
        {
            return string.IsNullOrWhiteSpace(options.SenderName) ? "Re: su consulta" : options.SenderName.Trim();
        }

        var subject = originalSubject.Trim();
        return "Re: " + ReplyPrefix().Replace(subject, string.Empty);
    }

    private static string? Unbracket(string? id)
    {
        var trimmed = id?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    [GeneratedRegex(@"^((re|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefix();
}
