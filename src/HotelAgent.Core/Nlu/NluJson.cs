using System.Globalization;
using System.Text.Json;

namespace HotelAgent.Core.Nlu;

/// <summary>The JSON contract of the CLI and the held-out set: snake_case entity names, ISO dates, null/empty when absent.</summary>
public static class NluJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One line: {"text","intent","confidence","entities":{"check_in","check_out","guests","nights","room_type","amenities"}}.</summary>
    public static string ToJsonLine(NluResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("text", result.Text);
            w.WriteString("intent", result.Intent);
            w.WriteNumber("confidence", Math.Round(result.Confidence, 4));
            w.WritePropertyName("entities");
            WriteEntities(w, result.Entities);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    public static void WriteEntities(Utf8JsonWriter w, NluEntities e)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(e);
        w.WriteStartObject();
        WriteDate(w, "check_in", e.CheckIn);
        WriteDate(w, "check_out", e.CheckOut);
        WriteInt(w, "guests", e.Guests);
        WriteInt(w, "nights", e.Nights);
        if (e.RoomType is null)
            w.WriteNull("room_type");
        else
            w.WriteString("room_type", e.RoomType);
        w.WriteStartArray("amenities");
        foreach (var a in e.Amenities)
            w.WriteStringValue(a);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static NluEntities ReadEntities(JsonElement e)
    {
        return new NluEntities
        {
            CheckIn = ReadDate(e, "check_in"),
            CheckOut = ReadDate(e, "check_out"),
            Guests = ReadInt(e, "guests"),
            Nights = ReadInt(e, "nights"),
            RoomType = e.TryGetProperty("room_type", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null,
            Amenities = e.TryGetProperty("amenities", out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray()
                : [],
        };
    }

    /// <summary>True when the six contract entities are equal (amenities compared as sets).</summary>
    public static bool ContractEntitiesEqual(NluEntities expected, NluEntities actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        return expected.CheckIn == actual.CheckIn && expected.CheckOut == actual.CheckOut
            && expected.Guests == actual.Guests && expected.Nights == actual.Nights
            && string.Equals(expected.RoomType, actual.RoomType, StringComparison.Ordinal)
            && expected.Amenities.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(actual.Amenities.OrderBy(x => x, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static void WriteDate(Utf8JsonWriter w, string name, DateOnly? d)
    {
        if (d is null)
            w.WriteNull(name);
        else
            w.WriteString(name, d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static void WriteInt(Utf8JsonWriter w, string name, int? v)
    {
        if (v is null)
            w.WriteNull(name);
        else
            w.WriteNumber(name, v.Value);
    }

    private static DateOnly? ReadDate(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? DateOnly.ParseExact(v.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static int? ReadInt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
