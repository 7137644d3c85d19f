using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HotelAgent.Tests.Fakes;

/// <summary>One request a loopback fake received.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query string, e.g. <c>/api/bookings?output_format=JSON</c>.</param>
/// <param name="Authorization">The Authorization header; null when absent.</param>
/// <param name="ContentType">The Content-Type header; null when absent.</param>
/// <param name="Body">The body as text (<c>(multipart)</c> for form posts, which the routes read themselves).</param>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string? ContentType, string Body)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    /// <summary>e.g. <c>POST /api/bookings?output_format=JSON</c>.</summary>
    public override string ToString() => Method + " " + Path;
}

/// <summary>
/// The shared body of every loopback fake of a service we cannot reach: a quiet Kestrel app on a free 127.0.0.1 port,
/// the route table its subclass maps, a log and an awaitable count of every request received (recorded on arrival,
/// before the routes answer), and a dispose that stops the server.
/// </summary>
public abstract class LoopbackFake : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    /// <summary>The started server's address without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Root { get; private set; } = string.Empty;

    /// <summary>Every request received, in order of arrival.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Requests received so far (awaitable: a request has arrived once it is counted).</summary>
    public AwaitableCount RequestCount { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await BeforeStopAsync();
        if (_app is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        AfterStop();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts <paramref name="fake"/>: request log first, then its routes, then the server.</summary>
    protected static async Task<T> ListenAsync<T>(T fake)
        where T : LoopbackFake
    {
        ArgumentNullException.ThrowIfNull(fake);
        var app = LoopbackServer.Create();
        app.Use(async (context, next) =>
        {
            await fake.RecordAsync(context.Request);
            await next(context);
        });
        fake.MapRoutes(app);
        await app.StartAsync();
        fake._app = app;
        fake.Root = LoopbackServer.BaseUrl(app);
        return fake;
    }

    /// <summary>The route table (and any middleware of the service, e.g. its authentication), after the request log.</summary>
    protected abstract void MapRoutes(WebApplication app);

    /// <summary>Work to finish while the server still answers (e.g. background deliveries).</summary>
    protected virtual Task BeforeStopAsync() => Task.CompletedTask;

    /// <summary>Resources to release once the server has stopped.</summary>
    protected virtual void AfterStop()
    {
    }

    private async Task RecordAsync(HttpRequest request)
    {
        var body = "(multipart)";
        if (!request.HasFormContentType)
        {
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            body = await reader.ReadToEndAsync();
            request.Body.Position = 0;
        }

        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization : null,
            request.ContentType,
            body));
        RequestCount.Increment();
    }
}
