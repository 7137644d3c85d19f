using System.ComponentModel.DataAnnotations;

namespace HotelAgent.Core.Nlu;

/// <summary>Parses one guest utterance into an intent with confidence and entities.</summary>
public interface INluEngine
{
    /// <summary>Classifies <paramref name="text"/> and extracts entities; relative dates resolve against <paramref name="today"/>.</summary>
    NluResult Parse(string text, DateOnly today);
}

/// <summary>One scored intent.</summary>
public sealed record IntentScore(string Intent, double Confidence);

/// <summary>The understanding of one utterance.</summary>
public sealed record NluResult
{
    public required string Text { get; init; }
    public required string Intent { get; init; }
    /// <summary>Calibrated probability of <see cref="Intent"/> (softmax output), 0..1.</summary>
    public required double Confidence { get; init; }
    /// <summary>Top 3 intents, best first (the first is <see cref="Intent"/>).</summary>
    public required IReadOnlyList<IntentScore> Alternatives { get; init; }
    public required NluEntities Entities { get; init; }
    /// <summary>"es" or "en".</summary>
    public required string Language { get; init; }
    /// <summary>-1 (very negative: insults, complaints) .. 1 (very positive).</summary>
    public required double Sentiment { get; init; }
    /// <summary>"offline" or "llm" (who decided the intent).</summary>
    public string Source { get; init; } = "offline";
}

/// <summary>Entities found in an utterance. Entity names in JSON are a public contract (check_in, check_out, guests, nights, room_type, amenities).</summary>
public sealed record NluEntities
{
    public static NluEntities Empty { get; } = new();

    public DateOnly? CheckIn { get; init; }
    public DateOnly? CheckOut { get; init; }
    public int? Guests { get; init; }
    public int? Nights { get; init; }
    /// <summary>Canonical: simple, doble, triple, familiar, suite, ejecutiva.</summary>
    public string? RoomType { get; init; }
    /// <summary>Canonical amenity names in order of mention (see <see cref="NluLabels.Amenities"/>).</summary>
    public IReadOnlyList<string> Amenities { get; init; } = [];
    /// <summary>A booking code the guest quoted ("HA-7K2M9Q", "AB12CD", "reserva 45872").</summary>
    public string? BookingReference { get; init; }
    public string? Email { get; init; }
    /// <summary>"me llamo Juan Pérez", "a nombre de ...", "my name is ...".</summary>
    public string? PersonName { get; init; }
    /// <summary>1-based choice from a menu: "la 2", "la segunda", "option 1".</summary>
    public int? OptionNumber { get; init; }
}

/// <summary>What the dialog should do with a confidence value.</summary>
public enum ConfidenceBand
{
    /// <summary>Confident: act on the intent.</summary>
    Act,
    /// <summary>Unsure: ask a clarification (menu of likely intents).</summary>
    Clarify,
    /// <summary>Not understood: fallback reply; counts toward human handoff.</summary>
    Fallback,
}

/// <summary>Confidence policy (configuration section <c>Nlu</c>).</summary>
public sealed class NluOptions
{
    public const string SectionName = "Nlu";

    /// <summary>At or above: act (<c>Nlu__ActThreshold</c>).</summary>
    [Range(0.0, 1.0)]
    public double ActThreshold { get; set; } = 0.75;

    /// <summary>At or above (and below ActThreshold): clarify; below: fallback (<c>Nlu__ClarifyThreshold</c>).</summary>
    [Range(0.0, 1.0)]
    public double ClarifyThreshold { get; set; } = 0.40;

    /// <summary>Upper bound for the optional LLM second opinion (<c>Nlu__LlmTimeoutSeconds</c>).</summary>
    [Range(1, 120)]
    public int LlmTimeoutSeconds { get; set; } = 8;

    public ConfidenceBand Classify(double confidence) =>
        confidence >= ActThreshold ? ConfidenceBand.Act
        : confidence >= ClarifyThreshold ? ConfidenceBand.Clarify
        : ConfidenceBand.Fallback;
}

/// <summary>The public label sets (a contract with the dialog and the CLI).</summary>
public static class NluLabels
{
    public const string CheckAvailability = "check_availability";
    public const string MakeReservation = "make_reservation";
    public const string CancelReservation = "cancel_reservation";
    public const string ModifyReservation = "modify_reservation";
    public const string CheckReservation = "check_reservation";
    public const string AskPrice = "ask_price";
    public const string AskRoomTypes = "ask_room_types";
    public const string AskAmenities = "ask_amenities";
    public const string AskLocation = "ask_location";
    public const string AskPolicies = "ask_policies";
    public const string Greeting = "greeting";
    public const string Goodbye = "goodbye";
    public const string Affirm = "affirm";
    public const string Deny = "deny";
    public const string Help = "help";
    public const string RequestHuman = "request_human";
    public const string OutOfScope = "out_of_scope";

    /// <summary>All intents, in a fixed order.</summary>
    public static IReadOnlyList<string> Intents { get; } =
    [
        CheckAvailability, MakeReservation, CancelReservation, ModifyReservation, CheckReservation, AskPrice,
        AskRoomTypes, AskAmenities, AskLocation, AskPolicies, Greeting, Goodbye, Affirm, Deny, Help, RequestHuman, OutOfScope,
    ];

    /// <summary>Canonical room types.</summary>
    public static IReadOnlyList<string> RoomTypes { get; } = ["simple", "doble", "triple", "familiar", "suite", "ejecutiva"];

    /// <summary>Canonical amenities.</summary>
    public static IReadOnlyList<string> Amenities { get; } =
    [
        "piscina", "gimnasio", "wifi", "desayuno", "estacionamiento", "spa", "restaurante", "bar", "aire_acondicionado",
        "mascotas", "traslado_aeropuerto", "lavanderia", "room_service", "accesibilidad", "recepcion_24h", "caja_fuerte",
    ];

    public static bool IsIntent(string? label) => label is not null && Intents.Contains(label, StringComparer.Ordinal);
}
