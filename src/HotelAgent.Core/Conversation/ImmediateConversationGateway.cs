using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// Answers a message at once with the greeting policy (the foundation slice). The durable conversation
/// orchestration replaces it when registered.
/// </summary>
public sealed class ImmediateConversationGateway(GreetingReplyPolicy policy, IEnumerable<IChannelSender> senders) : IConversationGateway
{
    public async Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var sender = senders.FirstOrDefault(s => s.Channel == message.Channel)
            ?? throw new InvalidOperationException($"No sender is registered for channel {message.Channel}.");
        var reply = policy.Reply(message);
        await sender.SendAsync(
            new OutboundMessage(message.Channel, message.GuestId, reply, $"{message.ProviderMessageId}:0") { ChannelContext = message.ChannelContext },
            cancellationToken);
    }
}
