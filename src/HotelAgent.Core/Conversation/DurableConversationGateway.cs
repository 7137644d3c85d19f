using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Nlu;
using HotelAgent.Core.Orchestration;

namespace HotelAgent.Core.Conversation;

/// <summary>
/// Delivers a guest message to the guest's conversation orchestration: start-or-raise on the instance id derived
/// from channel + guest, so a guest's first message starts it and every later one is an external event. When the
/// offline NLU is final for the text, the event carries that understanding (see <see cref="ConversationEvent.Understanding"/>).
/// </summary>
public sealed class DurableConversationGateway(IDurableClient client, IIntentUnderstanding understanding, HotelProfile hotel, TimeProvider time)
    : IConversationGateway
{
    public async Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var input = new ConversationInput { ConversationId = message.ConversationId, Channel = message.Channel, GuestId = message.GuestId };
        await client.StartOrRaiseAsync(
            ConversationOrchestrator.Name,
            message.ConversationId,
            ConversationEvent.Name,
            OrchestrationJson.Serialize(ConversationEvent.Guest(message, PreUnderstand(message))),
            OrchestrationJson.Serialize(input),
            cancellationToken);
    }

    private PreUnderstanding? PreUnderstand(InboundMessage message)
    {
        // The same text the dialog will understand (the button id when a button reply has no title).
        var text = string.IsNullOrWhiteSpace(message.Text) ? message.ReplyId : message.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var today = HotelClock.Today(hotel, time.GetUtcNow().UtcDateTime);
        return understanding.TryUnderstandOffline(text, today, out var result) ? new PreUnderstanding(text, today, result) : null;
    }
}
