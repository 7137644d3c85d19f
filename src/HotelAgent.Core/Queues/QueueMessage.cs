namespace HotelAgent.Core.Queues;

/// <summary>A queue message as handed to a queue handler (the same facts the Functions host gives a queue trigger).</summary>
/// <param name="Id">Stable message id.</param>
/// <param name="QueueName">The queue it was read from.</param>
/// <param name="Text">The message text (JSON for the audio jobs).</param>
/// <param name="DequeueCount">How many times it has been dequeued, this delivery included (1 on the first try).</param>
/// <param name="InsertedAt">When it was enqueued.</param>
public sealed record QueueMessage(string Id, string QueueName, string Text, int DequeueCount, DateTimeOffset InsertedAt);

/// <summary>Puts messages on a named queue (standalone: the on-disk SQLite queue; under the Functions host: an output binding).</summary>
public interface IQueueSender
{
    /// <summary>Adds a message (visible at once) and returns its id.</summary>
    Task<string> EnqueueAsync(string queueName, string messageText, CancellationToken cancellationToken = default);
}

/// <summary>Read-only view of the queues for tests, health checks and the CLI.</summary>
public interface IQueueInspector
{
    /// <summary>Number of messages in the queue (visible or in flight).</summary>
    Task<int> CountAsync(string queueName, CancellationToken cancellationToken = default);

    /// <summary>The oldest messages of the queue without changing their visibility or dequeue count.</summary>
    Task<IReadOnlyList<QueueMessage>> PeekAsync(string queueName, int maxMessages = 32, CancellationToken cancellationToken = default);
}

/// <summary>Queue naming rules shared with Azure Storage queues.</summary>
public static class QueueNames
{
    /// <summary>Suffix of the queue where messages land after too many failed deliveries.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>The poison queue of <paramref name="queueName"/> (Azure Functions convention).</summary>
    public static string Poison(string queueName) => queueName + PoisonSuffix;

    /// <summary>Validates an Azure Storage queue name: 3–63 chars, lower-case letters, digits and single hyphens, no hyphen at either end.</summary>
    public static void Validate(string queueName)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var ok = queueName.Length is >= 3 and <= 63
            && char.IsAsciiLetterOrDigit(queueName[0])
            && char.IsAsciiLetterOrDigit(queueName[^1])
            && !queueName.Contains("--", StringComparison.Ordinal)
            && queueName.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
        if (!ok)
        {
            throw new ArgumentException($"'{queueName}' is not a valid queue name (3-63 lower-case letters, digits and single hyphens).", nameof(queueName));
        }
    }
}
