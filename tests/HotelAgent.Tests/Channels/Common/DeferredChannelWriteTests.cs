using System.Diagnostics.Metrics;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Channels.WhatsApp;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using HotelAgent.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace HotelAgent.Tests.Channels.Common;

/// <summary>
/// Statements deferred onto the next <c>channels.db</c> write (the customer-service window joins the exactly-once claim,
/// the claim's completion joins whatever writes next): one commit fewer each, none lost when a write rolls back.
/// </summary>
public sealed class DeferredChannelWriteTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hotelagent-defer-" + Guid.NewGuid().ToString("N"));
    private readonly string _fileName = "channels-" + Guid.NewGuid().ToString("N") + ".db";

    private string DbPath => Path.Combine(_directory, _fileName);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_window_commits_in_the_claims_transaction_and_the_completion_in_the_next_write()
    {
        using var database = new ChannelsDatabase(DbPath);
        var window = new SqliteCustomerServiceWindow(database, Options.Create(new WhatsAppOptions()), TimeProvider.System);
        var processed = new SqliteProcessedMessageStore(database, TimeProvider.System);
        await database.ReadScalarAsync("SELECT 1;", CancellationToken.None); // the schema's own transaction, before counting
        using var transactions = new TransactionCounter(_fileName);
        await database.FlushAsync(); // nothing queued: no transaction

        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var commitWindow = await window.RecordInboundDeferredAsync("+5491155551234", at);
        Assert.Null(await window.GetLastInboundAsync("+5491155551234")); // waits for the claim
        Assert.True(await processed.TryRecordAsync(Channel.WhatsApp, "wamid.ONE"));
        await commitWindow(CancellationToken.None); // the claim committed it: nothing to write

        Assert.Equal(1, transactions.Count);
        Assert.Equal(at.ToUnixTimeMilliseconds(), (await window.GetLastInboundAsync("+5491155551234"))!.Value.ToUnixTimeMilliseconds());

        // The completion waits for the next write on the file (here the next claim) and commits in it.
        await processed.CompleteDeferredAsync(Channel.WhatsApp, "wamid.ONE");
        Assert.True(await processed.TryRecordAsync(Channel.WhatsApp, "wamid.TWO"));
        Assert.Equal(1L, await database.ReadScalarAsync(
            "SELECT completed FROM processed_messages WHERE provider_message_id = 'wamid.ONE';", CancellationToken.None));
        Assert.InRange(transactions.Count, 2, 3); // the second claim, plus the background flush if it won the gate first
    }

    [Fact]
    public async Task The_windows_commit_leaves_a_queued_completion_to_the_next_write()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var database = new ChannelsDatabase(DbPath, clock);
        var window = new SqliteCustomerServiceWindow(database, Options.Create(new WhatsAppOptions()), clock);
        var processed = new SqliteProcessedMessageStore(database, clock);

        // The webhook's order: window queued, claim (carries it), hand-off, completion queued, window's commit.
        var commitWindow = await window.RecordInboundDeferredAsync("+5491155551234", clock.GetUtcNow());
        Assert.True(await processed.TryRecordAsync(Channel.WhatsApp, "wamid.ACK"));
        await processed.CompleteDeferredAsync(Channel.WhatsApp, "wamid.ACK");
        await commitWindow(CancellationToken.None);

        // The completion is still waiting for the reply's send (or the flush delay): not written on the ack path.
        Assert.Equal(0L, await database.ReadScalarAsync(
            "SELECT completed FROM processed_messages WHERE provider_message_id = 'wamid.ACK';", CancellationToken.None));
        var sent = new SqliteSentMessageStore(database, clock);
        Assert.True((await sent.StartAttemptAsync(Channel.WhatsApp, "wamid.ACK:0", _ => true)).Started);
        Assert.Equal(1L, await database.ReadScalarAsync(
            "SELECT completed FROM processed_messages WHERE provider_message_id = 'wamid.ACK';", CancellationToken.None));
    }

    [Fact]
    public async Task A_deferred_statement_survives_a_write_that_rolls_back_and_commits_with_the_next()
    {
        using var database = new ChannelsDatabase(DbPath);
        var window = new SqliteCustomerServiceWindow(database, Options.Create(new WhatsAppOptions()), TimeProvider.System);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        var commitWindow = await window.RecordInboundDeferredAsync("+5491155551234", at);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync<int>(
            writer => throw new InvalidOperationException("the claim's own work failed"), CancellationToken.None));
        Assert.Null(await window.GetLastInboundAsync("+5491155551234"));

        await commitWindow(CancellationToken.None);
        Assert.Equal(at.ToUnixTimeMilliseconds(), (await window.GetLastInboundAsync("+5491155551234"))!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_completion_commits_in_the_background_when_nothing_else_writes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var database = new ChannelsDatabase(DbPath, clock);
        var processed = new SqliteProcessedMessageStore(database, clock);
        Assert.True(await processed.TryRecordAsync(Channel.WhatsApp, "wamid.ALONE"));

        await processed.CompleteDeferredAsync(Channel.WhatsApp, "wamid.ALONE");

        // It waits for another write to carry it, then (no write came) commits on its own.
        Assert.Equal(0L, await database.ReadScalarAsync(
            "SELECT completed FROM processed_messages WHERE provider_message_id = 'wamid.ALONE';", CancellationToken.None));
        clock.Advance(ChannelsDatabase.FlushDelay);
        Assert.True(await Eventually.TrueAsync(async () => await database.ReadScalarAsync(
            "SELECT completed FROM processed_messages WHERE provider_message_id = 'wamid.ALONE';", CancellationToken.None) is 1L));

        // Completed: another process's redelivery is a duplicate (a pending claim of ours would be taken over).
        await database.WriteAsync(w => w.Execute("UPDATE processed_messages SET owner = 'dead-process';"), CancellationToken.None);
        Assert.False(await processed.TryRecordAsync(Channel.WhatsApp, "wamid.ALONE"));
    }

    [Fact]
    public async Task Until_its_completion_commits_a_claim_still_refuses_a_redelivery_in_this_process()
    {
        using var database = new ChannelsDatabase(DbPath);
        var processed = new SqliteProcessedMessageStore(database, TimeProvider.System);
        Assert.True(await processed.TryRecordAsync(Channel.WhatsApp, "wamid.SOON"));
        await processed.CompleteDeferredAsync(Channel.WhatsApp, "wamid.SOON");

        // Whether or not the completion committed yet, the same process sees a duplicate.
        Assert.False(await processed.TryRecordAsync(Channel.WhatsApp, "wamid.SOON"));
    }

    [Fact]
    public async Task The_send_start_reads_and_records_the_attempt_in_one_transaction()
    {
        using var database = new ChannelsDatabase(DbPath);
        var sent = new SqliteSentMessageStore(database, TimeProvider.System);
        await database.ReadScalarAsync("SELECT 1;", CancellationToken.None);
        using var transactions = new TransactionCounter(_fileName);

        var first = await sent.StartAttemptAsync(Channel.WhatsApp, "wamid.IN:0", _ => false);
        Assert.True(first.Started);
        Assert.Null(first.Pending);
        Assert.Equal(1, transactions.Count);
        Assert.True((await sent.GetPendingAttemptAsync(Channel.WhatsApp, "wamid.IN:0"))!.ByThisProcess);

        // An unconfirmed attempt: taken over only when the caller says so; nothing recorded otherwise.
        var waiting = await sent.StartAttemptAsync(Channel.WhatsApp, "wamid.IN:0", _ => false);
        Assert.False(waiting.Started);
        Assert.False(waiting.AlreadySent);
        Assert.True(waiting.Pending!.ByThisProcess);
        Assert.True((await sent.StartAttemptAsync(Channel.WhatsApp, "wamid.IN:0", _ => true)).Started);

        await sent.RecordSentAsync(Channel.WhatsApp, "wamid.IN:0", "wamid.OUT");
        Assert.True((await sent.StartAttemptAsync(Channel.WhatsApp, "wamid.IN:0", _ => true)).AlreadySent);
        Assert.True(await sent.WasSentAsync(Channel.WhatsApp, "wamid.IN:0"));
    }

    /// <summary>Write transactions committed or begun on one file (the counter is process-wide; the file name isolates this test).</summary>
    private sealed class TransactionCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public TransactionCounter(string fileName)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == StorageMetrics.MeterName && instrument.Name == "hotelagent.sqlite.transactions")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "file" && Equals(tag.Value, fileName))
                    {
                        Interlocked.Add(ref _count, (int)value);
                    }
                }
            });
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
