using System.Security.Cryptography;
using System.Text;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Security;
using HotelAgent.Functions.Definitions;
using HotelAgent.Functions.Security;
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

                var request = await ReadRequestAsync(http, function);
                if (request is null)
                {
                    return;
                }

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

    /// <summary>
    /// The request with its body read within <see cref="InputLimits"/> (signed bodies verified while streaming); null when a
    /// 401 or 413 problem was already answered.
    /// </summary>
    private static async Task<FunctionHttpRequest?> ReadRequestAsync(HttpContext http, IHttpFunction function)
    {
        if (function is ISignedBodyFunction signed && HttpMethods.IsPost(http.Request.Method))
        {
            var verified = await signed.ReadSignedBodyAsync(
                http.Request.Body, http.Request.ContentLength, http.Request.Headers[signed.SignatureHeader].FirstOrDefault(), http.RequestAborted);
            switch (verified.Status)
            {
                case SignedBodyStatus.Verified:
                    return ToFunctionRequest(http, verified.Body);
                case SignedBodyStatus.TooLarge:
                    await ProblemResponses.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Payload too large", $"Bodies are limited to {InputLimits.MaxWebhookBodyBytes} bytes.");
                    return null;
                default:
                    await ProblemResponses.WriteAsync(http, StatusCodes.Status401Unauthorized, "Invalid signature", $"{signed.SignatureHeader} is missing or does not match the body.");
                    return null;
            }
        }

        var body = await BoundedBodyReader.ReadAsync(http.Request.Body, http.Request.ContentLength, InputLimits.MaxHttpBodyBytes, null, http.RequestAborted);
        if (body.Status == BodyReadStatus.TooLarge)
        {
            await ProblemResponses.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Payload too large", $"Bodies are limited to {InputLimits.MaxHttpBodyBytes} bytes.");
            return null;
        }

        return ToFunctionRequest(http, body.Bytes);
    }

    public static FunctionHttpRequest ToFunctionRequest(HttpContext http, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new FunctionHttpRequest
        {
            Method = http.Request.Method.ToUpperInvariant(),
            Url = new Uri(http.Request.GetEncodedUrlSafe()),
            Query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase),
            RouteParams = http.Request.RouteValues.ToDictionary(r => r.Key, r => Convert.ToString(r.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.OrdinalIgnoreCase),
            Body = body,
        };
    }

    private static string GetEncodedUrlSafe(this HttpRequest request) =>
        $"{request.Scheme}://{(request.Host.HasValue ? request.Host.Value : "localhost")}{request.PathBase}{request.Path}{request.QueryString}";
}
