using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Conversation;

/// <summary>Sends the text reply on the guest's channel; voice notes are queued by <see cref="IVoiceReplyQueue"/> when available.</summary>
public sealed class ReplyDispatcher(IEnumerable<IChannelSender> senders, IEnumerable<IVoiceReplyQueue> voice) : IReplyDispatcher
{
    public async Task DispatchAsync(SendReplyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sender = senders.FirstOrDefault(s => s.Channel == request.Message.Channel)
            ?? throw new InvalidOperationException($"No sender is registered for channel {request.Message.Channel}.");

        // The text always goes out: it is the fallback when synthesis fails.
        await sender.SendAsync(request.Message, cancellationToken);
        if (request.AlsoVoice && voice.FirstOrDefault() is { } queue)
        {
            await queue.EnqueueAsync(request, cancellationToken);
        }
    }
}

/// <summary>Queues a spoken version of a reply (the audio pipeline implements it).</summary>
public interface IVoiceReplyQueue
{
    Task EnqueueAsync(SendReplyRequest request, CancellationToken cancellationToken);
}
