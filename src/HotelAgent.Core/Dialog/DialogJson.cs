using System.Text.Json;

namespace HotelAgent.Core.Dialog;

/// <summary>The JSON settings the dialog types are designed for (System.Text.Json web defaults; enums by name via attributes).</summary>
public static class DialogJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize(DialogState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>Reads a persisted state; null or empty input is a new conversation.</summary>
    public static DialogState Deserialize(string? json) =>
        string.IsNullOrWhiteSpace(json) ? DialogState.New : JsonSerializer.Deserialize<DialogState>(json, Options) ?? DialogState.New;
}
