using Microsoft.Extensions.Time.Testing;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Channels;
using Microsoft.Data.Sqlite;

namespace HotelAgent.Tests.Channels.Common;

public sealed class SentMessageStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotelagent-sms-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_directory, ChannelsDatabase.FileName);

    [Fact]
    public async Task An_attempt_is_not_a_send_until_a_status_confirms_it()
    {
        using var database = new ChannelsDatabase(DbPath);
        var store = new SqliteSentMessageStore(database, TimeProvider.System);

        await store.RecordAttemptAsync(Channel.WhatsApp, "wamid.IN:0");

        Assert.False(await store.WasSentAsync(Channel.WhatsApp, "wamid.IN:0"));
        var attempt = await store.GetPendingAttemptAsync(Channel.WhatsApp, "wamid.IN:0");
        Assert.NotNull(attempt);
        Assert.True(attempt.ByThisProcess);
        Assert.Equal(ChannelStoreTimes.ProcessOwner, attempt.Owner);

        await store.ConfirmFromStatusAsync(Channel.WhatsApp, "wamid.IN:0", "wamid.OUT");
        await store.ConfirmFromStatusAsync(Channel.WhatsApp, "wamid.IN:0", "wamid.OUT");

        Assert.True(await store.WasSentAsync(Channel.WhatsApp, "wamid.IN:0"));
        Assert.Null(await store.GetPendingAttemptAsync(Channel.WhatsApp, "wamid.IN:0"));
        Assert.Equal("wamid.OUT", await database.ReadScalarAsync(
            "SELECT provider_message_id FROM sent_messages WHERE idempotency_key = 'wamid.IN:0';", CancellationToken.None));
    }

    [Fact]
    public async Task A_confirmation_without_an_attempt_creates_the_row()
    {
        using var database = new ChannelsDatabase(DbPath);
        var store = new SqliteSentMessageStore(database, TimeProvider.System);

        await store.ConfirmFromStatusAsync(Channel.WhatsApp, "never-attempted", "wamid.X");

        Assert.True(await store.WasSentAsync(Channel.WhatsApp, "never-attempted"));
        Assert.False(await store.WasSentAsync(Channel.Email, "never-attempted"));
    }

    [Fact]
    public async Task An_attempt_after_the_send_does_not_undo_it_and_record_sent_confirms_an_attempt()
    {
        using var database = new ChannelsDatabase(DbPath);
        var store = new SqliteSentMessageStore(database, TimeProvider.System);

        await store.RecordAttemptAsync(Channel.WhatsApp, "k1");
        await store.RecordSentAsync(Channel.WhatsApp, "k1", "wamid.K1");
        await store.RecordAttemptAsync(Channel.WhatsApp, "k1");

        Assert.True(await store.WasSentAsync(Channel.WhatsApp, "k1"));
        Assert.Null(await store.GetPendingAttemptAsync(Channel.WhatsApp, "k1"));
    }

    [Fact]
    public async Task An_attempt_left_by_another_process_is_reported_as_such_and_taken_over_by_a_new_attempt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        using var database = new ChannelsDatabase(DbPath);
        var store = new SqliteSentMessageStore(database, time);
        await InsertForeignAttemptAsync(database, "k2", time.GetUtcNow().AddSeconds(-3));

        var foreign = await store.GetPendingAttemptAsync(Channel.WhatsApp, "k2");
        Assert.NotNull(foreign);
        Assert.False(foreign.ByThisProcess);
        Assert.Equal("dead-process", foreign.Owner);
        Assert.Equal(time.GetUtcNow().AddSeconds(-3), foreign.AttemptedUtc);

        await store.RecordAttemptAsync(Channel.WhatsApp, "k2");

        var mine = await store.GetPendingAttemptAsync(Channel.WhatsApp, "k2");
        Assert.NotNull(mine);
        Assert.True(mine.ByThisProcess);
        Assert.Equal(time.GetUtcNow(), mine.AttemptedUtc);
    }

    [Fact]
    public async Task A_channels_db_from_before_send_attempts_is_upgraded_in_place()
    {
        Directory.CreateDirectory(_directory);
        using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE sent_messages (
                    channel TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    provider_message_id TEXT,
                    sent_utc INTEGER NOT NULL,
                    PRIMARY KEY (channel, idempotency_key)
                ) WITHOUT ROWID;
                INSERT INTO sent_messages VALUES ('WhatsApp', 'sent-before-upgrade', 'wamid.OLD', 1763740800000);
                """;
            create.ExecuteNonQuery();
        }

        using var database = new ChannelsDatabase(DbPath);
        var store = new SqliteSentMessageStore(database, TimeProvider.System);

        Assert.True(await store.WasSentAsync(Channel.WhatsApp, "sent-before-upgrade"));
        Assert.Null(await store.GetPendingAttemptAsync(Channel.WhatsApp, "sent-before-upgrade"));
        await store.RecordAttemptAsync(Channel.WhatsApp, "new-key");
        Assert.False(await store.WasSentAsync(Channel.WhatsApp, "new-key"));
        await store.ConfirmFromStatusAsync(Channel.WhatsApp, "new-key", "wamid.NEW");
        Assert.True(await store.WasSentAsync(Channel.WhatsApp, "new-key"));
        Assert.Equal(3L, await database.ReadScalarAsync(
            "SELECT COUNT(*) FROM pragma_table_info('sent_messages') WHERE name IN ('confirmed', 'owner', 'attempted_utc');", CancellationToken.None));
    }

    /// <summary>An unconfirmed attempt as a killed process leaves it.</summary>
    internal static Task InsertForeignAttemptAsync(ChannelsDatabase database, string key, DateTimeOffset at, string owner = "dead-process") =>
        database.WriteAsync(
            writer => writer.Execute(
                """
                INSERT INTO sent_messages (channel, idempotency_key, provider_message_id, sent_utc, confirmed, owner, attempted_utc)
                VALUES ('WhatsApp', $key, NULL, $at, 0, $owner, $at);
                """,
                ("$key", key),
                ("$at", at.ToUnixTimeMilliseconds()),
                ("$owner", owner)),
            CancellationToken.None);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
