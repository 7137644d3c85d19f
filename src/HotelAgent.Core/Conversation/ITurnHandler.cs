using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Conversation;

/// <summary>Delivers a guest message into that guest's conversation (which replies on the guest's channel).</summary>
public interface IConversationGateway
{
    Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken);
}
