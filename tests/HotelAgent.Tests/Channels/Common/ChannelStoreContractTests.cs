using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Tests.Fakes.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HotelAgent.Tests.Channels.Common;

/// <summary>
/// What every implementation of the inbound claims, sent keys and delivery statuses must do, run on SQLite and on Azure
/// Tables (Azurite). "Another instance" is a second store object on the same state.
/// </summary>
public abstract class ChannelStoreContractTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected ChannelStoreContractTests(StoreBackend backend) => Backend = backend;

    protected StoreBackend Backend { get; }

    public void Dispose()
    {
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task The_same_message_delivered_to_two_instances_at_once_is_claimed_once()
    {
        var a = Backend.Processed(_time);
        var b = Backend.Processed(_time);
        for (var i = 0; i < 5; i++)
        {
            var id = $"wamid.RACE{i}";
            var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(() => (n % 2 == 0 ? a : b).TryRecordAsync(Channel.WhatsApp, id))));
            Assert.Equal(1, claims.Count(c => c));
        }
    }

    [Fact]
    public async Task A_completed_claim_blocks_forever_a_forgotten_one_is_processed_again_and_a_stale_pending_one_is_taken_over()
    {
        var a = Backend.Processed(_time);
        var b = Backend.Processed(_time);
        Assert.True(await a.TryRecordAsync(Channel.WhatsApp, "wamid.DONE"));
        await a.CompleteAsync(Channel.WhatsApp, "wamid.DONE");
        Assert.True(await b.ContainsAsync(Channel.WhatsApp, "wamid.DONE"));
        Assert.False(await b.ContainsAsync(Channel.Email, "wamid.DONE")); // ids are per channel

        Assert.True(await a.TryRecordAsync(Channel.WhatsApp, "wamid.FAILED"));
        await a.ForgetAsync(Channel.WhatsApp, "wamid.FAILED");
        Assert.True(await b.TryRecordAsync(Channel.WhatsApp, "wamid.FAILED"));

        Assert.True(await a.TryRecordAsync(Channel.WhatsApp, "wamid.PENDING"));
        Assert.False(await b.TryRecordAsync(Channel.WhatsApp, "wamid.PENDING"));
        _time.Advance(ChannelStoreTimes.PendingTimeout + TimeSpan.FromSeconds(1));
        Assert.True(await b.TryRecordAsync(Channel.WhatsApp, "wamid.PENDING"));
        Assert.False(await a.TryRecordAsync(Channel.WhatsApp, "wamid.PENDING"));

        _time.Advance(ChannelStoreTimes.PendingTimeout + TimeSpan.FromSeconds(1));
        Assert.False(await a.TryRecordAsync(Channel.WhatsApp, "wamid.DONE")); // completed: never again
    }

    [Fact]
    public async Task Purging_removes_only_old_claims()
    {
        var store = Backend.Processed(_time);
        Assert.True(await store.TryRecordAsync(Channel.WhatsApp, "wamid.OLD"));
        _time.Advance(TimeSpan.FromDays(31));
        Assert.True(await store.TryRecordAsync(Channel.WhatsApp, "wamid.NEW"));
        Assert.Equal(1, await store.PurgeOlderThanAsync(ChannelStoreTimes.Retention));
        Assert.False(await store.ContainsAsync(Channel.WhatsApp, "wamid.OLD"));
        Assert.True(await store.ContainsAsync(Channel.WhatsApp, "wamid.NEW"));
    }

    [Fact]
    public async Task A_send_confirmed_by_a_status_on_another_instance_is_sent_for_every_instance()
    {
        var sender = Backend.Sent(_time);
        var other = Backend.Sent(_time);
        Assert.Null(await sender.GetPendingAttemptAsync(Channel.WhatsApp, "conv-1:1"));
        await sender.RecordAttemptAsync(Channel.WhatsApp, "conv-1:1");
        var attempt = await other.GetPendingAttemptAsync(Channel.WhatsApp, "conv-1:1");
        Assert.NotNull(attempt);
        Assert.Equal(ChannelStoreTimes.ProcessOwner, attempt.Owner);
        Assert.Equal(_time.GetUtcNow(), attempt.AttemptedUtc);
        Assert.False(await other.WasSentAsync(Channel.WhatsApp, "conv-1:1"));

        await other.ConfirmFromStatusAsync(Channel.WhatsApp, "conv-1:1", "wamid.OUT1");
        Assert.True(await sender.WasSentAsync(Channel.WhatsApp, "conv-1:1"));
        Assert.Null(await sender.GetPendingAttemptAsync(Channel.WhatsApp, "conv-1:1"));

        // A later attempt of a sent key leaves it sent; keys are per channel.
        await sender.RecordAttemptAsync(Channel.WhatsApp, "conv-1:1");
        Assert.True(await other.WasSentAsync(Channel.WhatsApp, "conv-1:1"));
        Assert.False(await other.WasSentAsync(Channel.Email, "conv-1:1"));

        await sender.RecordSentAsync(Channel.Email, "conv-2:1", "<id@hotel>");
        Assert.True(await other.WasSentAsync(Channel.Email, "conv-2:1"));
    }

    [Fact]
    public async Task Concurrent_confirmations_and_attempts_end_sent()
    {
        var a = Backend.Sent(_time);
        var b = Backend.Sent(_time);
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => i % 3 == 0
            ? (i % 2 == 0 ? a : b).ConfirmFromStatusAsync(Channel.WhatsApp, "conv-9:3", "wamid.X")
            : (i % 2 == 0 ? a : b).RecordAttemptAsync(Channel.WhatsApp, "conv-9:3"))));
        Assert.True(await a.WasSentAsync(Channel.WhatsApp, "conv-9:3"));
        Assert.True(await b.WasSentAsync(Channel.WhatsApp, "conv-9:3"));
    }

    [Fact]
    public async Task Sent_keys_are_purged_after_retention()
    {
        var store = Backend.Sent(_time);
        await store.RecordSentAsync(Channel.WhatsApp, "old:1", "wamid.1");
        _time.Advance(TimeSpan.FromDays(31));
        await store.RecordSentAsync(Channel.WhatsApp, "new:1", "wamid.2");
        Assert.Equal(1, await store.PurgeOlderThanAsync(ChannelStoreTimes.Retention));
        Assert.False(await store.WasSentAsync(Channel.WhatsApp, "old:1"));
        Assert.True(await store.WasSentAsync(Channel.WhatsApp, "new:1"));
    }

    [Fact]
    public async Task Delivery_statuses_are_kept_per_message_in_time_order_and_replace_the_same_status()
    {
        var a = Backend.Statuses(_time);
        var b = Backend.Statuses(_time);
        var t0 = _time.GetUtcNow();
        await a.RecordAsync(Channel.WhatsApp, "wamid.S/1", "read", t0.AddSeconds(20), null);
        await b.RecordAsync(Channel.WhatsApp, "wamid.S/1", "sent", t0, null);
        await a.RecordAsync(Channel.WhatsApp, "wamid.S/1", "delivered", t0.AddSeconds(5), []);
        await b.RecordAsync(Channel.WhatsApp, "wamid.S/1", "failed", t0.AddSeconds(30), [131047, 131026]);
        await b.RecordAsync(Channel.WhatsApp, "wamid.S/1", "failed", t0.AddSeconds(31), [131047]);
        await a.RecordAsync(Channel.WhatsApp, "wamid.OTHER", "sent", t0, null);

        var statuses = await a.GetAsync(Channel.WhatsApp, "wamid.S/1");
        Assert.Equal(["sent", "delivered", "read", "failed"], statuses.Select(s => s.Status));
        Assert.Equal([131047], statuses[^1].ErrorCodes);
        Assert.Empty(statuses[1].ErrorCodes);
        Assert.Equal(t0.AddSeconds(31), statuses[^1].At);
        Assert.Empty(await a.GetAsync(Channel.Email, "wamid.S/1"));

        _time.Advance(TimeSpan.FromDays(40));
        await b.RecordAsync(Channel.WhatsApp, "wamid.NEW", "sent", _time.GetUtcNow(), null);
        Assert.Equal(5, await b.PurgeOlderThanAsync(ChannelStoreTimes.Retention));
        Assert.Single(await a.GetAsync(Channel.WhatsApp, "wamid.NEW"));
    }
}

public sealed class SqliteChannelStoreContractTests() : ChannelStoreContractTests(StoreBackend.Sqlite());

[Collection(AzuriteCollection.Name)]
public sealed class AzureTablesChannelStoreContractTests(AzuriteFixture azurite) : ChannelStoreContractTests(StoreBackend.Azure(azurite));
