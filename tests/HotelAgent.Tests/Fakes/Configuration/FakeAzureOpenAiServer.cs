using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HotelAgent.Tests.Fakes.Configuration;

/// <summary>What the fake received: path, bearer token, api-key header, api-version.</summary>
public sealed record AzureOpenAiCall(string Path, string? Authorization, string? ApiKey, string? ApiVersion);

/// <summary>
/// Loopback fake of an Azure OpenAI resource (<c>POST /openai/deployments/{deployment}/chat/completions</c> and
/// <c>/audio/transcriptions?api-version=...</c>, answering with the service's payload shapes, 401 without credentials) and of
/// the App Service / Functions managed-identity token endpoint (<c>GET IDENTITY_ENDPOINT?resource=...&amp;api-version=2019-08-01</c>
/// with the <c>X-IDENTITY-HEADER</c> secret), which is what <c>DefaultAzureCredential</c> calls in Azure.
/// </summary>
public sealed class FakeAzureOpenAiServer : LoopbackFake
{
    public const string IdentityHeader = "fake-identity-header-secret";
    public const string AccessToken = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2NvZ25pdGl2ZXNlcnZpY2VzLmF6dXJlLmNvbSJ9.fake-managed-identity-token";

    private FakeAzureOpenAiServer()
    {
    }

    public string BaseUrl => Root;

    /// <summary>Value for IDENTITY_ENDPOINT.</summary>
    public string IdentityEndpoint => BaseUrl + "/msi/token";

    public ConcurrentQueue<AzureOpenAiCall> Calls { get; } = new();

    /// <summary>The <c>resource</c> each token request asked for.</summary>
    public ConcurrentQueue<string> TokenResources { get; } = new();

    public string ChatContent { get; set; } = "{\"intent\":\"ask_price\",\"confidence\":0.93}";

    public string TranscriptText { get; set; } = "hola, tienen lugar para dos el finde?";

    public static Task<FakeAzureOpenAiServer> StartAsync() => ListenAsync(new FakeAzureOpenAiServer());

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/msi/token", (HttpContext ctx) =>
        {
            if (ctx.Request.Headers["X-IDENTITY-HEADER"] != IdentityHeader)
            {
                return Results.Json(new { error = "invalid_request", error_description = "X-IDENTITY-HEADER missing or wrong" }, statusCode: 400);
            }

            TokenResources.Enqueue(ctx.Request.Query["resource"].ToString());
            var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return Results.Json(new { access_token = AccessToken, expires_on = expires, resource = ctx.Request.Query["resource"].ToString(), token_type = "Bearer", client_id = "11111111-2222-3333-4444-555555555555" });
        });
        app.MapPost("/openai/deployments/{deployment}/chat/completions", async (HttpContext ctx, string deployment) =>
        {
            if (Record(ctx) is { } denied)
            {
                return denied;
            }

            using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
            return Results.Json(new
            {
                id = "chatcmpl-AzURE1",
                @object = "chat.completion",
                created = 1741570283,
                model = "gpt-4o-mini-2024-07-18",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = ChatContent, refusal = (string?)null }, finish_reason = "stop", logprobs = (object?)null } },
                usage = new { prompt_tokens = 120, completion_tokens = 12, total_tokens = 132 },
                system_fingerprint = "fp_azure",
            });
        });
        app.MapPost("/openai/deployments/{deployment}/audio/transcriptions", async (HttpContext ctx, string deployment) =>
        {
            if (Record(ctx) is { } denied)
            {
                return denied;
            }

            var form = await ctx.Request.ReadFormAsync();
            return form.Files.GetFile("file") is null
                ? Results.Json(new { error = new { code = "invalid_value", message = "file is required" } }, statusCode: 400)
                : Results.Json(new { text = TranscriptText });
        });
    }

    /// <summary>Records the call; 401 as Azure answers a request with neither a bearer token nor an api-key.</summary>
    private IResult? Record(HttpContext ctx)
    {
        var authorization = ctx.Request.Headers.Authorization.ToString();
        var apiKey = ctx.Request.Headers["api-key"].ToString();
        Calls.Enqueue(new AzureOpenAiCall(ctx.Request.Path, authorization.Length == 0 ? null : authorization, apiKey.Length == 0 ? null : apiKey, ctx.Request.Query["api-version"].ToString()));
        return authorization.Length == 0 && apiKey.Length == 0
            ? Results.Json(new { error = new { code = "401", message = "Access denied due to invalid subscription key or wrong API endpoint." } }, statusCode: 401)
            : null;
    }
}
