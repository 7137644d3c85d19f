namespace HotelAgent.Functions.Definitions;

/// <summary>How a function is triggered; decides how an invocation is decoded.</summary>
public enum TriggerKind
{
    Http,
    Timer,
    Queue,
    Orchestration,
    Activity,
}

/// <summary>
/// A function declared once: its name (the folder name under the host and the custom-handler path
/// <c>POST /{Name}</c>) and its bindings. <see cref="FunctionMetadataWriter"/> turns it into <c>function.json</c>;
/// the standalone host maps the same definition onto Kestrel routes and background loops.
/// </summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<BindingDefinition> Bindings)
{
    public BindingDefinition Trigger => Bindings.Single(b => b.IsTrigger);

    public TriggerKind Kind => Trigger.Type switch
    {
        "httpTrigger" => TriggerKind.Http,
        "timerTrigger" => TriggerKind.Timer,
        "queueTrigger" => TriggerKind.Queue,
        "orchestrationTrigger" => TriggerKind.Orchestration,
        "activityTrigger" => TriggerKind.Activity,
        _ => throw new InvalidOperationException($"Function {Name} has an unknown trigger type {Trigger.Type}."),
    };

    /// <summary>The public HTTP route (without the <c>/api/</c> prefix) of an HTTP-triggered function.</summary>
    public string? Route => Kind == TriggerKind.Http ? Trigger.GetString("route") : null;

    public IReadOnlyList<string> HttpMethods =>
        Kind == TriggerKind.Http
            ? Trigger.Properties.First(p => p.Key == "methods").Value!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).ToArray()
            : [];

    public bool HasDurableClient => Bindings.Any(b => b.Type == "durableClient");

    public IEnumerable<BindingDefinition> QueueOutputs => Bindings.Where(b => b.Type == "queue" && b.Direction == "out");
}
