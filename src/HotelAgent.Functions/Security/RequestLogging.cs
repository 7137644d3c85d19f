using System.Diagnostics;

namespace HotelAgent.Functions.Security;

/// <summary>
/// What request logs may show of a URL: query values and path secrets (web-chat session ids) are replaced by <c>***</c>.
/// ASP.NET Core's own request log (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>, which prints full URLs with the
/// WhatsApp verify token) is raised to Warning by the host; <see cref="RedactedRequestLoggingMiddleware"/> logs instead.
/// </summary>
public static class RequestLogRedaction
{
    public const string Mask = "***";

    /// <summary>Path segments after which the next segment is a secret.</summary>
    private static readonly string[] SecretAfter = ["webchat"];

    public static string Path(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value))
        {
            return "/";
        }

        var segments = value.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (SecretAfter.Contains(segments[i], StringComparer.OrdinalIgnoreCase) && segments[i + 1].Length > 0)
            {
                segments[i + 1] = Mask;
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>The query with every value masked (<c>?hub.mode=***&amp;hub.verify_token=***</c>); keys are kept.</summary>
    public static string Query(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Count == 0 ? string.Empty : "?" + string.Join('&', query.Keys.Select(k => Uri.EscapeDataString(k) + "=" + Mask));
    }
}

/// <summary>One Information line per request: method, redacted path and query, status, duration.</summary>
public sealed partial class RedactedRequestLoggingMiddleware(RequestDelegate next, ILogger<RedactedRequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(http);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            LogRequest(logger, http.Request.Method, RequestLogRedaction.Path(http.Request.Path) + RequestLogRedaction.Query(http.Request.Query),
                http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {Status} in {ElapsedMs:F1} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs);
}
