using System.Text.Json.Nodes;
using HotelAgent.Functions;
using HotelAgent.Functions.Definitions;
using Microsoft.Extensions.DependencyInjection;

namespace HotelAgent.Tests.Functions.Definitions;

public class FunctionMetadataWriterTests
{
    private static FunctionCatalog RealCatalog(out IAsyncDisposable app)
    {
        var web = HotelAgentApp.Build(["--environment", "Development", "--HotelAgent:DataDirectory", Path.Combine(Path.GetTempPath(), "ha-meta-" + Guid.NewGuid().ToString("N"))], HostingMode.Standalone);
        app = web;
        return web.Services.GetRequiredService<FunctionCatalog>();
    }

    [Fact]
    public async Task Every_function_gets_a_function_json_that_matches_its_declaration()
    {
        var catalog = RealCatalog(out var app);
        await using var _ = app;
        var dir = Path.Combine(Path.GetTempPath(), "ha-fnapp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = FunctionMetadataWriter.Write(catalog, dir);

            Assert.Equal(catalog.All.Count + 1, written.Count);
            foreach (var function in catalog.All)
            {
                var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, function.Definition.Name, "function.json")))!;
                var bindings = json["bindings"]!.AsArray();
                Assert.Equal(function.Definition.Bindings.Count, bindings.Count);
                for (var i = 0; i < bindings.Count; i++)
                {
                    var declared = function.Definition.Bindings[i];
                    Assert.Equal(declared.Name, bindings[i]!["name"]!.GetValue<string>());
                    Assert.Equal(declared.Type, bindings[i]!["type"]!.GetValue<string>());
                    Assert.Equal(declared.Direction, bindings[i]!["direction"]!.GetValue<string>());
                }

                // Durable triggers must not declare $return (the host adds it; explicit ones hit the base64 pitfall).
                Assert.DoesNotContain(bindings, b => b!["name"]!.GetValue<string>() == "$return");
                Assert.Single(bindings, b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));
            }

            var host = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "host.json")))!;
            Assert.Equal("2.0", host["version"]!.GetValue<string>());
            Assert.Equal("handler/HotelAgent.Functions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
            Assert.False(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
            Assert.Equal(FunctionMetadataWriter.TaskHubName, host["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>());
            Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Public_routes_are_the_contract()
    {
        var catalog = RealCatalog(out var app);
        await using var _ = app;
        var routes = catalog.OfType<IHttpFunction>().ToDictionary(f => f.Definition.Route!, f => f.Definition.HttpMethods);

        Assert.Equal(["GET", "POST"], routes["webhooks/whatsapp"]);
        Assert.Equal(["GET"], routes["health/live"]);
        Assert.Equal(["GET"], routes["health/ready"]);
    }

    [Fact]
    public void Repository_host_json_is_the_generated_one()
    {
        var root = RepositoryRoot();
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "host.json")))!;
        Assert.True(JsonNode.DeepEquals(FunctionMetadataWriter.BuildHostJson(), committed), "host.json differs from FunctionMetadataWriter.BuildHostJson(); regenerate it with `dotnet run --project src/HotelAgent.Functions -- --write-function-app .` or update the writer.");
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HotelAgent.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
