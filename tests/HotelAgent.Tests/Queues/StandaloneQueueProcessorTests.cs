using System.Collections.Concurrent;
using System.Diagnostics;
using HotelAgent.Core.Queues;
using HotelAgent.Tests.Fakes.Audio;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Tests.Queues;

public sealed class StandaloneQueueProcessorTests : IDisposable
{
    private const string Queue = "audio-transcribe";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("hotelagent-processor-test-").FullName;

    private string DbPath => Path.Combine(_dir, "queues.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static QueueOptions FastOptions(int visibilitySeconds = 30) => new()
    {
        MaxDequeueCount = 5,
        VisibilityTimeoutSeconds = visibilitySeconds,
        RetryBackoffSeconds = 0,
        MaxRetryBackoffSeconds = 0,
        PollingIntervalMilliseconds = 60000,
        MaxConcurrency = 2,
    };

    private static StandaloneQueueProcessor Processor(StandaloneQueueStore store, QueueMessageHandler handler, QueueOptions options, string queue = Queue) =>
        new(store, new Dictionary<string, QueueMessageHandler> { [queue] = handler }, options, NullLogger<StandaloneQueueProcessor>.Instance, TimeProvider.System);

    [Fact]
    public async Task Enqueued_message_is_dispatched_at_once_and_deleted_after_success()
    {
        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var received = new TaskCompletionSource<QueueMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var processor = Processor(store, (m, _) => { received.TrySetResult(m); return Task.CompletedTask; }, FastOptions());
        await processor.StartAsync(CancellationToken.None);
        await Task.Delay(100);

        var sw = Stopwatch.StartNew();
        var id = await store.EnqueueAsync(Queue, "hello");
        var message = await received.Task.WaitAsync(Patience);

        // The polling interval is 60 s: only the in-process signal explains a fast delivery.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        Assert.Equal(id, message.Id);
        Assert.Equal("hello", message.Text);
        Assert.Equal(Queue, message.QueueName);
        Assert.Equal(1, message.DequeueCount);
        Assert.True(await AudioTestSupport.WaitUntilAsync(async () => await store.CountAsync(Queue) == 0, Patience));
        await processor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Handler_failing_every_time_moves_the_message_to_poison_after_five_deliveries()
    {
        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var deliveries = new ConcurrentQueue<int>();
        using var processor = Processor(store, (m, _) => { deliveries.Enqueue(m.DequeueCount); throw new InvalidOperationException("boom"); }, FastOptions());
        await store.EnqueueAsync(Queue, "{\"job\":1}");
        await processor.StartAsync(CancellationToken.None);

        Assert.True(await AudioTestSupport.WaitUntilAsync(async () => await store.CountAsync(Queue + "-poison") == 1, Patience));
        await processor.StopAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], deliveries.ToArray());
        Assert.Equal(0, await store.CountAsync(Queue));
        Assert.Equal("{\"job\":1}", Assert.Single(await store.PeekAsync(Queue + "-poison")).Text);
    }

    [Fact]
    public async Task Failure_then_success_retries_after_the_backoff()
    {
        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var deliveries = new ConcurrentQueue<(int Count, DateTimeOffset At)>();
        var options = FastOptions();
        options.RetryBackoffSeconds = 0.5;
        options.MaxRetryBackoffSeconds = 10;
        using var processor = Processor(
            store,
            (m, _) =>
            {
                deliveries.Enqueue((m.DequeueCount, DateTimeOffset.UtcNow));
                return m.DequeueCount == 1 ? throw new HttpRequestException("transient") : Task.CompletedTask;
            },
            options);
        await store.EnqueueAsync(Queue, "x");
        await processor.StartAsync(CancellationToken.None);

        Assert.True(await AudioTestSupport.WaitUntilAsync(async () => await store.CountAsync(Queue) == 0, Patience));
        await processor.StopAsync(CancellationToken.None);

        var list = deliveries.ToArray();
        Assert.Equal([1, 2], list.Select(d => d.Count));
        Assert.True(list[1].At - list[0].At >= TimeSpan.FromMilliseconds(450), $"retried after {list[1].At - list[0].At}");
        Assert.Equal(0, await store.CountAsync(Queue + "-poison"));
    }

