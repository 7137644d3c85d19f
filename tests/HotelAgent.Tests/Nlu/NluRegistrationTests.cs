using HotelAgent.Core.Nlu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Nlu;

public class NluRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config);
        services.AddLogging();
        services.AddHotelAgentNlu(config);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Registers_offline_understanding_without_a_key()
    {
        using var sp = Build(new() { ["Nlu:ActThreshold"] = "0.8" });
        Assert.Equal(0.8, sp.GetRequiredService<IOptions<NluOptions>>().Value.ActThreshold);
        Assert.False(sp.GetRequiredService<ILlmIntentClassifier>().IsEnabled);
        Assert.Same(sp.GetRequiredService<INluEngine>(), sp.GetRequiredService<INluEngine>());
        var r = await sp.GetRequiredService<IIntentUnderstanding>().UnderstandAsync("hay pileta?", new DateOnly(2026, 11, 21), CancellationToken.None);
        Assert.Equal(NluLabels.AskAmenities, r.Intent);
    }

    [Fact]
    public void Key_enables_the_llm_and_endpoint_binds()
    {
        using var sp = Build(new() { ["OpenAI:ApiKey"] = "sk-x", ["OpenAI:Endpoint"] = "https://example.openai.azure.com/openai/v1/" });
        Assert.True(sp.GetRequiredService<ILlmIntentClassifier>().IsEnabled);
        Assert.Equal("gpt-4o-mini", sp.GetRequiredService<IOptions<OpenAIOptions>>().Value.ChatModel);
    }

    [Fact]
    public async Task Registered_llm_uses_the_configured_endpoint_through_the_http_client_factory()
    {
        await using var server = await HotelAgent.Tests.Fakes.Nlu.FakeOpenAIChatServer.StartAsync();
        using var sp = Build(new() { ["OpenAI:ApiKey"] = "sk-di", ["OpenAI:Endpoint"] = server.BaseUri.ToString(), ["OpenAI:ChatModel"] = "my-deployment" });
        var answer = await sp.GetRequiredService<ILlmIntentClassifier>().ClassifyAsync("x", [], CancellationToken.None);
        Assert.Equal(NluLabels.AskPrice, answer?.Intent);
        Assert.Equal("my-deployment", Assert.Single(server.Requests).Json.GetProperty("model").GetString());
    }

    [Fact]
    public void Invalid_thresholds_fail_validation()
    {
        using var sp = Build(new() { ["Nlu:ActThreshold"] = "0.3", ["Nlu:ClarifyThreshold"] = "0.5" });
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<NluOptions>>().Value);
    }
}
