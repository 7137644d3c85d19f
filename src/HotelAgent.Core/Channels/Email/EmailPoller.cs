using System.Globalization;
using HotelAgent.Core.Messaging;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HotelAgent.Core.Channels.Email;

/// <summary>
/// One poll of the hotel mailbox over IMAP (the timer function and <c>POST /api/webhooks/email</c>): unseen messages
/// in INBOX and <see cref="EmailOptions.ExtraFolder"/>, oldest first. Headers and body structure are fetched first;
/// for guest mail only the text parts are downloaded (a large attachment is never fetched), always with BODY.PEEK so
/// nothing is marked read. Each guest message goes to <see cref="IInboundMessageSink"/> (its exactly-once gate keyed
/// by Message-ID) and is flagged \Seen only after the sink returned; a crash in between brings the message back, and
/// the gate drops it. Mail not to answer is tagged with <see cref="SkippedKeyword"/> and left unread for staff.
/// </summary>
public sealed class EmailPoller(
    EmailConnector connector,
    IInboundMessageSink sink,
    IOptionsMonitor<EmailOptions> options,
    TimeProvider time,
    ILogger<EmailPoller> logger) : IDisposable
{
    /// <summary>IMAP keyword on mail the receptionist will not answer, so the next poll does not look at it again.</summary>
    public const string SkippedKeyword = "$HotelAgentSkipped";

    private const string Inbox = "INBOX";
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Polls once. Never throws for mail-server, sign-in or message errors (see the result); only for cancellation.</summary>
    public async Task<EmailPollResult> PollAsync(CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        if (!o.Enabled)
        {
            Log.Disabled(logger);
            return EmailPollResult.Disabled;
        }

        // A timer tick and an on-demand poll would race on the same messages: one poll at a time per process.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await PollCoreAsync(o, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<EmailPollResult> PollCoreAsync(EmailOptions o, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        EmailException? stop = null;
        ImapClient? client = null;
        try
        {
            client = await connector.ConnectImapAsync(cancellationToken);
            var candidates = new List<Candidate>();
            foreach (var name in FolderNames(o))
            {
                var folder = name == Inbox ? client.Inbox : await client.GetFolderAsync(name, cancellationToken);
                candidates.AddRange(await FindUnseenAsync(folder, cancellationToken));
            }

            // Oldest first (across folders): a guest's emails must reach the conversation in the order they were written.
            var batch = candidates
                .OrderBy(c => c.Summary.InternalDate ?? DateTimeOffset.MaxValue)
                .ThenBy(c => c.Summary.UniqueId.Id)
                .Take(o.MaxMessagesPerPoll);
            foreach (var candidate in batch)
            {
                await HandleAsync(client, candidate, o, tally, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (EmailException.From(ex, "IMAP") is { } mapped)
        {
            stop = mapped;
            Log.PollFailed(logger, mapped.Kind, mapped.Reason);
        }
        finally
        {
            await DisconnectQuietlyAsync(client);
        }

        Log.PollCompleted(logger, tally.Fetched, tally.Accepted, tally.Duplicates, tally.Skipped, tally.Failed);
        return new EmailPollResult(tally.Fetched, tally.Accepted, tally.Duplicates, tally.Skipped, tally.Failed, stop?.Reason) { ErrorKind = stop?.Kind };
    }

    private static IEnumerable<string> FolderNames(EmailOptions o)
    {
        yield return Inbox;
        if (!string.IsNullOrWhiteSpace(o.ExtraFolder) && !string.Equals(o.ExtraFolder.Trim(), Inbox, StringComparison.OrdinalIgnoreCase))
        {
            yield return o.ExtraFolder.Trim();
        }
    }

    private async Task<IEnumerable<Candidate>> FindUnseenAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var query = SearchQuery.NotSeen.And(SearchQuery.NotKeyword(SkippedKeyword));
        var uids = await folder.SearchAsync(query, cancellationToken);
        if (uids.Count == 0)
        {
            return [];
        }

        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | MessageSummaryItems.BodyStructure)
        {
            Headers = HeaderSet.All,
        };
        var summaries = await folder.FetchAsync(uids, request, cancellationToken);
        return summaries.Select(s => new Candidate(folder, s));
    }

    private async Task HandleAsync(ImapClient client, Candidate candidate, EmailOptions o, Tally tally, CancellationToken cancellationToken)
    {
        var (folder, summary) = candidate;
        var uid = summary.UniqueId;
        var sender = "(unknown)";
        try
        {
            if (!folder.IsOpen)
            {
                await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            }

            tally.Fetched++;
            var headers = HeadersOnly(summary.Headers);
            sender = PiiMask.Contact(GuestEmailReader.GuestAddress(headers)?.Address.ToLowerInvariant());
            var skip = GuestEmailReader.SkipReason(headers, o);
            var body = string.Empty;
            var text = string.Empty;
            if (skip is null)
            {
                body = await ReadTextAsync(folder, summary, cancellationToken);
                text = string.IsNullOrWhiteSpace(body) ? headers.Subject?.Trim() ?? string.Empty : body;
                if (string.IsNullOrWhiteSpace(text) && !summary.Attachments.Any())
                {
                    skip = "empty message (no text, subject or attachment)";
                }
            }

            if (skip is not null)
            {
                await MarkSkippedAsync(folder, uid, cancellationToken);
                tally.Skipped++;
                Log.MessageSkipped(logger, folder.FullName, uid.Id, sender, skip);
                return;
            }

            var inbound = ToInbound(headers, text, bodyIsEmpty: string.IsNullOrWhiteSpace(body), summary, folder, o);
            var outcome = await sink.AcceptAsync(inbound, cancellationToken);
            if (outcome == InboundOutcome.Duplicate)
            {
                tally.Duplicates++;
            }
            else
            {
                tally.Accepted++;
            }

            Log.MessageAccepted(logger, folder.FullName, uid.Id, sender, outcome.ToString());
            try
            {
                await folder.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, cancellationToken);
            }
            catch (Exception ex) when (EmailException.From(ex, "IMAP flag") is { } mapped)
            {
                Log.FlagFailed(logger, folder.FullName, uid.Id, mapped.Reason);
                if (!client.IsConnected)
                {
                    throw mapped;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (EmailException ex) when (!client.IsConnected)
        {
            tally.Failed++;
            Log.MessageFailed(logger, folder.FullName, uid.Id, sender, ex.Reason);
            throw; // the connection is gone: the rest of the batch waits for the next poll
        }
        catch (Exception ex) when (EmailException.From(ex, "IMAP") is { } mapped && !client.IsConnected)
        {
            tally.Failed++;
            Log.MessageFailed(logger, folder.FullName, uid.Id, sender, mapped.Reason);
            throw mapped;
        }
#pragma warning disable CA1031 // a failing sink or an unreadable message must not stop the batch: it is left unseen and retried
        catch (Exception ex)
#pragma warning restore CA1031
        {
            tally.Failed++;
            Log.MessageFailed(logger, folder.FullName, uid.Id, sender, EmailException.From(ex, "IMAP")?.Reason ?? "handler error: " + ex.GetType().Name);
        }
    }

    /// <summary>Downloads only the text/plain and text/html parts (MailKit's pick in the body structure); the whole message when the server sent no structure.</summary>
    private static async Task<string> ReadTextAsync(IMailFolder folder, IMessageSummary summary, CancellationToken cancellationToken)
    {
        if (summary.Body is null)
        {
            var message = await folder.GetMessageAsync(summary.UniqueId, cancellationToken);
            var (plain, html) = GuestEmailReader.TextParts(message);
            return GuestEmailReader.BodyText(plain, html);
        }

        var plainPart = summary.TextBody is { } p ? await folder.GetBodyPartAsync(summary.UniqueId, p, cancellationToken) as TextPart : null;
        var text = GuestEmailReader.BodyText(plainPart, null);
        if (string.IsNullOrWhiteSpace(text) && summary.HtmlBody is { } h)
        {
            text = GuestEmailReader.BodyText(null, await folder.GetBodyPartAsync(summary.UniqueId, h, cancellationToken) as TextPart);
        }

        return text;
    }

    private async Task MarkSkippedAsync(IMailFolder folder, UniqueId uid, CancellationToken cancellationToken)
    {
        if (folder.PermanentFlags.HasFlag(MessageFlags.UserDefined))
        {
            await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, [SkippedKeyword]) { Silent = true }, cancellationToken);
        }
        else
        {
            // Servers without custom keywords (Exchange): reading it is the only way not to look at it again.
            Log.NoKeywords(logger, folder.FullName);
            await folder.AddFlagsAsync(uid, MessageFlags.Seen, silent: true, cancellationToken);
        }
    }

    private InboundMessage ToInbound(MimeMessage headers, string text, bool bodyIsEmpty, IMessageSummary summary, IMailFolder folder, EmailOptions o)
    {
        if (text.Length > o.MaxBodyChars)
        {
            text = text[..o.MaxBodyChars];
        }

        var context = new Dictionary<string, string>
        {
            [EmailContextKeys.Subject] = headers.Subject ?? string.Empty,
            [EmailContextKeys.Folder] = folder.FullName,
            [EmailContextKeys.Uid] = summary.UniqueId.Id.ToString(CultureInfo.InvariantCulture),
            [EmailContextKeys.UidValidity] = folder.UidValidity.ToString(CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(headers.MessageId))
        {
            context[EmailContextKeys.MessageId] = "<" + headers.MessageId + ">";
        }

        if (GuestEmailReader.ThreadReferences(headers) is { } references)
        {
            context[EmailContextKeys.References] = references;
        }

        var guest = GuestEmailReader.GuestAddress(headers)!;
        var name = string.IsNullOrWhiteSpace(guest.Name) ? headers.From.Mailboxes.FirstOrDefault()?.Name : guest.Name;
        var sentAt = summary.InternalDate ?? (headers.Date != DateTimeOffset.MinValue ? headers.Date : time.GetUtcNow());
        return new InboundMessage(Channel.Email, guest.Address.Trim().ToLowerInvariant(), string.IsNullOrWhiteSpace(name) ? null : name, text, GuestEmailReader.ProviderMessageId(headers, text), sentAt)
        {
            // Only attachments (a transfer receipt, a passport scan): the subject, if any, is the text.
            Kind = bodyIsEmpty && summary.Attachments.Any() ? InboundKind.Document : InboundKind.Text,
            ChannelContext = context,
        };
    }

    /// <summary>A header-only MimeMessage (MimeKit parses addresses, encoded words, Message-ID and References).</summary>
    private static MimeMessage HeadersOnly(HeaderList? headers)
    {
        using var stream = new MemoryStream();
        headers?.WriteTo(stream);
        stream.Write("\r\n"u8);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    private static async Task DisconnectQuietlyAsync(ImapClient? client)
    {
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // a failed LOGOUT changes nothing: the poll's outcome is already known
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private sealed record Candidate(IMailFolder Folder, IMessageSummary Summary);

    private sealed class Tally
    {
        public int Fetched;
        public int Accepted;
        public int Duplicates;
        public int Skipped;
        public int Failed;
    }
}
