using HotelAgent.Core.Hotel;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Conversation;

/// <summary>The first, simple reply policy: a warm Spanish greeting that introduces the hotel by name.</summary>
public sealed class GreetingReplyPolicy(HotelProfile hotel)
{
    public Reply Reply(InboundMessage message)
    {
        var firstName = message.DisplayName?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var hello = string.IsNullOrEmpty(firstName) ? "¡Hola!" : $"¡Hola, {firstName}!";
        return new Reply($"{hello} 👋 Soy el asistente virtual de {hotel.Name}. ¿En qué te puedo ayudar?");
    }
}
