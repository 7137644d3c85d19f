namespace HotelAgent.Core.Queues;

/// <summary>
/// The queue operations <see cref="StandaloneQueueProcessor"/> needs, with Azure Storage queue semantics: a dequeued message is
/// hidden for a visibility timeout and counts a delivery; completing deletes it; poison queues are <c>{queue}-poison</c>.
/// Implemented by the SQLite file (<see cref="StandaloneQueueStore"/>, <c>HotelAgent__Storage=Sqlite</c>) and by the Azure
/// Storage queues of <c>AzureWebJobsStorage</c> (<see cref="AzureQueueStore"/>, <c>HotelAgent__Storage=AzureStorage</c>).
/// </summary>
public interface IQueueStore : IQueueSender, IQueueInspector
{
    /// <summary>Raised after this process made a message visible (enqueue or release), so a processor in it wakes at once.</summary>
    event Action<string>? MessageAvailable;

    /// <summary>Takes the oldest visible message of the queue, hides it for <paramref name="visibilityTimeout"/> and counts the delivery.</summary>
    Task<QueueLease?> TryDequeueAsync(string queueName, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Deletes a processed message. False when the lease was lost (the message reappeared and was taken again).</summary>
    Task<bool> CompleteAsync(QueueLease lease);

    /// <summary>Makes a message visible again after <paramref name="delay"/> (a failed delivery; the dequeue count is kept).</summary>
    Task<bool> ReleaseAsync(QueueLease lease, TimeSpan delay);

    /// <summary>Extends the invisibility of a message whose handler is still running. False when the lease was lost.</summary>
    Task<bool> RenewAsync(QueueLease lease, TimeSpan visibilityTimeout);

    /// <summary>Moves the message to <c>{queue}-poison</c>.</summary>
    Task<bool> MoveToPoisonAsync(QueueLease lease);

    /// <summary>When the next message of any of the queues becomes visible; null when empty or unknown (the processor then polls).</summary>
    Task<DateTimeOffset?> NextVisibleAtAsync(IReadOnlyCollection<string> queueNames);
}
