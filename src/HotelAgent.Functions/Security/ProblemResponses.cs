using System.Text.Json;

namespace HotelAgent.Functions.Security;

/// <summary>
/// RFC 9457 problem details written the same way in every environment: a status, a title and a short detail we chose,
/// never an exception, a stack trace or the request's headers.
/// </summary>
public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static string Json(int status, string title, string? detail = null, string? traceId = null) =>
        JsonSerializer.Serialize(new ProblemBody(title, status, detail, traceId), ProblemJson.Default.ProblemBody);

    public static async Task WriteAsync(HttpContext http, int status, string title, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType;
        await http.Response.WriteAsync(Json(status, title, detail, http.TraceIdentifier), http.RequestAborted);
    }

    /// <summary>As an <see cref="IResult"/> for minimal-API endpoints.</summary>
    public static IResult Result(int status, string title, string? detail = null) =>
        Results.Text(Json(status, title, detail), ContentType, System.Text.Encoding.UTF8, status);
}

internal sealed record ProblemBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("title")] string Title,
    [property: System.Text.Json.Serialization.JsonPropertyName("status")] int Status,
    [property: System.Text.Json.Serialization.JsonPropertyName("detail"), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: System.Text.Json.Serialization.JsonPropertyName("traceId"), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? TraceId);

[System.Text.Json.Serialization.JsonSerializable(typeof(ProblemBody))]
internal sealed partial class ProblemJson : System.Text.Json.Serialization.JsonSerializerContext;
