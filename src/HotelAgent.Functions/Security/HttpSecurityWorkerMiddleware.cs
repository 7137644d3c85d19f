using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace HotelAgent.Functions.Security;

/// <summary>
/// Under the Functions host no ASP.NET Core middleware of ours runs, so this worker middleware gives HTTP functions what
/// standalone's <see cref="SafeErrorsMiddleware"/> and security headers give them: nosniff/no-referrer/DENY on every answer,
/// and a failure answered with problem details without internals (not rethrown: the SDK's HTTP proxying middleware, which
/// runs around this one, then completes the request with that answer). Other triggers pass through untouched.
/// </summary>
public sealed class HttpSecurityWorkerMiddleware(ILogger<SafeErrorsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        SecurityHeaders.Apply(http.Response.Headers);
        await SafeErrorsMiddleware.RunAsync(http, () => next(context), logger);
    }
}
