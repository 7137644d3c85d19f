using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Queues;
using HotelAgent.Tests.Fakes.Audio;

namespace HotelAgent.Tests.Queues;

public sealed class StandaloneQueueStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hotelagent-queue-test-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private string DbPath => Path.Combine(_dir, "queues.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Dequeue_hides_the_message_and_counts_the_delivery()
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        var id = await store.EnqueueAsync("audio-transcribe", "{\"a\":1}");

        var lease = await store.TryDequeueAsync("audio-transcribe", TimeSpan.FromSeconds(30));

        Assert.NotNull(lease);
        Assert.Equal(id, lease.Message.Id);
        Assert.Equal("{\"a\":1}", lease.Message.Text);
        Assert.Equal(1, lease.Message.DequeueCount);
        Assert.Equal(_time.GetUtcNow(), lease.Message.InsertedAt);
        Assert.Null(await store.TryDequeueAsync("audio-transcribe", TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await store.CountAsync("audio-transcribe"));
        Assert.Single(await store.PeekAsync("audio-transcribe"));
    }

    [Fact]
    public async Task Message_reappears_after_the_visibility_timeout_and_the_stale_lease_cannot_complete_it()
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        await store.EnqueueAsync("audio-synthesize", "x");
        var first = await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30)));

        _time.Advance(TimeSpan.FromSeconds(2));
        var second = await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30));

        Assert.NotNull(second);
        Assert.Equal(2, second.Message.DequeueCount);
        Assert.False(await store.CompleteAsync(first!));
        Assert.True(await store.CompleteAsync(second));
        Assert.Equal(0, await store.CountAsync("audio-synthesize"));
    }

    [Fact]
    public async Task Renewing_keeps_a_running_message_hidden()
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        await store.EnqueueAsync("audio-synthesize", "x");
        var lease = await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.RenewAsync(lease!, TimeSpan.FromSeconds(30)));
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Null(await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Release_with_delay_makes_it_visible_later_with_the_count_kept()
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        await store.EnqueueAsync("audio-synthesize", "x");
        var lease = await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30));
        Assert.True(await store.ReleaseAsync(lease!, TimeSpan.FromSeconds(4)));

        Assert.Null(await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30)));
        Assert.Equal(_time.GetUtcNow().AddSeconds(4), await store.NextVisibleAtAsync(["audio-synthesize"]));
        _time.Advance(TimeSpan.FromSeconds(4));
        var again = await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30));
        Assert.Equal(2, again!.Message.DequeueCount);
    }

    [Fact]
    public async Task Messages_survive_closing_and_reopening_the_file_in_order()
    {
        using (var store = new StandaloneQueueStore(DbPath, _time))
        {
            await store.EnqueueAsync("audio-transcribe", "one");
            await store.EnqueueAsync("audio-transcribe", "two");
            await store.EnqueueAsync("other-queue", "three");
        }

        using var reopened = new StandaloneQueueStore(DbPath, _time);
        var first = await reopened.TryDequeueAsync("audio-transcribe", TimeSpan.FromSeconds(30));
        var second = await reopened.TryDequeueAsync("audio-transcribe", TimeSpan.FromSeconds(30));

        Assert.Equal("one", first!.Message.Text);
        Assert.Equal("two", second!.Message.Text);
        Assert.Equal(1, await reopened.CountAsync("other-queue"));
    }

    [Fact]
    public async Task Move_to_poison_puts_the_same_text_on_the_poison_queue()
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        await store.EnqueueAsync("audio-transcribe", "payload");
        var lease = await store.TryDequeueAsync("audio-transcribe", TimeSpan.FromSeconds(30));

        Assert.True(await store.MoveToPoisonAsync(lease!));

        Assert.Equal(0, await store.CountAsync("audio-transcribe"));
        var poison = Assert.Single(await store.PeekAsync("audio-transcribe-poison"));
        Assert.Equal("payload", poison.Text);
        Assert.Equal(lease!.Message.Id, poison.Id);
        Assert.False(await store.MoveToPoisonAsync(lease));
    }

    [Fact]
    public async Task Delayed_message_stays_hidden_until_its_time()
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        await store.EnqueueAsync("audio-synthesize", "later", TimeSpan.FromSeconds(10));

        Assert.Null(await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30)));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("later", (await store.TryDequeueAsync("audio-synthesize", TimeSpan.FromSeconds(30)))!.Message.Text);
    }

    [Fact]
    public async Task Process_killed_inside_a_write_transaction_leaves_the_queue_intact_and_usable()
    {
        using (var store = new StandaloneQueueStore(DbPath, _time))
        {
            await store.EnqueueAsync("audio-transcribe", "intact");
        }

        // Another process takes the write lock, changes the row, and is killed before committing.
        const string script = """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN IMMEDIATE")
            c.execute("UPDATE queue_messages SET body = 'half-written', dequeue_count = 99")
            print("locked", flush=True)
            time.sleep(60)
            """;
        var start = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(DbPath);
        using (var writer = System.Diagnostics.Process.Start(start)!)
        {
            Assert.Equal("locked", await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
            writer.Kill(entireProcessTree: true);
            await writer.WaitForExitAsync();
        }

        using var reopened = new StandaloneQueueStore(DbPath, _time);
        var lease = await reopened.TryDequeueAsync("audio-transcribe", TimeSpan.FromSeconds(30));
        Assert.Equal("intact", lease!.Message.Text);
        Assert.Equal(1, lease.Message.DequeueCount);
    }

    [Fact]
    public async Task Uses_wal_journal_mode()
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        await store.EnqueueAsync("audio-transcribe", "x");
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", cmd.ExecuteScalar() as string);
    }

    [Theory]
    [InlineData("Audio")]
    [InlineData("ab")]
    [InlineData("-audio")]
    [InlineData("audio--x")]
    [InlineData("audio_x")]
    public async Task Rejects_invalid_queue_names(string name)
    {
        using var store = new StandaloneQueueStore(DbPath, _time);
        await Assert.ThrowsAsync<ArgumentException>(() => store.EnqueueAsync(name, "x"));
    }
}
