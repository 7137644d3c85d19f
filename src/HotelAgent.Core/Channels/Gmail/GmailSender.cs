using System.Text.RegularExpressions;
using HotelAgent.Core.Channels.Gmail.Mime;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>
/// Sends replies by email through users.messages.send, in the guest's Gmail thread (threadId, In-Reply-To,
/// References, "Re:" subject), as multipart/alternative text + HTML, with attachments (e.g. the booking .ics)
/// in multipart/mixed. Idempotent by <see cref="OutboundMessage.IdempotencyKey"/> (<see cref="GmailSentStore"/>).
/// </summary>
public sealed partial class GmailSender : IChannelSender, IDisposable
{
    private readonly GmailApiClient _api;
    private readonly GmailSentStore _sent;
    private readonly IOptionsMonitor<GmailOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<GmailSender> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public GmailSender(GmailApiClient api, GmailSentStore sent, IOptionsMonitor<GmailOptions> options, TimeProvider time, ILogger<GmailSender> logger)
    {
        _api = api;
        _sent = sent;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public Channel Channel => Channel.Email;

    /// <exception cref="GmailApiException">Gmail refused or could not be reached; nothing is recorded, so a retry sends.</exception>
    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.IdempotencyKey);
        if (message.Channel != Channel.Email)
        {
            throw new ArgumentException($"GmailSender cannot send on {message.Channel}.", nameof(message));
        }

        if (!message.GuestId.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("The guest id of an email reply must be an email address.", nameof(message));
        }

        // Serialized so two concurrent retries of the same key cannot both pass the "already sent" check.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (await _sent.IsSentAsync(message.IdempotencyKey, cancellationToken))
            {
                Log.ReplyDuplicate(_logger, message.IdempotencyKey);
                return;
            }

            var options = _options.CurrentValue;
            var mime = MimeMessageBuilder.Build(BuildEmail(message, options, _time.GetUtcNow()));
            var threadId = message.ChannelContext.GetValueOrDefault(GmailContextKeys.ThreadId);
            GmailMessageRef sent;
            try
            {
                sent = await _api.SendRawAsync(mime, string.IsNullOrEmpty(threadId) ? null : threadId, cancellationToken);
            }
            catch (GmailApiException ex)
            {
                Log.ReplyFailed(_logger, message.IdempotencyKey, PiiMask.Contact(message.GuestId), ex.Kind, ex.StatusCode, ex.Reason);
                throw;
            }

            // Not cancellable: the email is out, the record must land so a retry does not send it twice.
            await _sent.MarkSentAsync(message.IdempotencyKey, sent.Id, sent.ThreadId, _time.GetUtcNow(), CancellationToken.None);
            Log.ReplySent(_logger, message.IdempotencyKey, PiiMask.Contact(message.GuestId), sent.Id, sent.ThreadId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The email for an outbound message (exposed for tests and previews).</summary>
    public static OutgoingEmail BuildEmail(OutboundMessage message, GmailOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var context = message.ChannelContext;
        var originalSubject = context.GetValueOrDefault(GmailContextKeys.Subject);
        var originalId = context.GetValueOrDefault(GmailContextKeys.MessageId);
        var originalReferences = context.GetValueOrDefault(GmailContextKeys.References);

        string? references = null;
        if (!string.IsNullOrWhiteSpace(originalId))
        {
            var ids = (originalReferences ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            if (!ids.Contains(originalId, StringComparer.Ordinal))
            {
                ids.Add(originalId);
            }

            references = string.Join(' ', ids);
        }

        var domain = options.UserEmail.Contains('@', StringComparison.Ordinal) ? options.UserEmail.Split('@')[1] : "hotelagent.local";
        return new OutgoingEmail
        {
            FromAddress = options.UserEmail,
            FromName = string.IsNullOrWhiteSpace(options.SenderName) ? null : options.SenderName,
            ToAddress = message.GuestId,
            Subject = ReplySubject(originalSubject, options),
            Date = now,
            MessageId = $"<{Guid.NewGuid():N}.hotelagent@{domain}>",
            InReplyTo = string.IsNullOrWhiteSpace(originalId) ? null : originalId,
            References = references,
            TextBody = GmailReplyRenderer.RenderText(message.Reply),
            HtmlBody = GmailReplyRenderer.RenderHtml(message.Reply),
            Attachments = [.. message.Reply.Attachments.Select(a => new OutgoingAttachment(a.FileName, a.ContentType, a.Content))],
        };
    }

    /// <summary>"Re: " + the guest's subject, without stacking prefixes ("Re: Re:", "RE:", "Aw:").</summary>
    public static string ReplySubject(string? originalSubject, GmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(originalSubject))
        {
            return string.IsNullOrWhiteSpace(options.SenderName) ? "Re: su consulta" : options.SenderName;
        }

        var subject = originalSubject.Trim();
        return ReplyPrefix().IsMatch(subject) ? "Re: " + ReplyPrefix().Replace(subject, string.Empty) : "Re: " + subject;
    }

    [GeneratedRegex(@"^((re|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefix();
}
