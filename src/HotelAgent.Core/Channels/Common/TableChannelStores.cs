using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// <see cref="IProcessedMessageStore"/> on Azure Tables (table <c>{prefix}Processed</c>, partition = provider message id,
/// row = channel: every claim is a point operation). The insert is the claim: a second insert of the same id answers 409.
/// A pending claim is taken over only when stale (<see cref="ChannelStoreTimes.PendingTimeout"/>) — another owner may be a
/// live instance — with an ETag-conditional update, so two instances can never both take it over.
/// </summary>
public sealed class TableProcessedMessageStore(AzureStorageAccount account, TimeProvider timeProvider) : IProcessedMessageStore
{
    public const string TableName = "Processed";
    private const int PurgeEvery = 1000;
    private int _inserts;

    public async Task<bool> TryRecordAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var (pk, rk) = Keys(channel, providerMessageId);
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var now = timeProvider.GetUtcNow();
            var claim = new TableEntity(pk, rk)
            {
                ["RecordedUtc"] = now.ToUnixTimeMilliseconds(),
                ["Completed"] = false,
                ["Owner"] = ChannelStoreTimes.ProcessOwner,
            };
            try
            {
                await table.AddEntityAsync(claim, cancellationToken);
                if (Interlocked.Increment(ref _inserts) % PurgeEvery == 0)
                {
                    await PurgeOlderThanAsync(ChannelStoreTimes.Retention, cancellationToken);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Someone claimed it: a duplicate, unless that claim is pending and stale.
            }

            var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            if (!existing.HasValue || existing.Value is null)
            {
                continue; // forgotten between our insert and the read: claim again
            }

            var row = existing.Value;
            var recorded = DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64("RecordedUtc") ?? 0);
            if (row.GetBoolean("Completed") == true || recorded >= now - ChannelStoreTimes.PendingTimeout)
            {
                return false;
            }

            try
            {
                await table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (TableKeys.IsConflict(ex) || TableKeys.IsNotFound(ex))
            {
                // Another instance took it over first (or it was forgotten): read again.
            }
        }

        throw TableKeys.TooMuchContention("an inbound message claim");
    }

    public async Task CompleteAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var (pk, rk) = Keys(channel, providerMessageId);
        try
        {
            await table.UpdateEntityAsync(new TableEntity(pk, rk) { ["Completed"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (TableKeys.IsNotFound(ex))
        {
            // Purged or forgotten meanwhile: nothing to complete (the SQLite store's UPDATE changes no row either).
        }
    }

    public async Task ForgetAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var (pk, rk) = Keys(channel, providerMessageId);
        await table.DeleteEntityAsync(pk, rk, ETag.All, cancellationToken);
    }

    public async Task<bool> ContainsAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var (pk, rk) = Keys(channel, providerMessageId);
        return (await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, ["PartitionKey"], cancellationToken)).HasValue;
    }

    public async Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var cutoff = (timeProvider.GetUtcNow() - age).ToUnixTimeMilliseconds();
        return await TableStoreMaintenance.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"RecordedUtc lt {cutoff}"), cancellationToken);
    }

    private static (string Partition, string Row) Keys(Channel channel, string providerMessageId) =>
        (TableKeys.Escape(providerMessageId), channel.ToString());
}

/// <summary>
/// <see cref="ISentMessageStore"/> on Azure Tables (table <c>{prefix}Sent</c>, partition = idempotency key, row = channel).
/// Attempts and confirmations are read-decide-write loops with ETags: a status webhook that reaches another instance
/// confirms the send for every instance.
/// </summary>
public sealed class TableSentMessageStore(AzureStorageAccount account, TimeProvider timeProvider) : ISentMessageStore
{
    public const string TableName = "Sent";
    private const int PurgeEvery = 1000;
    private readonly StripedKeyLocks _locks = new();
    private int _inserts;

