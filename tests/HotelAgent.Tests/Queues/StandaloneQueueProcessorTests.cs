using System.Collections.Concurrent;
using HotelAgent.Core.Queues;
using HotelAgent.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Tests.Queues;

/// <summary>
/// The standalone queue processor on an <see cref="ObservedFakeTimeProvider"/>: visibility timeouts, retry backoff,
/// lease renewal and polling happen when the test moves the clock (once the processor is waiting on it).
/// </summary>
public sealed class StandaloneQueueProcessorTests : IDisposable
{
    private const string Queue = "audio-transcribe";
    private static readonly TimeSpan Patience = Eventually.DefaultTimeout;
    private readonly string _dir = Directory.CreateTempSubdirectory("hotelagent-processor-test-").FullName;
    private readonly ObservedFakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

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

    private StandaloneQueueProcessor Processor(StandaloneQueueStore store, QueueMessageHandler handler, QueueOptions options, string queue = Queue) =>
        new(store, new Dictionary<string, QueueMessageHandler> { [queue] = handler }, options, NullLogger<StandaloneQueueProcessor>.Instance, _time);

    private StandaloneQueueStore Store() => new(DbPath, _time);

    private static async Task<bool> EmptyAsync(StandaloneQueueStore store, string queue = Queue) =>
        await Eventually.TrueAsync(async () => await store.CountAsync(queue) == 0);

