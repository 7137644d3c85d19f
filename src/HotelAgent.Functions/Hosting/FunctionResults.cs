using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace HotelAgent.Functions.Hosting;

/// <summary>HTTP results of the functions (the same <see cref="IActionResult"/>s under the Functions host and on Kestrel).</summary>
public static class FunctionResults
{
    public static ContentResult Text(int status, string body) =>
        new() { StatusCode = status, Content = body, ContentType = "text/plain; charset=utf-8" };

    public static ContentResult Json<T>(int status, T value) =>
        new() { StatusCode = status, Content = JsonSerializer.Serialize(value, HotelAgentJson.Options), ContentType = "application/json; charset=utf-8" };

    public static ContentResult Problem(int status, string title, string detail) => Json(status, new { title, status, detail });

    /// <summary>The raw request body (signatures are verified over these exact bytes).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