    public Task<IDisposable> LockAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default) =>
        _locks.LockAsync(channel, idempotencyKey, cancellationToken);

    public async Task<bool> WasSentAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var row = await GetAsync(channel, idempotencyKey, cancellationToken);
        return row?.GetBoolean("Confirmed") == true;
    }

    public async Task<SendAttempt?> GetPendingAttemptAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var row = await GetAsync(channel, idempotencyKey, cancellationToken);
        if (row is null || row.GetBoolean("Confirmed") == true)
        {
            return null;
        }

        var owner = row.GetString("Owner") ?? string.Empty;
        var at = row.GetInt64("AttemptedUtc") ?? row.GetInt64("SentUtc") ?? 0;
        return new SendAttempt(owner, DateTimeOffset.FromUnixTimeMilliseconds(at), string.Equals(owner, ChannelStoreTimes.ProcessOwner, StringComparison.Ordinal));
    }

    public async Task RecordAttemptAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var (pk, rk) = Keys(channel, idempotencyKey);
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var entity = new TableEntity(pk, rk)
            {
                ["SentUtc"] = now,
                ["AttemptedUtc"] = now,
                ["Confirmed"] = false,
                ["Owner"] = ChannelStoreTimes.ProcessOwner,
            };
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                    return;
                }

                if (existing.Value.GetBoolean("Confirmed") == true)
                {
                    return; // already sent: leave it alone
                }

                await table.UpdateEntityAsync(entity, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (TableKeys.IsConflict(ex) || TableKeys.IsNotFound(ex))
            {
                // Changed under us (another instance recorded or confirmed it): decide again.
            }
        }

        throw TableKeys.TooMuchContention("a send attempt");
    }

    public Task RecordSentAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default) =>
        MarkSentAsync(channel, idempotencyKey, providerMessageId, cancellationToken);

    public Task ConfirmFromStatusAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default) =>
        MarkSentAsync(channel, idempotencyKey, providerMessageId, cancellationToken);

    public async Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var cutoff = (timeProvider.GetUtcNow() - age).ToUnixTimeMilliseconds();
        return await TableStoreMaintenance.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"SentUtc lt {cutoff}"), cancellationToken);
    }

    private async Task MarkSentAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var (pk, rk) = Keys(channel, idempotencyKey);
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue || existing.Value is null)
                {
                    await table.AddEntityAsync(
                        new TableEntity(pk, rk)
                        {
                            ["SentUtc"] = now,
                            ["Confirmed"] = true,
                            ["Owner"] = ChannelStoreTimes.ProcessOwner,
                            ["ProviderMessageId"] = providerMessageId,
                        },
                        cancellationToken);
                    await PurgeNowAndThenAsync(cancellationToken);
                    return;
                }

                var row = existing.Value;
                var confirmed = row.GetBoolean("Confirmed") == true;
                var knownId = row.GetString("ProviderMessageId");
                if (confirmed && knownId is not null)
                {
                    return; // nothing to add
                }

                row["ProviderMessageId"] = knownId ?? providerMessageId;
                row["SentUtc"] = confirmed ? row.GetInt64("SentUtc") ?? now : now;
                row["Confirmed"] = true;
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                await PurgeNowAndThenAsync(cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (TableKeys.IsConflict(ex) || TableKeys.IsNotFound(ex))
            {
                // Another instance recorded or confirmed it meanwhile: decide again.
            }
        }

        throw TableKeys.TooMuchContention("a sent key");
    }

    private async Task PurgeNowAndThenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _inserts) % PurgeEvery == 0)
        {
            await PurgeOlderThanAsync(ChannelStoreTimes.Retention, cancellationToken);
        }
    }

    private async Task<TableEntity?> GetAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var (pk, rk) = Keys(channel, idempotencyKey);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private static (string Partition, string Row) Keys(Channel channel, string idempotencyKey) =>
        (TableKeys.Escape(idempotencyKey), channel.ToString());
}

/// <summary>
/// <see cref="IDeliveryStatusStore"/> on Azure Tables (table <c>{prefix}Statuses</c>, partition = provider message id, row =
/// channel + status): the statuses of one message are one partition query.
/// </summary>
public sealed class TableDeliveryStatusStore(AzureStorageAccount account, TimeProvider timeProvider) : IDeliveryStatusStore
{
    public const string TableName = "Statuses";

    public async Task RecordAsync(Channel channel, string providerMessageId, string status, DateTimeOffset at, IEnumerable<int>? errorCodes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        ArgumentException.ThrowIfNullOrEmpty(status);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var codes = errorCodes is null ? null : string.Join(",", errorCodes.Select(c => c.ToString(CultureInfo.InvariantCulture)));
        await table.UpsertEntityAsync(
            new TableEntity(TableKeys.Escape(providerMessageId), channel + ":" + TableKeys.Escape(status))
            {
                ["Status"] = status,
                ["StatusUtc"] = at.ToUnixTimeMilliseconds(),
                ["ErrorCodes"] = string.IsNullOrEmpty(codes) ? null : codes,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryStatus>> GetAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var result = new List<DeliveryStatus>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableKeys.RowKeyPrefixFilter(TableKeys.Escape(providerMessageId), channel + ":"), cancellationToken: cancellationToken))
        {
            var codes = row.GetString("ErrorCodes") is { Length: > 0 } text
                ? text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList()
                : [];
            result.Add(new DeliveryStatus(providerMessageId, row.GetString("Status") ?? string.Empty,
                DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64("StatusUtc") ?? 0), codes));
        }

        return result.OrderBy(s => s.At).ThenBy(s => s.Status, StringComparer.Ordinal).ToList();
    }

    public async Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var cutoff = (timeProvider.GetUtcNow() - age).ToUnixTimeMilliseconds();
        return await TableStoreMaintenance.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"StatusUtc lt {cutoff}"), cancellationToken);
    }
}

/// <summary>Retention purges of the table stores: a filtered scan, deleting what it finds (rare; not on the hot path).</summary>
internal static class TableStoreMaintenance
{
    public static async Task<int> DeleteWhereAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                deleted++;
            }
            catch (RequestFailedException ex) when (TableKeys.IsNotFound(ex))
            {
                // Deleted by another instance's purge.
            }
        }

        return deleted;
    }
}
