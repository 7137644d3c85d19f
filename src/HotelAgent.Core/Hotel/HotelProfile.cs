using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotelAgent.Core.Hotel;

/// <summary>
/// Everything the receptionist may say about the hotel, and the seed of the embedded PMS.
/// Loaded from JSON (<c>HotelAgent__HotelProfilePath</c>) or the embedded sample hotel.
/// Guest-facing texts are written in the hotel's language (Spanish) in the plain properties, and in English in the
/// optional <c>en</c> object next to them (same property names); English guests get the English text when there is one.
/// </summary>
public sealed record HotelProfile
{
    public required string Name { get; init; }
    public required string Address { get; init; }
    public required string City { get; init; }
    public required string Country { get; init; }
    public required string Phone { get; init; }
    public required string Email { get; init; }
    public string? MapUrl { get; init; }
    public string? Directions { get; init; }

    /// <summary>Neighbourhood or short area name ("Palermo Soho"), used in short location answers.</summary>
    public string? Area { get; init; }

    /// <summary>ISO 4217 code used for all prices (e.g. ARS, USD).</summary>
    public required string Currency { get; init; }

    /// <summary>Culture used to format prices and dates for guests (e.g. es-AR).</summary>
    public string Culture { get; init; } = "es-AR";

    /// <summary>IANA time zone of the hotel; "today" for date understanding is computed here.</summary>
    public string TimeZone { get; init; } = "America/Argentina/Buenos_Aires";

    /// <summary>What the web chat page shows guests (greeting); optional, with defaults built from <see cref="Name"/>.</summary>
    public WebChatProfile? WebChat { get; init; }

    public required HotelPolicies Policies { get; init; }
    public IReadOnlyList<HotelAmenity> Amenities { get; init; } = [];
    public IReadOnlyList<RoomTypeProfile> RoomTypes { get; init; } = [];

    /// <summary>Other facts guests ask about (luggage storage, early check-in, towels...), found by keywords.</summary>
    public IReadOnlyList<HotelFact> Facts { get; init; } = [];

