using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// Sends replies over SMTP submission (<see cref="EmailReplyComposer"/> builds them) and files a copy in the Sent folder
/// when the provider does not (<see cref="EmailOptions.ShouldAppendToSent"/>). Idempotent by
/// <see cref="OutboundMessage.IdempotencyKey"/> through the shared <see cref="ISentMessageStore"/>: an attempt is recorded
/// before the SMTP transaction; when a process died after it, the restarted sender first looks for the reply's
/// (key-derived) Message-ID in the Sent folder and sends only when it is not there.
/// </summary>
public sealed class EmailSender(
    EmailConnector connector,
    ISentMessageStore sent,
    IOptionsMonitor<EmailOptions> options,
    TimeProvider time,
    ILogger<EmailSender> logger) : IChannelSender
{
    public Channel Channel => Channel.Email;

    /// <exception cref="EmailException">The SMTP server could not be reached or refused the reply; nothing is recorded as sent, so a retry sends.</exception>
    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.IdempotencyKey);
        if (message.Channel != Channel.Email)
        {
            throw new ArgumentException($"EmailSender cannot send on {message.Channel}.", nameof(message));
        }

        if (!MailboxAddress.TryParse(message.GuestId, out var recipient) || !recipient.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("The guest id of an email reply must be an email address.", nameof(message));
        }

        var key = message.IdempotencyKey;
        using var keyLock = await sent.LockAsync(Channel.Email, key, cancellationToken);
        if (await sent.WasSentAsync(Channel.Email, key, cancellationToken))
        {
            Log.ReplyDuplicate(logger, key);
            return;
        }

        var o = options.CurrentValue;
        var mime = EmailReplyComposer.Compose(message, o, time.GetUtcNow());
        var messageId = "<" + mime.MessageId + ">";
        var bareId = mime.MessageId!;
        var attempt = await sent.GetPendingAttemptAsync(Channel.Email, key, cancellationToken);
        if (attempt is { ByThisProcess: false } && await FoundInSentAsync(bareId, o, key, cancellationToken))
        {
            await sent.RecordSentAsync(Channel.Email, key, messageId, CancellationToken.None);
            return;
        }

        await sent.RecordAttemptAsync(Channel.Email, key, cancellationToken);
        try
        {
            using var smtp = await connector.ConnectSmtpAsync(cancellationToken);
            await smtp.SendAsync(mime, cancellationToken);
            await smtp.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception ex) when (EmailException.From(ex, "SMTP send") is { } mapped)
        {
            Log.ReplyFailed(logger, key, PiiMask.Contact(message.GuestId), mapped.Kind, mapped.Reason);
            throw mapped;
        }

        // Not cancellable: the email is out, the record must land so a retry does not send it twice.
        await sent.RecordSentAsync(Channel.Email, key, messageId, CancellationToken.None);
        Log.ReplySent(logger, key, PiiMask.Contact(message.GuestId), messageId);
        if (o.ShouldAppendToSent)
        {
            await AppendToSentAsync(mime, o, key);
        }
    }

    /// <summary>The Sent folder: <see cref="EmailOptions.SentFolder"/>, else the server's \Sent special-use folder, else "Sent".</summary>
    internal static async Task<IMailFolder> SentFolderAsync(ImapClient client, EmailOptions o, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(o.SentFolder))
        {
            return await client.GetFolderAsync(o.SentFolder.Trim(), cancellationToken);
        }

        if ((client.Capabilities & (ImapCapabilities.SpecialUse | ImapCapabilities.XList)) != 0 && client.GetFolder(SpecialFolder.Sent) is { } special)
        {
            return special;
        }

        return await client.GetFolderAsync("Sent", cancellationToken);
    }

    /// <summary>A copy for the staff's Sent folder; failing to file it does not fail the (already sent) reply.</summary>
    private async Task AppendToSentAsync(MimeMessage mime, EmailOptions o, string key)
    {
        var folderName = o.SentFolder ?? "Sent";
        try
        {
            using var imap = await connector.ConnectImapAsync(CancellationToken.None);
            var folder = await SentFolderAsync(imap, o, CancellationToken.None);
            folderName = folder.FullName;
            await folder.AppendAsync(new AppendRequest(mime, MessageFlags.Seen), CancellationToken.None);
            await imap.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception ex) when (EmailException.From(ex, "IMAP append") is { } mapped)
        {
            Log.SentCopyFailed(logger, key, folderName, mapped.Reason);
        }
    }

    /// <summary>
    /// After a crash between the SMTP transaction and its record: true when the reply is already in the Sent folder
    /// (filed by the provider or by us). When the folder cannot be searched, false (the reply is sent: at least once).
    /// </summary>
    private async Task<bool> FoundInSentAsync(string messageId, EmailOptions o, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var imap = await connector.ConnectImapAsync(cancellationToken);
            var folder = await SentFolderAsync(imap, o, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            var found = await folder.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken);
            await imap.DisconnectAsync(quit: true, CancellationToken.None);
            if (found.Count > 0)
            {
                Log.ReplyFoundInSent(logger, key, folder.FullName);
                return true;
            }
        }
        catch (Exception ex) when (EmailException.From(ex, "IMAP search") is { } mapped)
        {
            Log.SentCopyFailed(logger, key, o.SentFolder ?? "Sent", mapped.Reason);
        }

        return false;
    }
}
