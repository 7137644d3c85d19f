using HotelAgent.Core.Messaging;
using HotelAgent.Core.Orchestration;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// Delivers a guest message to the guest's conversation orchestration: start-or-raise on the instance id derived
/// from channel + guest, so a guest's first message starts it and every later one is an external event.
/// </summary>
public sealed class DurableConversationGateway(IDurableClient client) : IConversationGateway
{
    public async Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var input = new ConversationInput { ConversationId = message.ConversationId, Channel = message.Channel, GuestId = message.GuestId };
        await client.StartOrRaiseAsync(
            ConversationOrchestrator.Name,
            message.ConversationId,
            ConversationEvent.Name,
            OrchestrationJson.Serialize(ConversationEvent.Guest(message)),
            OrchestrationJson.Serialize(input),
            cancellationToken);
    }
}
