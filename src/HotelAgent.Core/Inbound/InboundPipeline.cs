using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Conversation;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Analytics;
using HotelAgent.Core.Observability;
using HotelAgent.Core.Security;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Inbound;

/// <summary>
/// The single entry of guest messages (WhatsApp, email, web chat, transcribed voice notes), in order:
/// exactly-once gate (provider message id recorded before processing; a redelivery is dropped, also across
/// restarts) → text and name cut to <see cref="InputLimits"/> → per-guest rate limit (one polite notice, then silence) → voice notes to the transcription
/// queue → the guest's conversation. If delivery fails the id is released so the provider's retry is processed.
/// </summary>
public sealed partial class InboundPipeline(
    IProcessedMessageStore processed,
    IGuestRateLimiter rateLimiter,
    IConversationGateway conversations,
    IEnumerable<IChannelSender> senders,
    IEnumerable<IVoiceNoteIntake> voiceIntake,
    IInteractionRecorder interactions,
    TimeProvider time,
    ILogger<InboundPipeline> logger) : IInboundMessageSink
{
    public const string RateLimitNotice = "Recibimos varios mensajes tuyos seguidos 🙏 Dame un momento y te respondo enseguida.";

    public async Task<InboundOutcome> AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Understood and stored at most InputLimits.MaxMessageChars: a huge text is cut, never dropped.
        message = InputLimits.Bound(message);
        using var scope = logger.BeginMessageScope(message);

        // Transcripts re-enter with the voice note's id: they are gated under their own key so queue retries stay exactly-once.
        var key = message.IsVoice ? message.ProviderMessageId + "#transcript" : message.ProviderMessageId;
        if (!await processed.TryRecordAsync(message.Channel, key, cancellationToken))
        {
            LogDuplicate(logger, message.Channel, message.ProviderMessageId);
            await RecordAsync(message, InteractionOutcomes.Duplicate, cancellationToken);
            return InboundOutcome.Duplicate;
        }

        try
        {
            if (!message.IsVoice)
            {
                var decision = await rateLimiter.AcquireAsync(message.Channel, message.GuestId, cancellationToken);
                if (decision != RateLimitDecision.Allowed)
                {
                    await RecordAsync(message, InteractionOutcomes.RateLimited, cancellationToken);
                    LogRateLimited(logger, PiiMask.Contact(message.GuestId), decision == RateLimitDecision.LimitedNotify);
                    if (decision == RateLimitDecision.LimitedNotify)
                    {
                        await TrySendNoticeAsync(message, cancellationToken);
                    }

                    await processed.CompleteAsync(message.Channel, key, CancellationToken.None);
                    return InboundOutcome.RateLimited;
                }
            }

            if (message.Kind == InboundKind.Audio && !message.IsVoice && message.MediaId is not null && voiceIntake.FirstOrDefault() is { } intake)
            {
                await intake.EnqueueTranscriptionAsync(message, cancellationToken);
                await processed.CompleteAsync(message.Channel, key, CancellationToken.None);
                LogVoiceQueued(logger, message.ProviderMessageId);
                return InboundOutcome.Accepted;
            }

            await conversations.DeliverAsync(message, cancellationToken);

            // WhatsApp: off the webhook's ack path. The conversation drops a message id it already handled (and sends are
            // keyed), so the claim's completion may commit with the next channels.db write (the reply's send, ~100 ms at
            // most) instead of delaying Meta's 200; a kill in between leaves the claim pending and a redelivery is handed
            // on again and dropped there. Email and web chat wait for it: nobody waits on their ack, and the email
            // poller flags a mail seen only after this, counting a redelivery after a kill as a duplicate.
            if (message.Channel == Channel.WhatsApp)
            {
                await processed.CompleteDeferredAsync(message.Channel, key, CancellationToken.None);
            }
            else
            {
                await processed.CompleteAsync(message.Channel, key, CancellationToken.None);
            }
            LogAccepted(logger, message.Channel, message.Kind, PiiMask.Contact(message.GuestId));
            return InboundOutcome.Accepted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never lose a valid message: forget the id so the provider's redelivery is processed.
            await processed.ForgetAsync(message.Channel, key, CancellationToken.None);
            LogDeliveryFailed(logger, ex, message.Channel, message.ProviderMessageId);
            throw;
        }
    }

    /// <summary>Dropped and refused messages count in the statistics and metrics too (best effort, no message body).</summary>
    private Task RecordAsync(InboundMessage message, string outcome, CancellationToken cancellationToken) =>
        interactions.RecordAsync(new InteractionRecord(time.GetUtcNow(), message.ConversationId, message.Channel, null, 0, outcome, 0), cancellationToken);

    /// <summary>The rate-limit notice is a courtesy: failing to send it must not fail (and so redeliver) the message.</summary>
    private async Task TrySendNoticeAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(message, new Reply(RateLimitNotice), ":rate-limit", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNoticeFailed(logger, PiiMask.Contact(message.GuestId), ex.GetType().Name);
        }
    }

    private Task SendAsync(InboundMessage message, Reply reply, string keySuffix, CancellationToken cancellationToken)
    {
        var sender = senders.FirstOrDefault(s => s.Channel == message.Channel);
        return sender is null
            ? Task.CompletedTask
            : sender.SendAsync(new OutboundMessage(message.Channel, message.GuestId, reply, message.ProviderMessageId + keySuffix) { ChannelContext = message.ChannelContext }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {Channel} message {MessageId} ignored")]
    private static partial void LogDuplicate(ILogger logger, Channel channel, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Guest {Guest} rate limited (notice sent: {Notified})")]
    private static partial void LogRateLimited(ILogger logger, string guest, bool notified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the rate-limit notice to {Guest} ({Error})")]
    private static partial void LogNoticeFailed(ILogger logger, string guest, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Voice note {MessageId} queued for transcription")]
    private static partial void LogVoiceQueued(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel} {Kind} message from {Guest} delivered to the conversation")]
    private static partial void LogAccepted(ILogger logger, Channel channel, InboundKind kind, string guest);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering {Channel} message {MessageId} failed; it will be processed on redelivery")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, Channel channel, string messageId);
}

/// <summary>Puts a voice note on the transcription queue (the audio pipeline implements it).</summary>
public interface IVoiceNoteIntake
{
    Task EnqueueTranscriptionAsync(InboundMessage voiceNote, CancellationToken cancellationToken);
}
