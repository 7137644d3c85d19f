using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Queues;

/// <summary>A queue-triggered function: runs once per delivery; throwing means failure (retry, then poison).</summary>
public delegate Task QueueMessageHandler(QueueMessage message, CancellationToken cancellationToken);

/// <summary>
/// Standalone stand-in for the Functions host's queue trigger: dispatches the messages of the registered
/// queues to their handlers with bounded concurrency. Wakes at once on in-process enqueues, polls as a
/// safety net (other processes, delayed retries). Same semantics as the host: delete on success, visible
/// again after a failure (with exponential backoff), <c>{queue}-poison</c> after <c>MaxDequeueCount</c> deliveries.
/// </summary>
public sealed partial class StandaloneQueueProcessor : BackgroundService
{
    private readonly IQueueStore _store;
    private readonly IReadOnlyDictionary<string, QueueMessageHandler> _handlers;
    private readonly string[] _queues;
    private readonly QueueOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _abandon = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private int _nextQueue;
    private volatile bool _abandoned;

    public StandaloneQueueProcessor(
        IQueueStore store,
        IReadOnlyDictionary<string, QueueMessageHandler> handlers,
        QueueOptions options,
        ILogger<StandaloneQueueProcessor> logger,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handlers);
        foreach (var name in handlers.Keys)
        {
            QueueNames.Validate(name);
        }

        _store = store;
        _handlers = handlers;
        _queues = [.. handlers.Keys];
        _options = options;
        _logger = logger;
        _time = time;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _store.MessageAvailable += OnMessageAvailable;
    }

    /// <summary>The queues this processor serves.</summary>
    public IReadOnlyCollection<string> Queues => _queues;

    /// <summary>
    /// Test hook that behaves like a killed process: stops dispatching and lease renewal and never
    /// touches the store again, so in-flight messages reappear only after their visibility timeout.
    /// </summary>
    internal void Abandon()
    {
        _abandoned = true;
        _store.MessageAvailable -= OnMessageAvailable;
        _abandon.Cancel();
    }

    public override void Dispose()
    {
        _store.MessageAvailable -= OnMessageAvailable;
        _abandon.Dispose();
        _signal.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_queues.Length == 0)
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _abandon.Token);
        var token = linked.Token;
        Log.ProcessorStarted(_logger, string.Join(',', _queues), _options.MaxConcurrency);
        try
        {
            while (!token.IsCancellationRequested)
            {
                await _slots.WaitAsync(token);
                QueueLease? lease;
                try
                {
                    lease = await TryDequeueAnyAsync(token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _slots.Release();
                    Log.StoreFailed(_logger, ex);
                    await Task.Delay(_options.PollingInterval, _time, token);
                    continue;
                }

                if (lease is null)
                {
                    _slots.Release();
                    await WaitForWorkAsync(token);
                    continue;
                }

                var work = ProcessAsync(lease, stoppingToken);
                _inFlight.TryAdd(work, 0);
                _ = work.ContinueWith(
                    t =>
                    {
                        _inFlight.TryRemove(t, out _);
                        ReleaseSlot();
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping.
        }

        if (!_abandoned)
        {
            await Task.WhenAll(_inFlight.Keys);
        }
    }

    private void ReleaseSlot()
    {
        try
        {
            _slots.Release();
        }
        catch (ObjectDisposedException)
        {
            // The processor was disposed while an abandoned handler was still running.
        }
    }

    private void OnMessageAvailable(string queueName)
    {
        if (_handlers.ContainsKey(queueName))
        {
            Signal();
        }
    }

    private void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signaled.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    private async Task<QueueLease?> TryDequeueAnyAsync(CancellationToken token)
    {
        for (var i = 0; i < _queues.Length; i++)
        {
            var queue = _queues[(_nextQueue + i) % _queues.Length];
            var lease = await _store.TryDequeueAsync(queue, _options.VisibilityTimeout, token);
            if (lease is not null)
            {
                _nextQueue = (_nextQueue + i + 1) % _queues.Length;
                return lease;
            }
        }

        return null;
    }

    private async Task WaitForWorkAsync(CancellationToken token)
    {
        var wait = _options.PollingInterval;
        DateTimeOffset? next = null;
        try
        {
            next = await _store.NextVisibleAtAsync(_queues);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A busy or failing store must not stop the host: fall back to the polling interval.
            Log.StoreFailed(_logger, ex);
        }

        if (next is { } at)
        {
            var untilVisible = at - _time.GetUtcNow();
            if (untilVisible < wait)
            {
                wait = untilVisible < TimeSpan.Zero ? TimeSpan.Zero : untilVisible + TimeSpan.FromMilliseconds(5);
            }
        }

        if (wait > TimeSpan.Zero)
        {
            // The wait runs on the processor's TimeProvider (like the visibility times it is computed from), not the machine clock.
            using var timeout = new CancellationTokenSource(wait, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
            try
            {
                await _signal.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // The wait is over: look again.
            }
        }
    }

    private async Task ProcessAsync(QueueLease lease, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var message = lease.Message;
        try
        {
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                // Delivered too often without a verdict (e.g. the process died each time): poison without running.
                await _store.MoveToPoisonAsync(lease);
                Log.MovedToPoison(_logger, message.QueueName, message.Id, message.DequeueCount);
                return;
            }

            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
            var renewTask = RenewWhileRunningAsync(lease, renewal.Token);
            Exception? failure = null;
            try
            {
                Log.Dispatching(_logger, message.QueueName, message.Id, message.DequeueCount);
                await _handlers[message.QueueName](message, stoppingToken);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                await renewal.CancelAsync();
                await renewTask;
            }

            if (_abandoned)
            {
                return;
            }

            if (failure is null)
            {
                if (!await _store.CompleteAsync(lease))
                {
                    Log.LeaseLost(_logger, message.QueueName, message.Id);
                }

                return;
            }

            if (failure is OperationCanceledException && stoppingToken.IsCancellationRequested)
            {
                // Shutdown interrupted the handler: make the message visible again at once for the next start.
                await _store.ReleaseAsync(lease, TimeSpan.Zero);
                return;
            }

            if (message.DequeueCount >= _options.MaxDequeueCount)
            {
                await _store.MoveToPoisonAsync(lease);
                Log.HandlerFailedPoisoned(_logger, message.QueueName, message.Id, message.DequeueCount, failure);
            }
            else
            {
                var backoff = _options.BackoffFor(message.DequeueCount);
                await _store.ReleaseAsync(lease, backoff);
                Log.HandlerFailedRetry(_logger, message.QueueName, message.Id, message.DequeueCount, backoff.TotalSeconds, failure);
            }
        }
        catch (Exception ex) when (!_abandoned)
        {
            Log.StoreFailed(_logger, ex);
        }
        catch (Exception) when (_abandoned)
        {
            // The simulated crash may race with store calls; nothing to do.
        }
    }

    private async Task RenewWhileRunningAsync(QueueLease lease, CancellationToken token)
    {
        var period = TimeSpan.FromMilliseconds(Math.Max(50, _options.VisibilityTimeout.TotalMilliseconds / 3));
        try
        {
            while (true)
            {
                await Task.Delay(period, _time, token);
                if (!await _store.RenewAsync(lease, _options.VisibilityTimeout))
                {
                    Log.LeaseLost(_logger, lease.Message.QueueName, lease.Message.Id);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Handler finished.
        }
        catch (ObjectDisposedException)
        {
            // Store closed during shutdown.
        }
    }
}
