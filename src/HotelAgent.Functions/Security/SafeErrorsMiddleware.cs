namespace HotelAgent.Functions.Security;

/// <summary>
/// Turns every failure into a problem-details answer without internals, in every environment (the developer exception
/// page would echo stack traces and request headers): malformed requests (<see cref="BadHttpRequestException"/>, e.g. a
/// body over Kestrel's limit or a bad route value) keep their 4xx status; anything else is a 500 with the trace id to find
/// the logged exception.
/// </summary>
public sealed partial class SafeErrorsMiddleware(RequestDelegate next, ILogger<SafeErrorsMiddleware> logger)
{
    public Task InvokeAsync(HttpContext http) => RunAsync(http, () => next(http), logger);

    /// <summary>Runs <paramref name="next"/> and answers its failure safely (also used by the worker middleware under the host).</summary>
    public static async Task RunAsync(HttpContext http, Func<Task> next, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next();
        }
        catch (BadHttpRequestException ex)
        {
            LogBadRequest(logger, ex.StatusCode, http.Request.Method, ex.GetType().Name);
            await AnswerAsync(http, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request");
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            LogFailed(logger, ex, http.Request.Method, RequestLogRedaction.Path(http.Request.Path), http.TraceIdentifier);
            await AnswerAsync(http, StatusCodes.Status500InternalServerError, "Internal error");
        }
    }

    private static async Task AnswerAsync(HttpContext http, int status, string title)
    {
        if (http.Response.HasStarted)
        {
            http.Abort();
            return;
        }

        http.Response.Clear();
        SecurityHeaders.Apply(http.Response.Headers);
        await ProblemResponses.WriteAsync(http, status, title,
            status >= 500 ? "The request failed; the error was logged with this trace id." : "The request could not be read.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} refused with {Status}: {Error}")]
    private static partial void LogBadRequest(ILogger logger, int status, string method, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP {Method} {Path} failed (trace {TraceId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path, string traceId);
}
