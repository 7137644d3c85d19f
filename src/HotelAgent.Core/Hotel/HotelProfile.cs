using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotelAgent.Core.Hotel;

/// <summary>
/// Everything the receptionist may say about the hotel, and the seed of the embedded PMS.
/// Loaded from JSON (<c>HotelAgent__HotelProfilePath</c>) or the embedded sample hotel.
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
    public required string Pets { get; init; }
    public required string Payment { get; init; }
    public string? Smoking { get; init; }
}

/// <summary>An amenity, keyed by the NLU's canonical amenity code (piscina, gimnasio, wifi, ...).</summary>
public sealed record HotelAmenity(string Code, string Description, string? Hours = null, decimal? Price = null);

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
}
