namespace HotelAgent.Core.Hotel;

/// <summary>
/// The hotel's web chat page texts: the greeting in the hotel's language, and in English in the optional <c>en</c>
/// object (the profile's convention for guest-facing texts). Missing texts fall back to a greeting with the hotel's name.
/// </summary>
public sealed record WebChatProfile
{
    public string? Greeting { get; init; }

    public WebChatProfileText? En { get; init; }

    /// <summary>The greeting of <paramref name="hotel"/> in <paramref name="language"/> ("es" or "en").</summary>
    public static string GreetingFor(HotelProfile hotel, string language)
    {
        ArgumentNullException.ThrowIfNull(hotel);
        return string.Equals(language, "en", StringComparison.Ordinal)
            ? hotel.WebChat?.En?.Greeting ?? $"Hi! 👋 Welcome to {hotel.Name}. Ask me about availability and prices, book a room, or ask anything about the hotel."
            : hotel.WebChat?.Greeting ?? $"¡Hola! 👋 Te damos la bienvenida a {hotel.Name}. Consultame disponibilidad y precios, reservá tu habitación o preguntame lo que quieras del hotel.";
    }
}

public sealed record WebChatProfileText
{
    public string? Greeting { get; init; }
}
