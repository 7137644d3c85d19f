using System.Text;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// An HTTP request as a function sees it, whichever way it arrived (Kestrel standalone, or the
/// Functions host's <c>req</c> object in custom-handler mode). Function logic depends only on this.
/// </summary>
public sealed class FunctionHttpRequest
{
    public required string Method { get; init; }
    public required Uri Url { get; init; }
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    public IReadOnlyDictionary<string, string[]> Headers { get; init; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
    public IReadOnlyDictionary<string, string> RouteParams { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The raw body bytes (empty when there is no body). Signatures are verified over these.</summary>
    public ReadOnlyMemory<byte> Body { get; init; } = ReadOnlyMemory<byte>.Empty;

    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    public string? Header(string name) =>
        Headers.TryGetValue(name, out var values) && values.Length > 0 ? values[0] : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public string? Route(string name) => RouteParams.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An HTTP response a function returns; mapped to Kestrel or to the host's <c>res</c> output.</summary>
public sealed record FunctionHttpResponse(int StatusCode, string Body, string ContentType)
{
    public static FunctionHttpResponse Text(int status, string body) => new(status, body, "text/plain; charset=utf-8");

    public static FunctionHttpResponse Json(int status, string json) => new(status, json, "application/json; charset=utf-8");

    public static FunctionHttpResponse Json<T>(int status, T value) =>
        Json(status, System.Text.Json.JsonSerializer.Serialize(value, HotelAgentJson.Options));

    public static FunctionHttpResponse Problem(int status, string title, string detail) =>
        Json(status, new { title, status, detail });

    public static FunctionHttpResponse Empty(int status) => new(status, string.Empty, "text/plain; charset=utf-8");
}
