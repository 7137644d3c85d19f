namespace HotelAgent.Functions.Hosting;

/// <summary>
/// Messages an invocation puts on queues that its function declares as <c>[QueueOutput]</c> bindings: Core enqueues
/// through <c>IQueueSender</c> as usual, and while a scope is open those messages are collected here, to be returned
/// in the function's output (the host writes them to Azure Storage; standalone, the host adapter to the SQLite queue).
/// </summary>
public sealed class QueueOutputs : IDisposable
{
    private static readonly AsyncLocal<QueueOutputs?> CurrentScope = new();
    private readonly QueueOutputs? _previous;
    private readonly Dictionary<string, List<string>> _messages;

    private QueueOutputs(IEnumerable<string> queues)
    {
        _previous = CurrentScope.Value;
        _messages = queues.ToDictionary(q => q, _ => new List<string>(), StringComparer.Ordinal);
        CurrentScope.Value = this;
    }

    public static QueueOutputs? Current => CurrentScope.Value;

    /// <summary>Collects messages for <paramref name="queues"/> until disposed.</summary>
    public static QueueOutputs Begin(params string[] queues) => new(queues);

    public bool TryAdd(string queueName, string message)
    {
        lock (_messages)
        {
            if (!_messages.TryGetValue(queueName, out var list))
            {
                return false;
            }

            list.Add(message);
            return true;
        }
    }

    /// <summary>The collected messages of <paramref name="queueName"/> (null when none: no output is written).</summary>
    public string[]? For(string queueName)
    {
        lock (_messages)
        {
            return _messages.TryGetValue(queueName, out var list) && list.Count > 0 ? [.. list] : null;
        }
    }

    public void Dispose() => CurrentScope.Value = _previous;
}
