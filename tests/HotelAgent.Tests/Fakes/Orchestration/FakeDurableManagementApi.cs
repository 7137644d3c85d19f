using HotelAgent.Tests.Fakes;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Tests.Fakes.Orchestration;

/// <summary>
/// Loopback fake of the Durable Functions HTTP management API (/runtime/webhooks/durabletask) answering with the
/// status codes and JSON shapes of the extension's HttpApiHandler: 202 start payload, 202/200/404 status, 202/404/410
/// raise and terminate, 409 start conflict, 200/404/412 purge, x-ms-continuation-token paging (2 per page).
/// </summary>
public sealed class FakeDurableManagementApi : IAsyncDisposable
{
    public const string Code = "s3cr3t==";
    private const string Prefix = "/runtime/webhooks/durabletask";
    private readonly WebApplication _app;

    public sealed class Instance
    {
        public required string Name { get; init; }
        public required string Id { get; init; }
        public string RuntimeStatus { get; set; } = "Running";
        public JsonNode? Input { get; set; }
        public JsonNode? CustomStatus { get; set; }
        public JsonNode? Output { get; set; }
        public List<(string Name, string Body)> Events { get; } = [];
    }

    public ConcurrentDictionary<string, Instance> Instances { get; } = new();
    public ConcurrentQueue<string> RequestLog { get; } = new();

    private FakeDurableManagementApi(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeDurableManagementApi> StartAsync()
    {
        var app = LoopbackServer.Create();
        var fake = new FakeDurableManagementApi(app);
        app.Use(async (ctx, next) =>
        {
            fake.RequestLog.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
            if (ctx.Request.Query["code"] != Code)
            {
                ctx.Response.StatusCode = 401;
                return;
            }

            await next(ctx);
        });
        app.MapPost(Prefix + "/orchestrators/{name}/{id}", fake.Start);
        app.MapGet(Prefix + "/instances/{id}", fake.Status);
        app.MapGet(Prefix + "/instances", fake.List);
        app.MapPost(Prefix + "/instances/{id}/raiseEvent/{eventName}", fake.Raise);
        app.MapPost(Prefix + "/instances/{id}/terminate", fake.Terminate);
        app.MapDelete(Prefix + "/instances/{id}", fake.Purge);
        await app.StartAsync();
        fake.BaseUrl = LoopbackServer.BaseUrl(app) + Prefix;
        return fake;
    }

    private static bool IsCompleted(Instance i) => i.RuntimeStatus is "Completed" or "Failed" or "Terminated" or "Canceled";

    private static async Task<JsonNode?> ReadBody(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private async Task<IResult> Start(HttpContext ctx, string name, string id)
    {
        if (Instances.TryGetValue(id, out var existing) && !IsCompleted(existing))
        {
            return Results.Json(new { Message = $"An instance with ID '{id}' already exists." }, statusCode: 409);
        }

        Instances[id] = new Instance { Name = name, Id = id, Input = await ReadBody(ctx.Request) };
        var baseUri = $"{BaseUrl}/instances/{id}";
        var q = "?taskHub=HotelAgentHub&connection=Storage&code=" + Code;
        return Results.Json(new
        {
            id,
            purgeHistoryDeleteUri = baseUri + q,
            sendEventPostUri = baseUri + "/raiseEvent/{eventName}" + q,
            statusQueryGetUri = baseUri + q,
            terminatePostUri = baseUri + "/terminate?reason={text}&" + q[1..],
            suspendPostUri = baseUri + "/suspend?reason={text}&" + q[1..],
            resumePostUri = baseUri + "/resume?reason={text}&" + q[1..],
        }, statusCode: 202);
    }

    private static object Payload(Instance i) => new
    {
        name = i.Name,
        instanceId = i.Id,
        runtimeStatus = i.RuntimeStatus,
        input = i.Input,
        customStatus = i.CustomStatus,
        output = i.Output,
        createdTime = "2026-11-21T10:00:00Z",
        lastUpdatedTime = "2026-11-21T10:05:00Z",
    };

    private IResult Status(string id) =>
        !Instances.TryGetValue(id, out var i) ? Results.NotFound()
        : Results.Json(Payload(i), statusCode: IsCompleted(i) ? 200 : 202);

    private IResult List(HttpContext ctx)
    {
        var statuses = ctx.Request.Query["runtimeStatus"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        var prefix = ctx.Request.Query["instanceIdPrefix"].ToString();
        var all = Instances.Values
            .Where(i => statuses.Length == 0 || statuses.Contains(i.RuntimeStatus))
            .Where(i => prefix.Length == 0 || i.Id.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        var skip = int.TryParse(ctx.Request.Headers["x-ms-continuation-token"], out var s) ? s : 0;
        var page = all.Skip(skip).Take(2).Select(Payload).ToList();
        if (skip + 2 < all.Count)
        {
            ctx.Response.Headers["x-ms-continuation-token"] = (skip + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Json(page);
    }

    private async Task<IResult> Raise(HttpContext ctx, string id, string eventName)
    {
        if (!Instances.TryGetValue(id, out var i))
        {
            return Results.NotFound();
        }

        if (IsCompleted(i))
        {
            return Results.StatusCode(410);
        }

        if (!string.Equals(ctx.Request.ContentType?.Split(';')[0], "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Results.BadRequest("Only application/json request content is supported");
        }

        var body = await ReadBody(ctx.Request);
        lock (i.Events)
        {
            i.Events.Add((eventName, body?.ToJsonString() ?? "null"));
        }

        return Results.StatusCode(202);
    }

    private IResult Terminate(HttpContext ctx, string id)
    {
        if (!Instances.TryGetValue(id, out var i))
        {
            return Results.NotFound();
        }

        if (IsCompleted(i))
        {
            return Results.StatusCode(410);
        }

        i.RuntimeStatus = "Terminated";
        i.Output = JsonValue.Create(ctx.Request.Query["reason"].ToString());
        return Results.StatusCode(202);
    }

    private IResult Purge(string id)
    {
        if (!Instances.TryGetValue(id, out var i))
        {
            return Results.NotFound();
        }

        if (!IsCompleted(i))
        {
            return Results.Text($"Only orchestrations in a terminal state can be purged, but the orchestration with instance ID {id} has status {i.RuntimeStatus}", statusCode: 412);
        }

        Instances.TryRemove(id, out _);
        return Results.Json(new { instancesDeleted = 1 });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
