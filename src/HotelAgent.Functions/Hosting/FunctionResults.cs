using System.Text.Json;
using HotelAgent.Core.Security;
using HotelAgent.Functions.Security;
using Microsoft.AspNetCore.Mvc;

namespace HotelAgent.Functions.Hosting;

/// <summary>HTTP results of the functions (the same <see cref="IActionResult"/>s under the Functions host and on Kestrel).</summary>
public static class FunctionResults
{
    public static ContentResult Text(int status, string body) =>
        new() { StatusCode = status, Content = body, ContentType = "text/plain; charset=utf-8" };

    public static ContentResult Json<T>(int status, T value) =>
        new() { StatusCode = status, Content = JsonSerializer.Serialize(value, HotelAgentJson.Options), ContentType = "application/json; charset=utf-8" };

    /// <summary>RFC 9457 problem details (<c>application/problem+json</c>), the same shape the hosts use for their own refusals.</summary>
    public static ContentResult Problem(int status, string title, string detail) =>
        new() { StatusCode = status, Content = ProblemResponses.Json(status, title, detail), ContentType = ProblemResponses.ContentType };

    /// <summary>
    /// The raw request body, at most <paramref name="maxBytes"/> (a larger declared or actual length is refused without reading
    /// past the limit: answer 413). Functions read their own bodies because under the Functions host no middleware of ours runs.
    /// </summary>
    public static Task<BoundedBody> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BoundedBodyReader.ReadAsync(request.Body, request.ContentLength, maxBytes, null, cancellationToken);
    }
}
