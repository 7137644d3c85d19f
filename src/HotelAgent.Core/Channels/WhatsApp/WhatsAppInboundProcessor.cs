using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>What happened to one webhook batch.</summary>
public sealed record WhatsAppInboundResult(int Accepted, int Duplicates, int RateLimited, int Statuses, int Ignored);

/// <summary>
/// The inbound path after the webhook was verified and parsed, in order for each message: exactly-once gate
/// (<see cref="ProcessedMessageStore"/>, recorded before processing) → customer-service window → per-guest rate limit
/// (one polite notice, then silence) → <see cref="IInboundMessageSink"/> → best-effort read receipt (queued, sent in
/// the background by <see cref="WhatsAppReadReceipts"/> so the webhook answers without another Graph round trip).
/// Statuses are recorded in <see cref="DeliveryStatusStore"/> and logged (failed ones as warnings with Meta's error codes), never answered;
/// a sent / delivered / read status carrying <c>biz_opaque_callback_data</c> (our idempotency key) confirms that send in
/// <see cref="SentMessageStore"/>, so a sender restarted after a kill does not send it again.
/// </summary>
public sealed class WhatsAppInboundProcessor(
    ProcessedMessageStore processed,
    DeliveryStatusStore statusStore,
    SentMessageStore sentStore,
    ICustomerServiceWindow window,
    GuestRateLimiter rateLimiter,
    IInboundMessageSink sink,
    WhatsAppCloudClient client,
    WhatsAppReadReceipts readReceipts,
    Microsoft.Extensions.Options.IOptions<WhatsAppOptions> options,
    ILogger<WhatsAppInboundProcessor> logger)
{
    /// <summary>The notice sent once when a guest exceeds the rate limit.</summary>
    public const string RateLimitNotice = "Recibimos varios mensajes tuyos seguidos 🙏 Dame un momento y te respondo enseguida.";

    public async Task<WhatsAppInboundResult> ProcessAsync(WhatsAppWebhookBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int accepted = 0, duplicates = 0, limited = 0;

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

        foreach (var message in batch.Messages)
        {
            if (!await processed.TryRecordAsync(Channel.WhatsApp, message.ProviderMessageId, cancellationToken))
            {
                duplicates++;
                InboundLog.Duplicate(logger, message.ProviderMessageId);
                continue;
            }

            await window.RecordInboundAsync(message.GuestId, message.Timestamp, cancellationToken);

            switch (rateLimiter.Acquire(Channel.WhatsApp, message.GuestId))
            {
                case RateLimitDecision.Allowed:
                    try
                    {
                        await sink.AcceptAsync(message, cancellationToken);
                    }
                    catch
                    {
                        // Not handed on: forget the id so a retry of this delivery (queue, Meta) processes it.
                        await processed.ForgetAsync(Channel.WhatsApp, message.ProviderMessageId, CancellationToken.None);
                        throw;
                    }

                    await processed.CompleteAsync(Channel.WhatsApp, message.ProviderMessageId, CancellationToken.None);
                    accepted++;
                    InboundLog.Accepted(logger, message.ProviderMessageId, message.Kind, PiiMask.Contact(message.GuestId));
                    if (options.Value.MarkAsRead)
                    {
                        readReceipts.Enqueue(message.ProviderMessageId);
                    }

                    break;

                case RateLimitDecision.LimitedNotify:
                    limited++;
                    InboundLog.RateLimited(logger, PiiMask.Contact(message.GuestId), true);
                    await TrySendNoticeAsync(message, cancellationToken);
                    await processed.CompleteAsync(Channel.WhatsApp, message.ProviderMessageId, CancellationToken.None);
                    break;

                default:
                    await processed.CompleteAsync(Channel.WhatsApp, message.ProviderMessageId, CancellationToken.None);
                    limited++;
                    InboundLog.RateLimited(logger, PiiMask.Contact(message.GuestId), false);
                    break;
            }
        }

        return new WhatsAppInboundResult(accepted, duplicates, limited, batch.Statuses.Count, batch.Ignored.Count);
    }

    private async Task TrySendNoticeAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendAsync(
                new OutboundMessage(Channel.WhatsApp, message.GuestId, new Reply(RateLimitNotice), message.ProviderMessageId + ":rate-limit"),
                cancellationToken);
        }
        catch (Exception ex) when (ex is WhatsAppApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            InboundLog.NoticeFailed(logger, PiiMask.Contact(message.GuestId), ex.GetType().Name);
        }
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

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "WhatsApp message {MessageId} already processed; redelivery ignored")]
    public static partial void Duplicate(ILogger logger, string messageId);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Information, Message = "WhatsApp message {MessageId} ({Kind}) from {Guest} accepted")]
    public static partial void Accepted(ILogger logger, string messageId, InboundKind kind, string guest);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Warning, Message = "Guest {Guest} rate limited (notice sent: {Notified})")]
    public static partial void RateLimited(ILogger logger, string guest, bool notified);

    [LoggerMessage(EventId = 6209, Level = LogLevel.Debug, Message = "WhatsApp send {Key} confirmed by status {Status} of {MessageId}")]
    public static partial void SendConfirmed(ILogger logger, string key, string messageId, string status);

    [LoggerMessage(EventId = 6207, Level = LogLevel.Warning, Message = "Could not send the rate-limit notice to {Guest} ({Error})")]
    public static partial void NoticeFailed(ILogger logger, string guest, string error);
}
