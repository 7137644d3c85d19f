using System.Collections.Concurrent;
using System.Text;
using Azure.Storage.Queues;
using HotelAgent.Core.Queues;
using HotelAgent.Core.Storage;
using HotelAgent.Tests.Fakes;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotelAgent.Tests.Queues;

/// <summary>
/// The audio queues on Azure Storage (<c>HotelAgent__Storage=AzureStorage</c> standalone) against Azurite: base64 on the wire
/// as the Functions queue trigger reads it, poison after <c>MaxDequeueCount</c> deliveries, one queue shared by two instances.
/// Visibility is Azure's own clock here (server side), so these tests run on the system clock and wait for positive signals.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureQueueStoreTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Patience = Eventually.DefaultTimeout;

    private static string NewQueueName() => "aq-" + Guid.NewGuid().ToString("N")[..20];

    private AzureQueueStore Store() => new(new AzureStorageAccount(azurite.ConnectionString, "T" + Guid.NewGuid().ToString("N")[..8]));

    private static QueueOptions Options() => new()
    {
        MaxDequeueCount = 5,
        VisibilityTimeoutSeconds = 30,
        RetryBackoffSeconds = 0,
        MaxRetryBackoffSeconds = 0,
        PollingIntervalMilliseconds = 100,
        MaxConcurrency = 2,
    };

    private static StandaloneQueueProcessor Processor(IQueueStore store, string queue, QueueMessageHandler handler) =>
        new(store, new Dictionary<string, QueueMessageHandler> { [queue] = handler }, Options(), NullLogger<StandaloneQueueProcessor>.Instance, TimeProvider.System);

    [Fact]
    public async Task Messages_are_base64_on_the_wire_both_ways_as_the_functions_queue_trigger_expects()
    {
        var queue = NewQueueName();
        var store = Store();
        const string job = "{\"conversationId\":\"c-1\",\"text\":\"¿Tienen cochera? ñandú\"}";
        await store.EnqueueAsync(queue, job);

        // What the host's queue trigger reads: the raw message text is base64 of the UTF-8 JSON.
        var raw = new QueueClient(azurite.ConnectionString, queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var onTheWire = Assert.Single((await raw.PeekMessagesAsync(1)).Value).Body.ToString();
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(job)), onTheWire);

        // What a [QueueOutput] binding of the host writes (base64) is read back as the original text.
        await raw.ClearMessagesAsync();
        await raw.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(job)));
        var lease = await store.TryDequeueAsync(queue, TimeSpan.FromSeconds(30));
        Assert.NotNull(lease);
        Assert.Equal(job, lease.Message.Text);
        Assert.Equal(1, lease.Message.DequeueCount);
        Assert.True(await store.CompleteAsync(lease));
        Assert.Equal(0, await store.CountAsync(queue));
    }

    [Fact]
    public async Task Handler_failing_every_time_moves_the_message_to_the_poison_queue_after_max_dequeue_count()
    {
        var queue = NewQueueName();
        var store = Store();
        var deliveries = new ConcurrentQueue<int>();
        using var processor = Processor(store, queue, (m, _) => { deliveries.Enqueue(m.DequeueCount); throw new InvalidOperationException("boom"); });
        await store.EnqueueAsync(queue, "{\"job\":1}");
        await processor.StartAsync(CancellationToken.None);

        Assert.True(await Eventually.TrueAsync(async () => (await store.PeekAsync(QueueNames.Poison(queue))).Count == 1), "the message never reached the poison queue");
        await processor.StopAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], deliveries.ToArray());
        Assert.Equal("{\"job\":1}", Assert.Single(await store.PeekAsync(QueueNames.Poison(queue))).Text);
        Assert.Equal(0, await store.CountAsync(queue));
    }

    [Fact]
    public async Task Two_instances_share_one_queue_and_each_message_runs_once()
    {
        var queue = NewQueueName();
        var (first, second) = (Store(), Store());
        var handled = new ConcurrentDictionary<string, int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int count = 12;
        QueueMessageHandler handler = (m, _) =>
        {
            handled.AddOrUpdate(m.Text, 1, (_, n) => n + 1);
            if (handled.Count == count)
            {
                all.TrySetResult();
            }

            return Task.CompletedTask;
        };
        using var one = Processor(first, queue, handler);
        using var two = Processor(second, queue, handler);
        await one.StartAsync(CancellationToken.None);
        await two.StartAsync(CancellationToken.None);

        // Enqueued by one instance only: the other sees them because the queue is Azure's, not a local file.
        for (var i = 0; i < count; i++)
        {
            await first.EnqueueAsync(queue, "job-" + i);
        }

        await all.Task.WaitAsync(Patience);
        Assert.True(await Eventually.TrueAsync(async () => await first.CountAsync(queue) == 0));
        await one.StopAsync(CancellationToken.None);
        await two.StopAsync(CancellationToken.None);
        Assert.Equal(count, handled.Count);
        Assert.All(handled.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Lost_lease_is_reported_instead_of_deleting_another_delivery()
    {
        var queue = NewQueueName();
        var store = Store();
        await store.EnqueueAsync(queue, "x");
        var first = await store.TryDequeueAsync(queue, TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.True(await store.RenewAsync(first, TimeSpan.Zero)); // visible again at once, as after a lapsed lease
        var second = await Store().TryDequeueAsync(queue, TimeSpan.FromSeconds(30));
        Assert.NotNull(second);
        Assert.Equal(2, second.Message.DequeueCount);

        Assert.False(await store.CompleteAsync(first));
        Assert.Equal(1, await store.CountAsync(queue));
    }

    [Theory]
    [InlineData(null, typeof(StandaloneQueueStore))]
    [InlineData("Sqlite", typeof(StandaloneQueueStore))]
    [InlineData("AzureStorage", typeof(AzureQueueStore))]
    public void HotelAgent_Storage_picks_the_queue_store(string? storage, Type expected)
    {
        var dir = Directory.CreateTempSubdirectory("hotelagent-queue-registration-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["HotelAgent:Storage"] = storage,
                ["HotelAgent:DataDirectory"] = dir,
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Queues:ProcessorEnabled"] = "false",
            }).Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
            services.AddHotelAgentQueues(configuration);
            using var provider = services.BuildServiceProvider();
            var store = provider.GetRequiredService<IQueueStore>();
            Assert.IsType(expected, store);
            Assert.Same(store, provider.GetRequiredService<IQueueSender>());
            Assert.Same(store, provider.GetRequiredService<IQueueInspector>());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
