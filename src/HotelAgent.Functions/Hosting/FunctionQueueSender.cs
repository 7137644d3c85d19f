using Azure.Storage.Queues;
using HotelAgent.Core.Queues;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// <see cref="IQueueSender"/> of the function app: a queue the running function declares as an output binding collects
/// the message (<see cref="QueueOutputs"/>); otherwise standalone writes the queue store <c>HotelAgent__Storage</c> picks (SQLite or Azure Storage) and under the Functions host
/// the Azure Storage queue of <c>AzureWebJobsStorage</c> (base64, as the queue trigger expects).
/// </summary>
public sealed class FunctionQueueSender(IQueueSender? standalone, Func<QueueServiceClient>? azure) : IQueueSender
{
    private readonly Lazy<QueueServiceClient>? _azure = azure is null ? null : new Lazy<QueueServiceClient>(azure);

    public async Task<string> EnqueueAsync(string queueName, string messageText, CancellationToken cancellationToken = default)
    {
        if (QueueOutputs.Current is { } outputs && outputs.TryAdd(queueName, messageText))
        {
            return "output:" + queueName;
        }

        if (standalone is not null)
        {
            return await standalone.EnqueueAsync(queueName, messageText, cancellationToken);
        }

        var queue = _azure!.Value.GetQueueClient(queueName);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var receipt = await queue.SendMessageAsync(messageText, cancellationToken);
        return receipt.Value.MessageId;
    }
}
