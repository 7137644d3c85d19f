using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using Microsoft.Data.Sqlite;

namespace HotelAgent.Tests.Channels.Common;

public sealed class ProcessedMessageStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotelagent-pms-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_directory, ChannelsDatabase.FileName);

    [Fact]
    public async Task Same_id_five_times_concurrently_records_exactly_once()
    {
        var store = new SqliteProcessedMessageStore(new ChannelsDatabase(DbPath), TimeProvider.System);
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 5)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await store.TryRecordAsync(Channel.WhatsApp, "wamid.DUP");
            }))
            .ToList();
        start.Set();

        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Concurrent_callers_with_separate_database_objects_also_record_once()
    {
        var stores = Enumerable.Range(0, 5).Select(_ => new SqliteProcessedMessageStore(new ChannelsDatabase(DbPath), TimeProvider.System)).ToList();
        var results = await Task.WhenAll(stores.Select(s => Task.Run(() => s.TryRecordAsync(Channel.WhatsApp, "wamid.MULTI"))));
        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Id_stays_recorded_after_reopening_the_database()
    {
        var first = new SqliteProcessedMessageStore(new ChannelsDatabase(DbPath), TimeProvider.System);
        Assert.True(await first.TryRecordAsync(Channel.WhatsApp, "wamid.RESTART"));
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteProcessedMessageStore(new ChannelsDatabase(DbPath), TimeProvider.System);

        Assert.False(await reopened.TryRecordAsync(Channel.WhatsApp, "wamid.RESTART"));
        Assert.True(await reopened.ContainsAsync(Channel.WhatsApp, "wamid.RESTART"));
    }

    [Fact]
    public async Task Ids_are_per_channel()
    {
        var store = new SqliteProcessedMessageStore(new ChannelsDatabase(DbPath), TimeProvider.System);
        Assert.True(await store.TryRecordAsync(Channel.WhatsApp, "same-id"));
        Assert.True(await store.TryRecordAsync(Channel.Email, "same-id"));
        Assert.False(await store.TryRecordAsync(Channel.Email, "same-id"));
    }

    [Fact]
    public async Task Database_uses_wal_mode()
    {
        using var database = new ChannelsDatabase(DbPath);
        await using var connection = await database.OpenReadConnectionAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        Assert.True(await database.IsReachableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Purge_removes_only_old_ids()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new SqliteProcessedMessageStore(new ChannelsDatabase(DbPath), time);
        await store.TryRecordAsync(Channel.WhatsApp, "old");
        time.Advance(TimeSpan.FromDays(20));
        await store.TryRecordAsync(Channel.WhatsApp, "new");

        Assert.Equal(1, await store.PurgeOlderThanAsync(TimeSpan.FromDays(14)));
        Assert.False(await store.ContainsAsync(Channel.WhatsApp, "old"));
        Assert.True(await store.ContainsAsync(Channel.WhatsApp, "new"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
