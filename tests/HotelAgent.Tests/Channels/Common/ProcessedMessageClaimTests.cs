using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Tests.Channels.Common;

/// <summary>Claims that were never completed (the process died mid-message) must not lose the message.</summary>
public sealed class ProcessedMessageClaimTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ha-claims-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Fact]
    public async Task A_pending_claim_of_a_dead_process_is_taken_over_but_a_live_or_completed_one_is_not()
    {
        var database = new ChannelsDatabase(_path);
        var store = new SqliteProcessedMessageStore(database, TimeProvider.System);
        Assert.True(await store.TryRecordAsync(Channel.WhatsApp, "wamid.LIVE"));
        Assert.False(await store.TryRecordAsync(Channel.WhatsApp, "wamid.LIVE"));

        // A claim left by a process that was killed before handing the message on.
        await database.WriteAsync(
            writer => writer.Execute(
                "INSERT INTO processed_messages (channel, provider_message_id, recorded_utc, completed, owner) VALUES ('WhatsApp', 'wamid.ORPHAN', $now, 0, 'dead-process');",
                ("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())),
            CancellationToken.None);

        Assert.True(await store.TryRecordAsync(Channel.WhatsApp, "wamid.ORPHAN"));
        Assert.False(await store.TryRecordAsync(Channel.WhatsApp, "wamid.ORPHAN"));

        await store.CompleteAsync(Channel.WhatsApp, "wamid.ORPHAN");
        Assert.False(await new SqliteProcessedMessageStore(new ChannelsDatabase(_path), TimeProvider.System).TryRecordAsync(Channel.WhatsApp, "wamid.ORPHAN"));
    }
}
