using Azure;
using Azure.Data.Tables;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.WhatsApp;

/// <summary>
/// WhatsApp's 24-hour customer-service window per guest: free-form messages are only allowed within 24 hours of
/// the guest's last message; outside it only approved templates may be sent.
/// </summary>
public interface ICustomerServiceWindow
{
    /// <summary>Call for every inbound WhatsApp message (the newest timestamp wins).</summary>
    Task RecordInboundAsync(string guestId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="RecordInboundAsync"/>, but where the store can, the write joins the next write transaction of its
    /// file (in <c>channels.db</c>: the exactly-once claim that follows, so window and claim commit together) instead
    /// of taking one of its own. Returns the commit: call it after that write; it writes only when nothing carried the
    /// record (by default the record is written at once and the commit does nothing).
    /// </summary>
    async Task<Func<CancellationToken, Task>> RecordInboundDeferredAsync(string guestId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        await RecordInboundAsync(guestId, receivedAt, cancellationToken);
        return static _ => Task.CompletedTask;
    }

    /// <summary>When the guest last wrote, or null when never.</summary>
    Task<DateTimeOffset?> GetLastInboundAsync(string guestId, CancellationToken cancellationToken = default);

    /// <summary>True when a free-form message may be sent now.</summary>
    Task<bool> IsOpenAsync(string guestId, CancellationToken cancellationToken = default);
}

/// <summary>The window stored in <c>channels.db</c>, so restarts keep it.</summary>
public sealed class SqliteCustomerServiceWindow(
    ChannelsDatabase database,
    IOptions<WhatsAppOptions> options,
    TimeProvider timeProvider) : ICustomerServiceWindow
{
    private static readonly string ChannelName = Channel.WhatsApp.ToString();

    private const string RecordSql = """
        INSERT INTO customer_service_window (channel, guest_id, last_inbound_utc) VALUES ($channel, $guest, $at)
        ON CONFLICT (channel, guest_id) DO UPDATE SET last_inbound_utc = MAX(last_inbound_utc, excluded.last_inbound_utc);
        """;

    public async Task RecordInboundAsync(string guestId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var record = Record(guestId, receivedAt);
        await database.WriteAsync(writer => { record(writer); return true; }, cancellationToken);
    }

    /// <summary>
    /// Queued on <c>channels.db</c>: the exactly-once claim that follows commits it in its transaction. The commit
    /// returned flushes only when the record is still waiting, so it never commits other deferred statements (the
    /// claim's completion) on the webhook's path.
    /// </summary>
    public Task<Func<CancellationToken, Task>> RecordInboundDeferredAsync(string guestId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var committed = database.Defer(Record(guestId, receivedAt), flushSoon: false);
        return Task.FromResult<Func<CancellationToken, Task>>(ct => committed.IsCompleted ? committed : FlushThenWaitAsync(committed, ct));
    }

    private async Task FlushThenWaitAsync(Task committed, CancellationToken cancellationToken)
    {
        await database.FlushAsync(cancellationToken);
        await committed;
    }

    private Action<SqliteWriter> Record(string guestId, DateTimeOffset receivedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);

        // A timestamp from the future (clock skew) must not extend the window beyond what Meta allows.
        var now = timeProvider.GetUtcNow();
        var at = (receivedAt > now ? now : receivedAt).ToUnixTimeMilliseconds();
        return writer => writer.Execute(RecordSql, ("$channel", ChannelName), ("$guest", guestId), ("$at", at));
    }

    public async Task<DateTimeOffset?> GetLastInboundAsync(string guestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        return await database.ReadScalarAsync(
            "SELECT last_inbound_utc FROM customer_service_window WHERE channel = $channel AND guest_id = $guest;",
            cancellationToken,
            ("$channel", ChannelName),
            ("$guest", guestId)) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public async Task<bool> IsOpenAsync(string guestId, CancellationToken cancellationToken = default)
    {
        // No record (the guest never wrote, or the record was lost): let Meta decide; a closed window answers 131047
        // and the client falls back to the template.
        var last = await GetLastInboundAsync(guestId, cancellationToken);
        return last is not { } at || timeProvider.GetUtcNow() - at < options.Value.CustomerServiceWindow;
    }
}

/// <summary>
/// The window on Azure Tables (table <c>{prefix}Window</c>, partition = guest id, row = channel), so every instance sees
/// the guest's last message. The newest timestamp wins through an ETag-conditional update.
/// </summary>
public sealed class TableCustomerServiceWindow(
    AzureStorageAccount account,
    IOptions<WhatsAppOptions> options,
    TimeProvider timeProvider) : ICustomerServiceWindow
{
    public const string TableName = "Window";
    private static readonly string ChannelName = Channel.WhatsApp.ToString();

    public async Task RecordInboundAsync(string guestId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        var now = timeProvider.GetUtcNow();
        var at = (receivedAt > now ? now : receivedAt).ToUnixTimeMilliseconds();
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var key = TableKeys.Escape(guestId);
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(key, ChannelName, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    await table.AddEntityAsync(new TableEntity(key, ChannelName) { ["LastInboundUtc"] = at }, cancellationToken);
                    return;
                }

                if ((existing.Value.GetInt64("LastInboundUtc") ?? 0) >= at)
                {
                    return;
                }

                existing.Value["LastInboundUtc"] = at;
                await table.UpdateEntityAsync(existing.Value, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (TableKeys.IsConflict(ex) || TableKeys.IsNotFound(ex))
            {
                // Another instance recorded a message of the same guest: compare again.
            }
        }

        throw TableKeys.TooMuchContention("the customer-service window");
    }

    public async Task<DateTimeOffset?> GetLastInboundAsync(string guestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(guestId);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(guestId), ChannelName, cancellationToken: cancellationToken);
        return found.HasValue && found.Value?.GetInt64("LastInboundUtc") is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    public async Task<bool> IsOpenAsync(string guestId, CancellationToken cancellationToken = default)
    {
        var last = await GetLastInboundAsync(guestId, cancellationToken);
        return last is not { } at || timeProvider.GetUtcNow() - at < options.Value.CustomerServiceWindow;
    }
}
