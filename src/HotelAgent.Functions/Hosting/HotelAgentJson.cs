using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotelAgent.Functions.Hosting;

/// <summary>JSON conventions of HotelAgent's own HTTP APIs (camelCase, enums as strings).</summary>
public static class HotelAgentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Spanish names and text stay readable for staff tools; responses are JSON, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