    [Fact]
    public async Task Enqueued_message_is_dispatched_at_once_and_deleted_after_success()
    {
        using var store = Store();
        var received = new TaskCompletionSource<QueueMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var processor = Processor(store, (m, _) => { received.TrySetResult(m); return Task.CompletedTask; }, FastOptions());
        await processor.StartAsync(CancellationToken.None);
        await _time.ArmedTimers.WaitForAsync(1, what: "the processor waiting for its 60 s poll");

        var id = await store.EnqueueAsync(Queue, "hello");
        var message = await received.Task.WaitAsync(Patience);

        // The clock never moved past the 60 s polling interval: only the in-process signal explains the delivery.
        Assert.Equal(_time.Start, _time.GetUtcNow());
        Assert.Equal(id, message.Id);
        Assert.Equal("hello", message.Text);
        Assert.Equal(Queue, message.QueueName);
        Assert.Equal(1, message.DequeueCount);
        Assert.True(await EmptyAsync(store));
        await processor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Handler_failing_every_time_moves_the_message_to_poison_after_five_deliveries()
    {
        using var store = Store();
        var deliveries = new ConcurrentQueue<int>();
        using var processor = Processor(store, (m, _) => { deliveries.Enqueue(m.DequeueCount); throw new InvalidOperationException("boom"); }, FastOptions());
        await store.EnqueueAsync(Queue, "{\"job\":1}");
        await processor.StartAsync(CancellationToken.None);

        Assert.True(await Eventually.TrueAsync(async () => await store.CountAsync(Queue + "-poison") == 1));
        await processor.StopAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], deliveries.ToArray());
        Assert.Equal(0, await store.CountAsync(Queue));
        Assert.Equal("{\"job\":1}", Assert.Single(await store.PeekAsync(Queue + "-poison")).Text);
    }

    [Fact]
    public async Task Failure_then_success_retries_after_the_backoff()
    {
        using var store = Store();
        var deliveries = new ConcurrentQueue<(int Count, DateTimeOffset At)>();
        var delivered = new AwaitableCount();
        var options = FastOptions();
        options.RetryBackoffSeconds = 0.5;
        options.MaxRetryBackoffSeconds = 10;
        using var processor = Processor(
            store,
            (m, _) =>
            {
                deliveries.Enqueue((m.DequeueCount, _time.GetUtcNow()));
                delivered.Increment();
                return m.DequeueCount == 1 ? throw new HttpRequestException("transient") : Task.CompletedTask;
            },
            options);
        await store.EnqueueAsync(Queue, "x");
        await processor.StartAsync(CancellationToken.None);
        await delivered.WaitForAsync(1);

        // Released after the failure: hidden for exactly the backoff.
        var hiddenUntil = _time.Start + TimeSpan.FromSeconds(0.5);
        Assert.True(await Eventually.TrueAsync(async () => await store.NextVisibleAtAsync([Queue]) == hiddenUntil), "the failed message was not released with its backoff");
        Assert.Single(deliveries);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await EmptyAsync(store));
        await processor.StopAsync(CancellationToken.None);

        var list = deliveries.ToArray();
        Assert.Equal([1, 2], list.Select(d => d.Count));
        Assert.True(list[1].At >= hiddenUntil, $"retried at {list[1].At}, before {hiddenUntil}");
        Assert.Equal(0, await store.CountAsync(Queue + "-poison"));
    }

    [Fact]
    public async Task Message_in_flight_when_the_process_dies_is_delivered_again_after_its_visibility_timeout()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        var crashedStore = Store();
        var crashed = Processor(crashedStore, async (_, _) => { started.TrySetResult(); await never.Task; }, FastOptions(visibilitySeconds: 2));
        await crashedStore.EnqueueAsync(Queue, "survivor");
        await crashed.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(Patience);

        // Simulated kill: no more renewals, no completion, the connection is gone.
        crashed.Abandon();
        crashedStore.Dispose();

        using var store = Store();
        var redelivered = new TaskCompletionSource<QueueMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var restarted = Processor(store, (m, _) => { redelivered.TrySetResult(m); return Task.CompletedTask; }, FastOptions(visibilitySeconds: 1));
        var armed = _time.ArmedTimers.Value;
        await restarted.StartAsync(CancellationToken.None);

        // The dead process's lease hides the message for its 2 s; the new processor waits on the clock for it.
        Assert.Equal(_time.Start + TimeSpan.FromSeconds(2), await store.NextVisibleAtAsync([Queue]));
        await _time.ArmedTimers.WaitForAsync(armed + 1, what: "the restarted processor waiting");
        Assert.False(redelivered.Task.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2.1));

        var message = await redelivered.Task.WaitAsync(Patience);
        Assert.Equal("survivor", message.Text);
        Assert.Equal(2, message.DequeueCount);
        Assert.True(await EmptyAsync(store));
        await restarted.StopAsync(CancellationToken.None);
        never.SetResult();
        crashed.Dispose();
    }

    [Fact]
    public async Task Long_handler_keeps_its_lease_beyond_the_visibility_timeout()
    {
        using var store = Store();
        var deliveries = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var processor = Processor(store, async (_, _) => { Interlocked.Increment(ref deliveries); started.TrySetResult(); await finish.Task; }, FastOptions(visibilitySeconds: 3));
        await store.EnqueueAsync(Queue, "slow");
        await processor.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(Patience);

        // Renewed every second (a third of the 3 s timeout): over three timeouts the lease always ends 3 s from now.
        for (var second = 1; second <= 9; second++)
        {
            var renewal = second;
            await Eventually.AssertAsync(() => _time.DueTimes.Count(d => d == TimeSpan.FromSeconds(1)) >= renewal, () => $"renewal {renewal} was not armed");
            _time.Advance(TimeSpan.FromSeconds(1));
            var expected = _time.GetUtcNow() + TimeSpan.FromSeconds(3);
            await Eventually.AssertAsync(async () => await store.NextVisibleAtAsync([Queue]) == expected, () => $"lease not renewed at second {renewal}");
        }

        finish.SetResult();
        Assert.True(await EmptyAsync(store));
        await processor.StopAsync(CancellationToken.None);
        Assert.Equal(1, deliveries);
    }

    [Fact]
    public async Task Message_delivered_too_often_goes_to_poison_without_running()
    {
        using var store = Store();
        await store.EnqueueAsync(Queue, "crashes the process");
        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await store.TryDequeueAsync(Queue, TimeSpan.Zero));
        }

        var ran = false;
        using var processor = Processor(store, (_, _) => { ran = true; return Task.CompletedTask; }, FastOptions());
        await processor.StartAsync(CancellationToken.None);

        Assert.True(await Eventually.TrueAsync(async () => await store.CountAsync(Queue + "-poison") == 1));
        await processor.StopAsync(CancellationToken.None);
        Assert.False(ran);
    }

    [Fact]
    public async Task Concurrency_is_bounded_and_every_message_is_handled()
    {
        using var store = Store();
        var running = 0;
        var maxRunning = 0;
        var entered = new AwaitableCount();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new ConcurrentBag<string>();
        using var processor = Processor(
            store,
            async (m, ct) =>
            {
                InterlockedMax(ref maxRunning, Interlocked.Increment(ref running));
                entered.Increment();
                await release.Task.WaitAsync(ct);
                Interlocked.Decrement(ref running);
                handled.Add(m.Text);
            },
            FastOptions());
        for (var i = 0; i < 6; i++)
        {
            await store.EnqueueAsync(Queue, "m" + i);
        }

        await processor.StartAsync(CancellationToken.None);

        // Two handlers hold both slots; the processor waits for a slot, so no third one starts whatever happens.
        await entered.WaitForAsync(2);
        Assert.Equal(4, (await store.PeekAsync(Queue)).Count(m => m.DequeueCount == 0));
        release.SetResult();
        Assert.True(await EmptyAsync(store));
        await processor.StopAsync(CancellationToken.None);

        Assert.Equal(6, handled.Distinct().Count());
        Assert.Equal(2, maxRunning);
    }

    [Fact]
    public async Task Stopping_interrupts_the_handler_and_leaves_the_message_visible()
    {
        using var store = Store();
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
