using System.Collections.Concurrent;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// Per-invocation context: the invocation id, messages for queue output bindings, and (under the host)
/// the <c>durableClient</c> binding payload. Standalone, queue outputs go to the on-disk queue instead.
/// <see cref="Current"/> flows with the invocation so Core services reached from it (queue sender,
/// durable client) can find the bindings of the invocation they serve.
/// </summary>
public sealed class FunctionContext(string functionName, string invocationId)
{
    private static readonly AsyncLocal<FunctionContext?> CurrentContext = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _outputs = new(StringComparer.Ordinal);

    /// <summary>The invocation being served on this async flow, if any.</summary>
    public static FunctionContext? Current
    {
        get => CurrentContext.Value;
        internal set => CurrentContext.Value = value;
    }

    public string FunctionName { get; } = functionName;
    public string InvocationId { get; } = invocationId;

    /// <summary>True when the Functions host invoked us (custom-handler mode).</summary>
    public bool UnderHost { get; init; }

    /// <summary>The raw <c>durableClient</c> binding JSON when running under the Functions host.</summary>
    public string? DurableClientBinding { get; init; }

    /// <summary>Queue name → output binding name of this function (under the host).</summary>
    public IReadOnlyDictionary<string, string> QueueOutputBindings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Adds a message to a queue output binding (by binding name).</summary>
    public void AddQueueOutput(string bindingName, string message) =>
        _outputs.GetOrAdd(bindingName, _ => new ConcurrentQueue<string>()).Enqueue(message);

    public IReadOnlyDictionary<string, IReadOnlyList<string>> QueueOutputs =>
        _outputs.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToArray(), StringComparer.Ordinal);
}
