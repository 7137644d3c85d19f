using HotelAgent.Core.Queues;

namespace HotelAgent.Functions.Hosting;

/// <summary>
/// Under the Functions host a queue message is an output binding of the running function (the host writes it to
/// Azure Storage); standalone it goes to the durable on-disk queue with the same retry and poison semantics.
/// </summary>
public sealed class HostAwareQueueSender(StandaloneQueueStore standalone) : IQueueSender
{
    public Task<string> EnqueueAsync(string queueName, string messageText, CancellationToken cancellationToken = default)
    {
        var context = FunctionContext.Current;
        if (context is { UnderHost: true })
        {
            if (!context.QueueOutputBindings.TryGetValue(queueName, out var binding))
            {
                throw new InvalidOperationException($"Function {context.FunctionName} has no queue output binding for '{queueName}'.");
            }

            context.AddQueueOutput(binding, messageText);
            return Task.FromResult(context.InvocationId + ":" + binding);
        }

        return standalone.EnqueueAsync(queueName, messageText, cancellationToken);
    }
}
