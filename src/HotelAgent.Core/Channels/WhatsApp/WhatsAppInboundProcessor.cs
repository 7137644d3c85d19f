using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>What happened to one webhook batch.</summary>
public sealed record WhatsAppInboundResult(int Accepted, int Duplicates, int RateLimited, int Statuses, int Ignored);

/// <summary>
/// The WhatsApp side of the inbound path after the webhook was verified and parsed, for each message: customer-service
/// window → <see cref="IInboundMessageSink"/> (the one exactly-once gate and per-guest rate limit of every channel) →
/// for accepted messages a best-effort read receipt (queued, sent in the background by <see cref="WhatsAppReadReceipts"/>
/// so the webhook answers without another Graph round trip).
/// Statuses are recorded in <see cref="IDeliveryStatusStore"/> and logged (failed ones as warnings with Meta's error codes), never answered;
/// a sent / delivered / read status carrying <c>biz_opaque_callback_data</c> (our idempotency key) confirms that send in
/// <see cref="ISentMessageStore"/>, so a sender restarted after a kill does not send it again.
/// </summary>
public sealed class WhatsAppInboundProcessor(
    IDeliveryStatusStore statusStore,
    ISentMessageStore sentStore,
    ICustomerServiceWindow window,
    IInboundMessageSink sink,
    WhatsAppReadReceipts readReceipts,
    Microsoft.Extensions.Options.IOptions<WhatsAppOptions> options,
    ILogger<WhatsAppInboundProcessor> logger)
{
    public async Task<WhatsAppInboundResult> ProcessAsync(WhatsAppWebhookBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int accepted = 0, duplicates = 0, limited = 0, foreign = 0;

        foreach (var reason in batch.Ignored)
        {
            InboundLog.Ignored(logger, reason);
        }

        foreach (var status in batch.Statuses)
        {
            await statusStore.RecordAsync(
                Channel.WhatsApp, status.MessageId, status.Status, status.Timestamp, status.Errors.Select(e => e.Code), cancellationToken);
            if (status.CallbackData is { } key && status.ProvesSent)
            {
                await sentStore.ConfirmFromStatusAsync(Channel.WhatsApp, key, status.MessageId, cancellationToken);
                InboundLog.SendConfirmed(logger, key, status.MessageId, status.Status);
            }

            if (status.IsFailed)
            {
                var codes = string.Join(",", status.Errors.Select(e => e.Code));
                InboundLog.StatusFailed(logger, status.MessageId, PiiMask.Contact(status.RecipientId), codes);
            }
            else
            {
                InboundLog.Status(logger, status.MessageId, status.Status);
            }
        }

        var served = options.Value.PhoneNumberId;
        foreach (var message in batch.Messages)
        {
            // One Meta app (one app secret) can serve several numbers: answer only what was sent to the number we send from.
            var to = message.ChannelContext.GetValueOrDefault(WhatsAppContextKeys.PhoneNumberId);
            if (!string.IsNullOrEmpty(served) && !string.Equals(to, served, StringComparison.Ordinal))
            {
                InboundLog.ForeignNumber(logger, message.ProviderMessageId, to ?? "(none)", served);
                foreign++;
                continue;
            }

            // Before the hand-off: the reply must see the window open. On channels.db the window joins the exactly-once
            // claim's transaction (one commit on the ack path instead of two, and atomic with the claim); the commit
            // below only writes when nothing carried it (a claim kept elsewhere).
            var commitWindow = await window.RecordInboundDeferredAsync(message.GuestId, message.Timestamp, cancellationToken);
            var outcome = await sink.AcceptAsync(message, cancellationToken);
            await commitWindow(cancellationToken);
            switch (outcome)
            {
                case InboundOutcome.Accepted:
                    accepted++;
                    if (options.Value.MarkAsRead)
                    {
                        readReceipts.Enqueue(message.ProviderMessageId);
                    }

                    break;
                case InboundOutcome.Duplicate:
                    duplicates++;
                    break;
                default:
                    limited++;
                    break;
            }
        }

        return new WhatsAppInboundResult(accepted, duplicates, limited, batch.Statuses.Count, batch.Ignored.Count + foreign);
    }
}

internal static partial class InboundLog
{
    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "WhatsApp webhook part ignored: {Reason}")]
    public static partial void Ignored(ILogger logger, string reason);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "WhatsApp message {MessageId} to {Guest} failed (codes {Codes})")]
    public static partial void StatusFailed(ILogger logger, string messageId, string guest, string codes);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Debug, Message = "WhatsApp message {MessageId} is {Status}")]
    public static partial void Status(ILogger logger, string messageId, string status);

    [LoggerMessage(EventId = 6210, Level = LogLevel.Warning, Message = "WhatsApp message {MessageId} ignored: it was sent to phone number id {PhoneNumberId}, this app serves {Served}")]
    public static partial void ForeignNumber(ILogger logger, string messageId, string phoneNumberId, string served);

    [LoggerMessage(EventId = 6209, Level = LogLevel.Debug, Message = "WhatsApp send {Key} confirmed by status {Status} of {MessageId}")]
    public static partial void SendConfirmed(ILogger logger, string key, string messageId, string status);
}
