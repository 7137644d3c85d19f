using System.Globalization;
using System.Text.Json;

namespace HotelAgent.Core.Pms.QloApps;

/// <summary>Tolerant readers for PrestaShop/QloApps JSON, where numbers often arrive as strings and empty lists as [] or {}.</summary>
internal static class QloAppsJson
{
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is not JsonValueKind.Null ? v : null;

    public static string? Str(this JsonElement e, string name)
    {
        var v = e.Prop(name);
        return v switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
            { ValueKind: JsonValueKind.Array } a => LanguageValue(a),
            { ValueKind: JsonValueKind.True } => "1",
            { ValueKind: JsonValueKind.False } => "0",
            _ => null,
        };
    }

    public static int Int(this JsonElement e, string name, int fallback = 0) =>
        int.TryParse(e.Str(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
        : decimal.TryParse(e.Str(name), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? (int)d : fallback;

    public static decimal? Dec(this JsonElement e, string name) =>
        decimal.TryParse(e.Str(name), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static DateOnly? Date(this JsonElement e, string name)
    {
        var s = e.Str(name);
        return s is { Length: >= 10 } && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    /// <summary>Items of a list that PHP may have encoded as an array or (keyed by id) as an object.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement? e) => e switch
    {
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray(),
        { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Select(p => p.Value),
        _ => [],
    };

    public static int Count(this JsonElement? e) => e.Items().Count();

    /// <summary>A multi-language field: [{"id":"1","value":"Deluxe"}] → the first value.</summary>
    private static string? LanguageValue(JsonElement array)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String)
            {
                return v.GetString();
            }
        }

        return null;
    }
}
