using System.Text.Json;
using System.Text.Json.Nodes;

namespace HotelAgent.Functions.Definitions;

/// <summary>
/// Writes the Functions host metadata (host.json with <c>customHandler</c>, one function.json per function)
/// from the <see cref="FunctionCatalog"/>: the C# declarations are the single source of truth.
/// </summary>
public static class FunctionMetadataWriter
{
    /// <summary>Durable Functions task hub name (the Durable Functions Monitor opens this hub).</summary>
    public const string TaskHubName = "HotelAgentHub";

    /// <summary>Folder (inside the function app) holding the self-contained handler executable.</summary>
    public const string HandlerFolder = "handler";

    public const string HandlerExecutable = "HotelAgent.Functions";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject BuildHostJson() => new()
    {
        ["version"] = "2.0",
        ["functionTimeout"] = "00:10:00",
        ["logging"] = new JsonObject
        {
            ["logLevel"] = new JsonObject { ["default"] = "Information", ["Host.Results"] = "Information", ["Function"] = "Information" },
            ["applicationInsights"] = new JsonObject
            {
                ["samplingSettings"] = new JsonObject { ["isEnabled"] = true, ["excludedTypes"] = "Request;Exception" },
            },
        },
        ["extensionBundle"] = new JsonObject
        {
            ["id"] = "Microsoft.Azure.Functions.ExtensionBundle",
            ["version"] = "[4.*, 5.0.0)",
        },
        ["customHandler"] = new JsonObject
        {
            ["description"] = new JsonObject
            {
                ["defaultExecutablePath"] = $"{HandlerFolder}/{HandlerExecutable}",
                ["workingDirectory"] = HandlerFolder,
                ["arguments"] = new JsonArray(),
            },
            // The webhook functions have durable-client and queue bindings besides HTTP, so the JSON
            // invocation protocol is used for every function (forwarding only works for HTTP-only functions).
            ["enableForwardingHttpRequest"] = false,
        },
        ["extensions"] = new JsonObject
        {
            ["http"] = new JsonObject { ["routePrefix"] = "api" },
            ["durableTask"] = new JsonObject
            {
                ["hubName"] = TaskHubName,
                ["extendedSessionsEnabled"] = false,
                ["maxConcurrentActivityFunctions"] = 10,
                ["maxConcurrentOrchestratorFunctions"] = 10,
            },
            ["queues"] = new JsonObject
            {
                ["maxDequeueCount"] = 5,
                ["visibilityTimeout"] = "00:00:30",
                ["batchSize"] = 8,
                ["newBatchThreshold"] = 4,
            },
        },
    };

    public static JsonObject BuildFunctionJson(FunctionDefinition definition) => new()
    {
        ["bindings"] = new JsonArray(definition.Bindings.Select(b => (JsonNode?)b.ToJson()).ToArray()),
    };

    /// <summary>Writes host.json and every function.json under <paramref name="functionAppDirectory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(FunctionCatalog catalog, string functionAppDirectory)
    {
        Directory.CreateDirectory(functionAppDirectory);
        var written = new List<string>();
        var hostJson = Path.Combine(functionAppDirectory, "host.json");
        File.WriteAllText(hostJson, BuildHostJson().ToJsonString(Indented) + "\n");
        written.Add(hostJson);

        foreach (var function in catalog.All.OrderBy(f => f.Definition.Name, StringComparer.Ordinal))
        {
            var folder = Path.Combine(functionAppDirectory, function.Definition.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "function.json");
            File.WriteAllText(path, BuildFunctionJson(function.Definition).ToJsonString(Indented) + "\n");
            written.Add(path);
        }

        return written;
    }
}
