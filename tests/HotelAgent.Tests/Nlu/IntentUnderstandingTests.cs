using HotelAgent.Core.Nlu;
using HotelAgent.Tests.Fakes.Nlu;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Nlu;

public class IntentUnderstandingTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    private static IntentUnderstanding Create(INluEngine engine, ILlmIntentClassifier llm, int timeoutSeconds = 5) =>
        new(engine, llm, Options.Create(new NluOptions { LlmTimeoutSeconds = timeoutSeconds }));

    [Fact]
    public async Task Confident_offline_result_never_calls_the_llm()
    {
        var llm = new FakeLlmIntentClassifier(_ => Task.FromResult<IntentScore?>(new IntentScore(NluLabels.AskPrice, 0.9)));
        var r = await Create(new FakeNluEngine(NluLabels.Greeting, 0.9), llm).UnderstandAsync("hola", Today, CancellationToken.None);
        Assert.Equal(NluLabels.Greeting, r.Intent);
        Assert.Equal("offline", r.Source);
        Assert.Equal(0, llm.Calls);
    }

    [Fact]
    public async Task Unsure_offline_result_takes_the_llm_answer_and_keeps_offline_entities()
    {
        var llm = new FakeLlmIntentClassifier(_ => Task.FromResult<IntentScore?>(new IntentScore(NluLabels.AskPrice, 0.88)));
        var r = await Create(new FakeNluEngine(NluLabels.AskRoomTypes, 0.5), llm).UnderstandAsync("y la suite para el finde?", Today, CancellationToken.None);
        Assert.Equal(NluLabels.AskPrice, r.Intent);
        Assert.Equal(0.88, r.Confidence);
        Assert.Equal("llm", r.Source);
        Assert.Equal(NluLabels.AskPrice, r.Alternatives[0].Intent);
        Assert.Contains(r.Alternatives, a => a.Intent == NluLabels.AskRoomTypes);
        Assert.Equal("suite", r.Entities.RoomType);
        Assert.Equal(new DateOnly(2026, 11, 27), r.Entities.CheckIn);
        Assert.Equal(1, llm.Calls);
    }

    [Fact]
    public async Task Disabled_llm_is_not_called()
    {
        var llm = new FakeLlmIntentClassifier(_ => Task.FromResult<IntentScore?>(new IntentScore(NluLabels.AskPrice, 0.9)), enabled: false);
        var r = await Create(new FakeNluEngine(NluLabels.AskRoomTypes, 0.3), llm).UnderstandAsync("mmm", Today, CancellationToken.None);
        Assert.Equal(NluLabels.AskRoomTypes, r.Intent);
        Assert.Equal(0, llm.Calls);
    }

    [Fact]
    public async Task Label_outside_the_contract_is_rejected()
    {
        var llm = new FakeLlmIntentClassifier(_ => Task.FromResult<IntentScore?>(new IntentScore("book_flight", 0.99)));
        var r = await Create(new FakeNluEngine(NluLabels.Help, 0.5), llm).UnderstandAsync("x", Today, CancellationToken.None);
        Assert.Equal(NluLabels.Help, r.Intent);
        Assert.Equal("offline", r.Source);
    }

    [Fact]
    public async Task Llm_failure_falls_back_to_offline()
    {
        var llm = new FakeLlmIntentClassifier(_ => throw new InvalidOperationException("boom"));
        var r = await Create(new FakeNluEngine(NluLabels.Help, 0.5), llm).UnderstandAsync("x", Today, CancellationToken.None);
        Assert.Equal(NluLabels.Help, r.Intent);
    }

    [Fact]
    public async Task Llm_timeout_falls_back_to_offline()
    {
        var llm = new FakeLlmIntentClassifier(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var r = await Create(new FakeNluEngine(NluLabels.Help, 0.5), llm, timeoutSeconds: 1).UnderstandAsync("x", Today, CancellationToken.None);
        Assert.Equal(NluLabels.Help, r.Intent);
        Assert.Equal("offline", r.Source);
    }

    [Fact]
    public async Task Caller_cancellation_propagates()
    {
        var llm = new FakeLlmIntentClassifier(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Create(new FakeNluEngine(NluLabels.Help, 0.5), llm).UnderstandAsync("x", Today, cts.Token));
    }
}

public class OpenAIIntentClassifierTests
{
    private static OpenAIIntentClassifier Create(Uri endpoint, string? key = "sk-test") =>
        new(Options.Create(new OpenAIOptions { Endpoint = endpoint, ApiKey = key, ChatModel = "gpt-4o-mini" }));

    [Fact]
    public void Without_key_it_is_disabled()
    {
        var c = Create(new Uri("http://127.0.0.1:1/v1"), key: null);
        Assert.False(c.IsEnabled);
    }

    [Fact]
    public async Task Sends_a_strict_json_schema_request_and_reads_the_answer()
    {
        await using var server = await FakeOpenAIChatServer.StartAsync();
        var c = Create(server.BaseUri);
        var answer = await c.ClassifyAsync("y cuánto me sale?", [new IntentScore(NluLabels.AskPrice, 0.5)], CancellationToken.None);

        Assert.Equal(new IntentScore(NluLabels.AskPrice, 0.91), answer);
        var request = Assert.Single(server.Requests).Json;
        Assert.Equal("gpt-4o-mini", request.GetProperty("model").GetString());
        var format = request.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        var labels = format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("intent")
            .GetProperty("enum").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray();
        Assert.Equal(NluLabels.Intents, labels);
        Assert.Equal("Bearer sk-test", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task End_to_end_with_the_fake_endpoint_invalid_label_keeps_offline()
    {
        await using var server = await FakeOpenAIChatServer.StartAsync();
        server.Content = "{\"intent\":\"order_pizza\",\"confidence\":0.99}";
        var u = new IntentUnderstanding(new FakeNluEngine(NluLabels.Help, 0.5), Create(server.BaseUri), Options.Create(new NluOptions()));
        var r = await u.UnderstandAsync("x", new DateOnly(2026, 11, 21), CancellationToken.None);
        Assert.Equal(NluLabels.Help, r.Intent);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task End_to_end_with_the_fake_endpoint_http_error_keeps_offline()
    {
        await using var server = await FakeOpenAIChatServer.StartAsync();
        server.StatusCode = 400;
        var u = new IntentUnderstanding(new FakeNluEngine(NluLabels.Help, 0.5), Create(server.BaseUri), Options.Create(new NluOptions()));
        var r = await u.UnderstandAsync("x", new DateOnly(2026, 11, 21), CancellationToken.None);
        Assert.Equal(NluLabels.Help, r.Intent);
    }

    [Fact]
    public async Task End_to_end_with_the_fake_endpoint_valid_answer_wins()
    {
        await using var server = await FakeOpenAIChatServer.StartAsync();
        server.Content = "{\"intent\":\"ask_policies\",\"confidence\":0.8}";
        var u = new IntentUnderstanding(new FakeNluEngine(NluLabels.Help, 0.5), Create(server.BaseUri), Options.Create(new NluOptions()));
        var r = await u.UnderstandAsync("se puede fumar?", new DateOnly(2026, 11, 21), CancellationToken.None);
        Assert.Equal(NluLabels.AskPolicies, r.Intent);
        Assert.Equal("llm", r.Source);
    }
}
