using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HotelAgent.Core.Channels.Email;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Hosting;
using MimeKit;
using MimeKit.Text;
using MimeKit.Utils;

namespace HotelAgent.Tests.Fakes.Channels;

/// <summary>How a guest's mail client writes a reply (the quoted history under the new text differs per client).</summary>
public enum MailClientStyle
{
    /// <summary>Gmail: "El … escribió:" wrapped at 76 columns, "&gt; " quotes; HTML <c>gmail_quote</c> (base64).</summary>
    Gmail,

    /// <summary>Outlook: a "De: / Enviado: / Para: / Asunto:" block and the history unquoted; HTML <c>divRplyFwdMsg</c>.</summary>
    Outlook,

    /// <summary>Apple Mail: the attribution itself quoted; HTML <c>blockquote type="cite"</c>.</summary>
    AppleMail,
}

/// <summary>
/// A guest writing to the hotel mailbox from a mail client, through a running host: the first email opens a thread, each
/// later one answers the receptionist's latest email the way mail clients do (<c>Re:</c> subject, <c>In-Reply-To</c> and
/// <c>References</c>, the quoted history under the new text, text and HTML alternatives). Each email lands in the hotel's
/// Dovecot inbox, <c>POST /api/webhooks/email</c> polls, and the turn is over when the staff API reports the
/// conversation has handled that many messages (its status is written after the turn's replies were sent, and the test
/// SMTP server files each reply in the guest's inbox before it answers 250): then the guest's inbox is read back.
/// </summary>
public sealed class EmailGuest(MailServerFixture mail, TestMailbox hotel, TestMailbox guest, Func<HttpClient> hostClient, string displayName = "Lucía Fernández")
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es-AR");
    private int _turns;
    private DateTimeOffset _clock = DateTimeOffset.UtcNow;

    public string Address => guest.Address;

    public TestMailbox Mailbox => guest;

    /// <summary>Every email the guest has sent, in order.</summary>
    public List<MimeMessage> Sent { get; } = [];

    /// <summary>Every email the guest has received, in order.</summary>
    public List<MimeMessage> Received { get; } = [];

    /// <summary>The conversation's id (keyed like the host's, <see cref="TestSecrets.ConversationIdKey"/>).</summary>
    public string ConversationId => ConversationIdOf(guest.Address);

    /// <summary>The id of the email conversation with <paramref name="address"/> in a host started with <see cref="TestSecrets.ConversationIdKey"/>.</summary>
    public static string ConversationIdOf(string address) => ConversationIds.Compute(Encoding.UTF8.GetBytes(TestSecrets.ConversationIdKey), Channel.Email, address);

    /// <summary>Opens a new thread and returns the emails the receptionist answered with.</summary>
    public Task<IReadOnlyList<MimeMessage>> WriteNewAsync(string subject, string text) => SendAsync(Compose(subject, text, replyTo: null, MailClientStyle.Gmail));

    /// <summary>Answers <paramref name="replyTo"/> (the receptionist's latest email by default) with the quoted history.</summary>
    public Task<IReadOnlyList<MimeMessage>> ReplyAsync(string text, MailClientStyle style = MailClientStyle.Gmail, MimeMessage? replyTo = null)
    {
        var original = replyTo ?? (Received.Count > 0 ? Received[^1] : throw new InvalidOperationException("Nothing to reply to yet."));
        return SendAsync(Compose("Re: " + StripReplyPrefix(original.Subject), text, original, style));
    }

    /// <summary>The texts of <paramref name="emails"/>, for assertion messages.</summary>
    public static string Transcript(IEnumerable<MimeMessage> emails) => string.Join("\n---\n", emails.Select(m => $"[{m.Subject}] {m.TextBody}"));

    private async Task<IReadOnlyList<MimeMessage>> SendAsync(MimeMessage email)
    {
        Sent.Add(email);
        using var buffer = new MemoryStream();
        await email.WriteToAsync(buffer);
        await mail.DeliverAsync(hotel, buffer.ToArray(), _clock);
        _turns++;

        using var client = hostClient();
        using var poll = await client.PostAsync("api/webhooks/email", null);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        var result = await poll.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("accepted").GetInt32() == 1, "the poll did not accept the guest's email: " + result);

        await StaffApi.WaitForHandledAsync(client, ConversationId, _turns);
        var inbox = await mail.ReadAsync(guest);
        var fresh = inbox.Skip(Received.Count).Select(m => m.Message).ToList();
        Received.AddRange(fresh);
        return fresh;
    }

    private MimeMessage Compose(string subject, string text, MimeMessage? replyTo, MailClientStyle style)
    {
        _clock = Max(_clock.AddMinutes(3), DateTimeOffset.UtcNow);
        var email = new MimeMessage { Subject = subject, Date = _clock, MessageId = MimeUtils.GenerateMessageId("mail.guest.test") };
        email.From.Add(new MailboxAddress(displayName, guest.Address));
        email.To.Add(new MailboxAddress("Hotel Palermo Soho", hotel.Address));
        if (replyTo is not null)
        {
            email.InReplyTo = replyTo.MessageId;
            foreach (var id in replyTo.References)
            {
                email.References.Add(id);
            }

            email.References.Add(replyTo.MessageId ?? throw new InvalidOperationException("The receptionist's email has no Message-ID."));
        }

        var (plain, html) = replyTo is null
            ? (text, $"<div dir=\"ltr\">{Html(text)}</div>")
            : style switch
            {
                MailClientStyle.Outlook => Outlook(text, replyTo),
                MailClientStyle.AppleMail => AppleMail(text, replyTo),
                _ => Gmail(text, replyTo),
            };
        var alternative = new MultipartAlternative
        {
            new TextPart(TextFormat.Plain) { Text = plain, ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            new TextPart(TextFormat.Html) { Text = html, ContentTransferEncoding = style == MailClientStyle.Gmail ? ContentEncoding.Base64 : ContentEncoding.QuotedPrintable },
        };
        email.Body = alternative;

        // What the poller hands on is the guest's words only: the quoted history must not reach the receptionist.
        var (plainPart, htmlPart) = GuestEmailReader.TextParts(email);
        Assert.Equal(text, GuestEmailReader.BodyText(plainPart, htmlPart));
        return email;
    }

    private (string Plain, string Html) Gmail(string text, MimeMessage original)
    {
        var sender = original.From.Mailboxes.First();
        var when = original.Date.ToString("ddd, d MMM yyyy 'a las' H:mm", Spanish);
        var attribution = Wrap($"El {when}, {sender.Name} (<{sender.Address}>) escribió:", 76);
        var quoted = string.Join("\n", (original.TextBody ?? string.Empty).ReplaceLineEndings("\n").TrimEnd().Split('\n').Select(l => l.Length == 0 ? ">" : "> " + l));
        var plain = $"{text}\n\n{attribution}\n\n{quoted}\n";
        var html = $"<div dir=\"ltr\">{Html(text)}</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">El {when}, {WebUtility.HtmlEncode(sender.Name)} &lt;<a href=\"mailto:{sender.Address}\">{sender.Address}</a>&gt; escribió:<br></div>"
            + $"<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">{QuotedHtml(original)}</blockquote></div>";
        return (plain, html);
    }

    private (string Plain, string Html) Outlook(string text, MimeMessage original)
    {
        var sender = original.From.Mailboxes.First();
        var when = original.Date.ToString("dddd, d 'de' MMMM 'de' yyyy H:mm", Spanish);
        var header = $"De: {sender.Name} <{sender.Address}>\nEnviado: {when}\nPara: {displayName} <{guest.Address}>\nAsunto: {original.Subject}";
        var plain = $"{text}\n\n________________________________\n{header}\n\n{original.TextBody}\n";
        var html = $"<html><body><div style=\"font-family:Calibri\">{Html(text)}</div><div id=\"appendonsend\"></div><hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">"
            + $"<div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri, sans-serif\" style=\"font-size:11pt\" color=\"#000000\"><b>De:</b> {WebUtility.HtmlEncode(sender.Name)} &lt;{sender.Address}&gt;<br>"
            + $"<b>Enviado:</b> {when}<br><b>Para:</b> {WebUtility.HtmlEncode(displayName)} &lt;{guest.Address}&gt;<br><b>Asunto:</b> {WebUtility.HtmlEncode(original.Subject)}</font><div>&nbsp;</div></div>"
            + $"<div>{QuotedHtml(original)}</div></body></html>";
        return (plain, html);
    }

    private static (string Plain, string Html) AppleMail(string text, MimeMessage original)
    {
        var sender = original.From.Mailboxes.First();
        var when = original.Date.ToString("d MMM yyyy, 'a las' H:mm", Spanish);
        var body = (original.TextBody ?? string.Empty).ReplaceLineEndings("\n").TrimEnd().Split('\n').Select(l => l.Length == 0 ? ">" : "> " + l);
        var plain = $"{text}\n\nEnviado desde mi iPhone\n\n> El {when}, {sender.Name} <{sender.Address}> escribió:\n>\n{string.Join("\n", body)}\n";
        var html = $"<html><head><meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\"></head><body dir=\"auto\"><div dir=\"ltr\">{Html(text)}</div><div dir=\"ltr\"><br>"
            + $"<blockquote type=\"cite\">El {when}, {WebUtility.HtmlEncode(sender.Name)} &lt;{sender.Address}&gt; escribió:<br><br></blockquote></div><blockquote type=\"cite\"><div dir=\"ltr\">{QuotedHtml(original)}</div></blockquote></body></html>";
        return (plain, html);
    }

    /// <summary>The body of the receptionist's HTML (what mail clients quote), or its text as HTML.</summary>
    private static string QuotedHtml(MimeMessage original)
    {
        var html = original.HtmlBody;
        if (string.IsNullOrEmpty(html))
        {
            return Html(original.TextBody ?? string.Empty);
        }

        var start = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return start >= 0 && end > start ? html[(html.IndexOf('>', start) + 1)..end] : html;
    }

    private static string Html(string text) => string.Join("<br>", text.ReplaceLineEndings("\n").Split('\n').Select(WebUtility.HtmlEncode));

    /// <summary>Wraps at spaces like Gmail's plain-text part does.</summary>
    private static string Wrap(string line, int width)
    {
        var result = new StringBuilder();
        var current = new StringBuilder();
        foreach (var word in line.Split(' '))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > width)
            {
                result.Append(current).Append('\n');
                current.Clear();
            }

            current.Append(current.Length > 0 ? " " : string.Empty).Append(word);
        }

        return result.Append(current).ToString();
    }

    private static string StripReplyPrefix(string? subject)
    {
        var s = (subject ?? string.Empty).Trim();
        while (s.StartsWith("Re:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[3..].TrimStart();
        }

        return s;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
