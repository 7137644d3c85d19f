using System.Text.Json.Nodes;

namespace HotelAgent.Functions.Definitions;

/// <summary>One binding of a function, exactly as it is written into <c>function.json</c>.</summary>
public sealed record BindingDefinition(string Name, string Type, string Direction)
{
    /// <summary>Extra binding properties (route, methods, queueName, schedule, ...), written in this order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Properties { get; init; } = [];

    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.Ordinal);

    public string? GetString(string property) =>
        Properties.FirstOrDefault(p => p.Key == property).Value?.GetValue<string>();

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["name"] = Name, ["type"] = Type, ["direction"] = Direction };
        foreach (var (key, value) in Properties)
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }
}

/// <summary>Factory methods for the bindings HotelAgent uses.</summary>
public static class Binding
{
    public const string StorageConnection = "AzureWebJobsStorage";

    public static BindingDefinition HttpTrigger(string route, string authLevel, params string[] methods) =>
        new("req", "httpTrigger", "in")
        {
            Properties =
            [
                new("authLevel", authLevel),
                new("methods", new JsonArray(methods.Select(m => (JsonNode?)JsonValue.Create(m.ToLowerInvariant())).ToArray())),
                new("route", route),
            ],
        };

    public static BindingDefinition HttpOut() => new("res", "http", "out");

    /// <summary>A timer whose NCRONTAB schedule may be an app-setting expression such as <c>%Email__PollSchedule%</c>.</summary>
    public static BindingDefinition TimerTrigger(string schedule) =>
        new("timer", "timerTrigger", "in") { Properties = [new("schedule", schedule)] };

    public static BindingDefinition QueueTrigger(string queueName) =>
        new("message", "queueTrigger", "in") { Properties = [new("queueName", queueName), new("connection", StorageConnection)] };

    public static BindingDefinition QueueOut(string name, string queueName) =>
        new(name, "queue", "out") { Properties = [new("queueName", queueName), new("connection", StorageConnection)] };

    public static BindingDefinition DurableClient() => new("starter", "durableClient", "in");

    /// <summary>Orchestration trigger: no explicit <c>$return</c> (the host adds it; an explicit one hits the base64 pitfall).</summary>
    public static BindingDefinition OrchestrationTrigger() => new("context", "orchestrationTrigger", "in");

    public static BindingDefinition ActivityTrigger() => new("input", "activityTrigger", "in");
}