    [Fact]
    public async Task Message_in_flight_when_the_process_dies_is_delivered_again()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        var crashedStore = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var crashed = Processor(crashedStore, async (_, _) => { started.TrySetResult(); await never.Task; }, FastOptions(visibilitySeconds: 2));
        await crashedStore.EnqueueAsync(Queue, "survivor");
        await crashed.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(Patience);

        // Simulated kill: no more renewals, no completion, the connection is gone.
        crashed.Abandon();
        crashedStore.Dispose();

        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var redelivered = new TaskCompletionSource<QueueMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = FastOptions(visibilitySeconds: 1);
        options.PollingIntervalMilliseconds = 200;
        using var restarted = Processor(store, (m, _) => { redelivered.TrySetResult(m); return Task.CompletedTask; }, options);
        await restarted.StartAsync(CancellationToken.None);

        var message = await redelivered.Task.WaitAsync(Patience);
        Assert.Equal("survivor", message.Text);
        Assert.Equal(2, message.DequeueCount);
        Assert.True(await AudioTestSupport.WaitUntilAsync(async () => await store.CountAsync(Queue) == 0, Patience));
        await restarted.StopAsync(CancellationToken.None);
        never.SetResult();
        crashed.Dispose();
    }

    [Fact]
    public async Task Long_handler_keeps_its_lease_beyond_the_visibility_timeout()
    {
        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var deliveries = 0;
        // Renewed every second; the handler outlives the 3 s timeout by a margin that tolerates a loaded machine.
        using var processor = Processor(store, async (_, ct) => { Interlocked.Increment(ref deliveries); await Task.Delay(4500, ct); }, FastOptions(visibilitySeconds: 3));
        await store.EnqueueAsync(Queue, "slow");
        await processor.StartAsync(CancellationToken.None);

        Assert.True(await AudioTestSupport.WaitUntilAsync(async () => await store.CountAsync(Queue) == 0, Patience));
        await processor.StopAsync(CancellationToken.None);
        Assert.Equal(1, deliveries);
    }

    [Fact]
    public async Task Message_delivered_too_often_goes_to_poison_without_running()
    {
        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        await store.EnqueueAsync(Queue, "crashes the process");
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await store.TryDequeueAsync(Queue, TimeSpan.Zero));
        }

        var ran = false;
        using var processor = Processor(store, (_, _) => { ran = true; return Task.CompletedTask; }, FastOptions());
        await processor.StartAsync(CancellationToken.None);

        Assert.True(await AudioTestSupport.WaitUntilAsync(async () => await store.CountAsync(Queue + "-poison") == 1, Patience));
        await processor.StopAsync(CancellationToken.None);
        Assert.False(ran);
    }

    [Fact]
    public async Task Concurrency_is_bounded_and_every_message_is_handled()
    {
        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var running = 0;
        var maxRunning = 0;
        var handled = new ConcurrentBag<string>();
        using var processor = Processor(
            store,
            async (m, ct) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                await Task.Delay(150, ct);
                Interlocked.Decrement(ref running);
                handled.Add(m.Text);
            },
            FastOptions());
        for (var i = 0; i < 6; i++)
        {
            await store.EnqueueAsync(Queue, "m" + i);
        }

        await processor.StartAsync(CancellationToken.None);
        Assert.True(await AudioTestSupport.WaitUntilAsync(async () => await store.CountAsync(Queue) == 0, Patience));
        await processor.StopAsync(CancellationToken.None);

        Assert.Equal(6, handled.Distinct().Count());
        Assert.Equal(2, maxRunning);
    }

    [Fact]
    public async Task Stopping_interrupts_the_handler_and_leaves_the_message_visible()
    {
        using var store = new StandaloneQueueStore(DbPath, TimeProvider.System);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var processor = Processor(store, async (_, ct) => { started.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); }, FastOptions());
        await store.EnqueueAsync(Queue, "interrupted");
        await processor.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(Patience);

        await processor.StopAsync(CancellationToken.None);

        var lease = await store.TryDequeueAsync(Queue, TimeSpan.FromSeconds(30));
        Assert.NotNull(lease);
        Assert.Equal(2, lease.Message.DequeueCount);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
