using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// Marks accepted inbound messages as read (blue ticks) in the background, so the webhook answers Meta without
/// waiting for one more Graph API round trip. Best effort by design: a receipt that cannot be sent (API error, queue
/// full, process stopping) is logged and dropped; it never affects the guest's conversation.
/// </summary>
public sealed partial class WhatsAppReadReceipts : IAsyncDisposable
{
    /// <summary>Receipts waiting to be sent; beyond this the newest are dropped (the guest is answered anyway).</summary>
    public const int Capacity = 4096;

    /// <summary>Receipts in flight at once (each is one Graph API call).</summary>
    public const int Senders = 8;

    private readonly Channel<string> _pending = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly IServiceProvider _services;
    private readonly ILogger<WhatsAppReadReceipts> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lazy<Task> _senders;

    public WhatsAppReadReceipts(IServiceProvider services, ILogger<WhatsAppReadReceipts> logger)
    {
        _services = services;
        _logger = logger;
        _senders = new Lazy<Task>(() => Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoopAsync))));
    }

    /// <summary>Queues a read receipt for <paramref name="messageId"/>; returns at once.</summary>
    public void Enqueue(string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (!_pending.Writer.TryWrite(messageId))
        {
            LogDropped(_logger, messageId);
            return;
        }

        _ = _senders.Value;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_senders.IsValueCreated)
        {
            await _senders.Value.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var messageId in _pending.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    // The typed client is transient (its HttpClient comes from the factory's rotating handlers).
                    await _services.GetRequiredService<WhatsAppCloudClient>().MarkAsReadAsync(messageId, _stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WhatsAppApiException or HttpRequestException or TaskCanceledException && !_stopping.IsCancellationRequested)
                {
                    LogFailed(_logger, messageId, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The service provider is being disposed: nothing more can be sent.
        }
    }

    [LoggerMessage(EventId = 6208, Level = LogLevel.Warning, Message = "Read receipt for WhatsApp message {MessageId} dropped: too many receipts pending")]
    private static partial void LogDropped(ILogger logger, string messageId);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Warning, Message = "Could not mark WhatsApp message {MessageId} as read ({Error})")]
    private static partial void LogFailed(ILogger logger, string messageId, string error);
}
