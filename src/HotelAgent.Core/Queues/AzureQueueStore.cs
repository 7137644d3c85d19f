using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;
using HotelAgent.Core.Storage;

namespace HotelAgent.Core.Queues;

/// <summary>
/// The audio queues on the Azure Storage queues of <c>AzureWebJobsStorage</c> (<c>HotelAgent__Storage=AzureStorage</c>
/// standalone), so several standalone instances share one queue exactly as Functions instances do. Messages are base64
/// (<see cref="AzureStorageAccount.QueueService"/>), as the Functions queue trigger reads and writes them, so a message
/// enqueued here is readable by the host and the other way round; poison queues are <c>{queue}-poison</c>, as the host's.
/// Azure renews a lease by handing out a new pop receipt: the current one is kept per delivery here.
/// </summary>
public sealed class AzureQueueStore(AzureStorageAccount account) : IQueueStore
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);

    // First pop receipt of a delivery (the lease's) -> the receipt Azure answered last for it.
    private readonly ConcurrentDictionary<string, string> _receipts = new(StringComparer.Ordinal);

    public event Action<string>? MessageAvailable;

    public async Task<string> EnqueueAsync(string queueName, string messageText, CancellationToken cancellationToken = default)
    {
        QueueNames.Validate(queueName);
        ArgumentNullException.ThrowIfNull(messageText);
        var queue = await QueueAsync(queueName, cancellationToken);
        var receipt = await queue.SendMessageAsync(messageText, cancellationToken);
        MessageAvailable?.Invoke(queueName);
        return receipt.Value.MessageId;
    }

    public async Task<QueueLease?> TryDequeueAsync(string queueName, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var queue = await QueueAsync(queueName, cancellationToken);
        var received = (await queue.ReceiveMessageAsync(visibilityTimeout, cancellationToken)).Value;
        if (received is null)
        {
            return null;
        }

        _receipts[received.PopReceipt] = received.PopReceipt;
        var message = new QueueMessage(received.MessageId, queueName, received.Body.ToString(), (int)received.DequeueCount, received.InsertedOn ?? DateTimeOffset.MinValue);
        return new QueueLease(message, received.PopReceipt);
    }

    public async Task<bool> CompleteAsync(QueueLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var queue = await QueueAsync(lease.Message.QueueName, CancellationToken.None);
        try
        {
            await queue.DeleteMessageAsync(lease.Message.Id, CurrentReceipt(lease));
            return true;
        }
        catch (RequestFailedException ex) when (IsLeaseLost(ex))
        {
            return false;
        }
        finally
        {
            _receipts.TryRemove(lease.PopReceipt, out _);
        }
    }

    public async Task<bool> ReleaseAsync(QueueLease lease, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var released = await UpdateVisibilityAsync(lease, delay);
        _receipts.TryRemove(lease.PopReceipt, out _);
        if (released)
        {
            MessageAvailable?.Invoke(lease.Message.QueueName);
        }

        return released;
    }

    public Task<bool> RenewAsync(QueueLease lease, TimeSpan visibilityTimeout)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return UpdateVisibilityAsync(lease, visibilityTimeout);
    }

    /// <summary>Copies the message to <c>{queue}-poison</c>, then deletes it (the host's order: a crash in between leaves a copy, never a loss).</summary>
    public async Task<bool> MoveToPoisonAsync(QueueLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var poison = await QueueAsync(QueueNames.Poison(lease.Message.QueueName), CancellationToken.None);
        await poison.SendMessageAsync(lease.Message.Text);
        return await CompleteAsync(lease);
    }

    /// <summary>Azure Storage does not say when a hidden message reappears: the processor polls.</summary>
    public Task<DateTimeOffset?> NextVisibleAtAsync(IReadOnlyCollection<string> queueNames) => Task.FromResult<DateTimeOffset?>(null);

    /// <summary>Approximate count (visible and hidden messages), as Azure Storage reports it.</summary>
    public async Task<int> CountAsync(string queueName, CancellationToken cancellationToken = default)
    {
        var queue = await QueueAsync(queueName, cancellationToken);
        return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
    }

    /// <summary>The oldest visible messages (Azure Storage cannot peek at hidden ones).</summary>
    public async Task<IReadOnlyList<QueueMessage>> PeekAsync(string queueName, int maxMessages = 32, CancellationToken cancellationToken = default)
    {
        var queue = await QueueAsync(queueName, cancellationToken);
        var peeked = (await queue.PeekMessagesAsync(Math.Clamp(maxMessages, 1, 32), cancellationToken)).Value;
        return [.. peeked.Select(m => new QueueMessage(m.MessageId, queueName, m.Body.ToString(), (int)m.DequeueCount, m.InsertedOn ?? DateTimeOffset.MinValue))];
    }

    private async Task<bool> UpdateVisibilityAsync(QueueLease lease, TimeSpan visibility)
    {
        var queue = await QueueAsync(lease.Message.QueueName, CancellationToken.None);
        try
        {
            var updated = await queue.UpdateMessageAsync(lease.Message.Id, CurrentReceipt(lease), visibilityTimeout: visibility);
            _receipts[lease.PopReceipt] = updated.Value.PopReceipt;
            return true;
        }
        catch (RequestFailedException ex) when (IsLeaseLost(ex))
        {
            return false;
        }
    }

    private string CurrentReceipt(QueueLease lease) => _receipts.TryGetValue(lease.PopReceipt, out var current) ? current : lease.PopReceipt;

    // 404: the message is gone (taken and completed elsewhere); 400 PopReceiptMismatch: it was dequeued again by someone else.
    private static bool IsLeaseLost(RequestFailedException ex) => ex.Status is 404 or 400;

    private Task<QueueClient> QueueAsync(string queueName, CancellationToken cancellationToken)
    {
        var lazy = _queues.GetOrAdd(queueName, name => new Lazy<Task<QueueClient>>(() => CreateAsync(name)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // Storage briefly unreachable: create again on the next use.
            _queues.TryUpdate(queueName, new Lazy<Task<QueueClient>>(() => CreateAsync(queueName)), lazy);
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<QueueClient> CreateAsync(string queueName)
    {
        var queue = account.QueueService.GetQueueClient(queueName);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
