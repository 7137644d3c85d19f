using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HotelAgent.Tests.Fakes.Nlu;

/// <summary>
/// Loopback fake of OpenAI's POST /v1/chat/completions answering with the real chat.completion payload shape.
/// </summary>
public sealed class FakeOpenAIChatServer : LoopbackFake
{
    private FakeOpenAIChatServer()
    {
    }

    /// <summary>e.g. http://127.0.0.1:12345/v1 (use as OpenAIOptions.Endpoint).</summary>
    public Uri BaseUri => new(Root + "/v1");

    /// <summary>The assistant message content to return (the JSON the model "wrote").</summary>
    public string Content { get; set; } = "{\"intent\":\"ask_price\",\"confidence\":0.91}";

    public int StatusCode { get; set; } = 200;

    public static Task<FakeOpenAIChatServer> StartAsync() => ListenAsync(new FakeOpenAIChatServer());

    protected override void MapRoutes(WebApplication app) => app.MapPost("/v1/chat/completions", async (HttpContext ctx) =>
    {
        using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
        if (StatusCode != 200)
        {
            ctx.Response.StatusCode = StatusCode;
            await ctx.Response.WriteAsJsonAsync(new { error = new { message = "Invalid request", type = "invalid_request_error", param = (string?)null, code = (string?)null } });
            return;
        }

        var model = body.RootElement.GetProperty("model").GetString();
        var payload = new
        {
            id = "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
            @object = "chat.completion",
            created = 1741570283,
            model,
            choices = new[]
            {
                new
                {
                    index = 0,
                    message = new { role = "assistant", content = Content, refusal = (string?)null, annotations = Array.Empty<object>() },
                    logprobs = (object?)null,
                    finish_reason = "stop",
                },
            },
            usage = new
            {
                prompt_tokens = 230,
                completion_tokens = 12,
                total_tokens = 242,
                prompt_tokens_details = new { cached_tokens = 0, audio_tokens = 0 },
                completion_tokens_details = new { reasoning_tokens = 0, audio_tokens = 0, accepted_prediction_tokens = 0, rejected_prediction_tokens = 0 },
            },
            service_tier = "default",
            system_fingerprint = "fp_06737a9306",
        };
            ctx.Response.ContentType = "application/json";
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(payload));
    });
}
