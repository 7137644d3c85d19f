using System.Security.Cryptography;
using System.Text;
using HotelAgent.Functions.Definitions;
using Microsoft.Extensions.Options;

namespace HotelAgent.Functions.Hosting.Standalone;

/// <summary>
/// Standalone mode: serves every HTTP-triggered function directly on Kestrel at the route the Functions host
/// would expose (<c>/api/{route}</c>). Functions with a non-anonymous auth level (function keys under the host)
/// require <c>Authorization: Bearer {Staff__ApiKey}</c> here.
/// </summary>
public static partial class StandaloneHttpEndpoints
{
    public static void MapFunctionRoutes(this IEndpointRouteBuilder endpoints)
    {
        var catalog = endpoints.ServiceProvider.GetRequiredService<FunctionCatalog>();
        foreach (var function in catalog.OfType<IHttpFunction>())
        {
            var definition = function.Definition;
            var authLevel = definition.Trigger.GetString("authLevel") ?? "function";
            endpoints.MapMethods("/api/" + definition.Route, definition.HttpMethods, async (HttpContext http) =>
            {
                if (authLevel != "anonymous" && !IsAuthorized(http))
                {
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    await http.Response.WriteAsJsonAsync(new { title = "Unauthorized", status = 401, detail = "A valid staff API key is required (Authorization: Bearer ...)." });
                    return;
                }

                var request = await ToFunctionRequestAsync(http);
                var context = new FunctionContext(definition.Name, http.TraceIdentifier);
                var previous = FunctionContext.Current;
                FunctionContext.Current = context;
                try
                {
                    var response = await function.RunAsync(request, context, http.RequestAborted);
                    http.Response.StatusCode = response.StatusCode;
                    http.Response.ContentType = response.ContentType;
                    await http.Response.WriteAsync(response.Body, http.RequestAborted);
                }
                finally
                {
                    FunctionContext.Current = previous;
                }
            }).WithName(definition.Name);
        }
    }

    private static bool IsAuthorized(HttpContext http)
    {
        var expected = http.RequestServices.GetRequiredService<IOptions<Core.Configuration.StaffOptions>>().Value.ApiKey;
        var header = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(expected) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expected));
    }

    public static async Task<FunctionHttpRequest> ToFunctionRequestAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return new FunctionHttpRequest
        {
            Method = http.Request.Method.ToUpperInvariant(),
            Url = new Uri(http.Request.GetEncodedUrlSafe()),
            Query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase),
            RouteParams = http.Request.RouteValues.ToDictionary(r => r.Key, r => Convert.ToString(r.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.OrdinalIgnoreCase),
            Body = buffer.ToArray(),
        };
    }

    private static string GetEncodedUrlSafe(this HttpRequest request) =>
        $"{request.Scheme}://{(request.Host.HasValue ? request.Host.Value : "localhost")}{request.PathBase}{request.Path}{request.QueryString}";
}
