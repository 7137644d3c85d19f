using HotelAgent.Core.Configuration;
using HotelAgent.Core.Orchestration;
using HotelAgent.Tests.Fakes.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotelAgent.Tests.Orchestration;

public sealed class OrchestrationServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ha-orch-di-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Greeter : Orchestrator<string, string>
    {
        public override async Task<string> RunAsync(IOrchestrationContext context, string? input) =>
            (await context.CallActivityAsync<string>("greet", input))!;
    }

    [Fact]
    public async Task Registration_runs_registered_orchestrators_and_activities_on_the_standalone_engine()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HotelAgent:DataDirectory"] = _dir,
            ["Orchestration:MaxConcurrentOrchestrations"] = "2",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<HotelAgentOptions>().Bind(configuration.GetSection(HotelAgentOptions.SectionName));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddHotelAgentOrchestration(configuration);
        services.UseStandaloneOrchestrationEngine();
        services.AddOrchestrator<Greeter>("Greeter");
        services.AddActivity("greet", (_, input, _) => Task.FromResult<string?>(OrchestrationJson.Serialize("Hola, " + OrchestrationJson.Deserialize<string>(input))));
        await using var sp = services.BuildServiceProvider();

        var engine = sp.GetRequiredService<StandaloneOrchestrationEngine>();
        Assert.Same(engine, sp.GetRequiredService<IDurableClient>());
        Assert.Equal(Path.Combine(_dir, "orchestrations.db"), engine.DatabasePath);
        Assert.NotNull(sp.GetRequiredService<OrchestrationTriggerHandler>());

        var hosted = sp.GetServices<IHostedService>().Single();
        await hosted.StartAsync(CancellationToken.None);
        var client = sp.GetRequiredService<IDurableClient>();
        await client.StartNewAsync("Greeter", "g1", "\"Ana\"");
        await EngineFactory.WaitUntilAsync(async () => (await client.GetStatusAsync("g1"))!.RuntimeStatus == OrchestrationRuntimeStatus.Completed, "greeted");
        Assert.Equal("\"Hola, Ana\"", (await client.GetStatusAsync("g1"))!.Output);
        await hosted.StopAsync(CancellationToken.None);
    }
}
