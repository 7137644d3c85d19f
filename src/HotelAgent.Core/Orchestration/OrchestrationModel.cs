using System.Text.Json;
using Microsoft.DurableTask.Converters;

namespace HotelAgent.Core.Orchestration;

/// <summary>JSON conventions of the orchestration layer (System.Text.Json, web defaults), shared by worker and client.</summary>
public static class OrchestrationJson
{
    /// <summary>Web defaults; non-ASCII text (Spanish) is kept readable in custom status and history (never embedded in HTML).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The Durable Task data converter with <see cref="Options"/> (inputs, outputs, events, custom status).</summary>
    public static JsonDataConverter Converter { get; } = new(Options);

    public static string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static T? Deserialize<T>(string? json) =>
        string.IsNullOrWhiteSpace(json) ? default : JsonSerializer.Deserialize<T>(json, Options);
}