    /// <summary>English texts of the hotel-level fields.</summary>
    public HotelProfileText? En { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static HotelProfile Parse(string json) =>
        JsonSerializer.Deserialize<HotelProfile>(json, JsonOptions)
        ?? throw new InvalidDataException("The hotel profile JSON is empty.");

    /// <summary>Loads the profile from <paramref name="path"/>, or the embedded sample hotel when no path is given.</summary>
    public static HotelProfile Load(string? path)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            return Parse(File.ReadAllText(path));
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("HotelAgent.Core.Hotel.sample-hotel.json")
            ?? throw new InvalidOperationException("The embedded sample hotel is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Directions in the guest's language ("es" or "en"; English falls back to the hotel's text).</summary>
    public string? DirectionsFor(string language) => IsEnglish(language) ? En?.Directions ?? Directions : Directions;

    internal static bool IsEnglish(string? language) => string.Equals(language, "en", StringComparison.Ordinal);
}

/// <summary>English versions of the hotel-level texts.</summary>
public sealed record HotelProfileText
{
    public string? Directions { get; init; }
}

public sealed record HotelPolicies
{
    /// <summary>Check-in from this local time, "HH:mm".</summary>
    public required string CheckInTime { get; init; }

    /// <summary>Check-out until this local time, "HH:mm".</summary>
    public required string CheckOutTime { get; init; }

    public required string Cancellation { get; init; }

    /// <summary>Free cancellation until this many hours before check-in (used to state the policy on cancel).</summary>
    public int FreeCancellationHours { get; init; } = 48;

    public required string Children { get; init; }

    /// <summary>
    /// Children younger than this (years) are infants: they share the parents' bed (crib on request), stay free and do not
    /// count toward room capacity. What the children policy text says, as data the dialog can count with.
    /// </summary>
    public int InfantsUnderAge { get; init; } = 3;

    public required string Pets { get; init; }
    public required string Payment { get; init; }
    public string? Smoking { get; init; }

    /// <summary>English texts of the policies.</summary>
    public HotelPoliciesText? En { get; init; }

    public string CancellationFor(string language) => HotelProfile.IsEnglish(language) ? En?.Cancellation ?? Cancellation : Cancellation;

    public string ChildrenFor(string language) => HotelProfile.IsEnglish(language) ? En?.Children ?? Children : Children;

    public string PetsFor(string language) => HotelProfile.IsEnglish(language) ? En?.Pets ?? Pets : Pets;

    public string PaymentFor(string language) => HotelProfile.IsEnglish(language) ? En?.Payment ?? Payment : Payment;

    public string? SmokingFor(string language) => HotelProfile.IsEnglish(language) ? En?.Smoking ?? Smoking : Smoking;
}

public sealed record HotelPoliciesText
{
    public string? Cancellation { get; init; }
    public string? Children { get; init; }
    public string? Pets { get; init; }
    public string? Payment { get; init; }
    public string? Smoking { get; init; }
}

/// <summary>An amenity, keyed by the NLU's canonical amenity code (piscina, gimnasio, wifi, ...).</summary>
/// <param name="Code">Canonical amenity code.</param>
/// <param name="Description">What it is, in the hotel's language.</param>
/// <param name="Hours">Opening hours, if any.</param>
/// <param name="Price">Extra charge, if any (in the hotel's currency).</param>
public sealed record HotelAmenity(string Code, string Description, string? Hours = null, decimal? Price = null)
{
    /// <summary>True when it comes with every room rate (breakfast, Wi-Fi): "is breakfast included?" gets a plain yes.</summary>
    public bool Included { get; init; }

    /// <summary>English texts.</summary>
    public HotelAmenityText? En { get; init; }

    public string DescriptionFor(string language) => HotelProfile.IsEnglish(language) ? En?.Description ?? Description : Description;

    public string? HoursFor(string language) => HotelProfile.IsEnglish(language) ? En?.Hours ?? Hours : Hours;
}

public sealed record HotelAmenityText
{
    public string? Description { get; init; }
    public string? Hours { get; init; }
}

/// <summary>A room type, keyed by the NLU's canonical room type (simple, doble, triple, familiar, suite, ejecutiva).</summary>
public sealed record RoomTypeProfile
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required int Capacity { get; init; }

    /// <summary>How many rooms of this type the hotel has.</summary>
    public required int Inventory { get; init; }

    public required decimal NightlyRate { get; init; }

    /// <summary>What the rate includes (e.g. "desayuno buffet", "wifi").</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];

    /// <summary>Features of this room that guests ask about by amenity code ("spa" → the suite's hydromassage tub).</summary>
    public IReadOnlyList<RoomFeature> Features { get; init; } = [];

    /// <summary>English texts.</summary>
    public RoomTypeText? En { get; init; }

    public string NameFor(string language) => HotelProfile.IsEnglish(language) ? En?.Name ?? Name : Name;

    public string DescriptionFor(string language) => HotelProfile.IsEnglish(language) ? En?.Description ?? Description : Description;

    public IReadOnlyList<string> IncludesFor(string language) =>
        HotelProfile.IsEnglish(language) && En?.Includes is { Count: > 0 } en ? en : Includes;
}

public sealed record RoomTypeText
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Includes { get; init; }
}

/// <summary>A room feature answering an amenity question about that room.</summary>
/// <param name="Amenity">Canonical amenity code it answers (e.g. "spa" for a jacuzzi).</param>
/// <param name="Text">How to name it, in the hotel's language ("hidromasaje").</param>
public sealed record RoomFeature(string Amenity, string Text)
{
    public HotelText? En { get; init; }

    public string TextFor(string language) => HotelProfile.IsEnglish(language) ? En?.Text ?? Text : Text;
}

public sealed record HotelText
{
    public string? Text { get; init; }
}

/// <summary>
/// A fact of the hotel that is not an amenity or a policy ("¿puedo dejar las valijas?"): found when a message contains one of
/// its keywords (normalized: lower case, no accents; a trailing * matches any ending), answered with its text.
/// </summary>
public sealed record HotelFact
{
    /// <summary>Short id ("luggage"): repeated answers and staff notices refer to it.</summary>
    public required string Topic { get; init; }

    /// <summary>Spanish and English keywords, e.g. "valija*", "equipaje", "luggage".</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    public required string Answer { get; init; }

    public HotelFactText? En { get; init; }

    public string AnswerFor(string language) => HotelProfile.IsEnglish(language) ? En?.Answer ?? Answer : Answer;
}

public sealed record HotelFactText
{
    public string? Answer { get; init; }
}
