using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HotelAgent.Core.Channels.Common;
using HotelAgent.Core.Storage;

namespace HotelAgent.Core.Security;

/// <summary>
/// <see cref="IVerificationStore"/> on Azure Tables (table <c>{prefix}Verification</c>), for every instance at once. Three
/// kinds of entity, each its own partition (every read and write is a point operation):
/// <c>c:{challenge id}</c> (reference, conversation, code hash, expiry, verified), <c>r:{reference}</c> (times codes were
/// sent and wrong codes typed, within their windows) and <c>v:{conversation id}</c> (times challenges were requested).
/// Counters are read, decided on and written back with the ETag they were read with; a lost race reads again, so two
/// instances can neither both send the code that goes over a limit nor both miss the wrong code that locks a booking.
/// </summary>
public sealed class TableVerificationStore(AzureStorageAccount account) : IVerificationStore
{
    public const string TableName = "Verification";
    private const string Row = "";
    private int _starts;

    public async Task<ChallengeOutcome> StartAsync(ChallengeStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var now = start.Now.ToUnixTimeMilliseconds();
        var windowStart = (start.Now - VerificationLimits.SendWindow).ToUnixTimeMilliseconds();
        var lockStart = (start.Now - start.Limits.LockWindow).ToUnixTimeMilliseconds();
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            if ((await table.GetEntityIfExistsAsync<TableEntity>(ChallengeKey(start.Id), Row, ["PartitionKey"], cancellationToken)).HasValue)
            {
                return ChallengeOutcome.Replayed;
            }

            var reference = await ReadAsync(table, ReferenceKey(start.Reference), cancellationToken);
            var conversation = await ReadAsync(table, ConversationKey(start.ConversationId), cancellationToken);
            var locked = Times(reference, "FailedUtc", lockStart).Count >= start.Limits.MaxCodeAttempts;
            var outcome = VerificationRules.Decide(start, locked, Times(reference, "SentUtc", windowStart).Count, Times(conversation, "ChallengeUtc", windowStart).Count);
            if (outcome == ChallengeOutcome.Send && await TryAppendAsync(table, reference, ReferenceKey(start.Reference), "SentUtc", now, windowStart, cancellationToken) is null)
            {
                continue; // another instance sent a code for this booking meanwhile: count again
            }

            await AppendAsync(table, ConversationKey(start.ConversationId), "ChallengeUtc", now, windowStart, cancellationToken);
            try
            {
                await table.AddEntityAsync(
                    new TableEntity(ChallengeKey(start.Id), Row)
                    {
                        ["Reference"] = start.Reference,
                        ["ConversationId"] = start.ConversationId,
                        ["CodeHash"] = outcome == ChallengeOutcome.Send ? start.CodeHash : null,
                        ["CreatedUtc"] = now,
                        ["ExpiresUtc"] = start.ExpiresAt.ToUnixTimeMilliseconds(),
                        ["Attempts"] = 0,
                        ["Verified"] = false,
                    },
                    cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                return ChallengeOutcome.Replayed; // the same request on another instance created it first
            }

            if (Interlocked.Increment(ref _starts) % 100 == 0)
            {
                await PurgeAsync(table, (start.Now - VerificationLimits.Retention).ToUnixTimeMilliseconds(), cancellationToken);
            }

            return outcome;
        }

        throw TableKeys.TooMuchContention("a verification challenge");
    }

    public async Task<ChallengeCheckOutcome> CheckAsync(ChallengeCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var table = await account.GetTableAsync(TableName, cancellationToken);
        var now = check.Now.ToUnixTimeMilliseconds();
        var lockStart = (check.Now - check.Limits.LockWindow).ToUnixTimeMilliseconds();
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            var row = await ReadAsync(table, ChallengeKey(check.ChallengeId), cancellationToken);
            if (row is null || !string.Equals(row.GetString("ConversationId"), check.ConversationId, StringComparison.Ordinal))
            {
                return new ChallengeCheckOutcome(CodeCheckStatus.Wrong, null);
            }

            var challenge = new StoredChallenge(
                check.ChallengeId, row.GetString("Reference") ?? string.Empty, check.ConversationId, row.GetBinary("CodeHash"),
                row.GetInt64("CreatedUtc") ?? 0, row.GetInt64("ExpiresUtc") ?? 0, row.GetInt32("Attempts") ?? 0, row.GetBoolean("Verified") == true);
            var matches = check.Matches(challenge);
            if (challenge.Verified)
            {
                // A retried activity after a success: the same code answers the same way.
                return new ChallengeCheckOutcome(matches ? CodeCheckStatus.Verified : CodeCheckStatus.Wrong, challenge.Reference);
            }

            var reference = await ReadAsync(table, ReferenceKey(challenge.Reference), cancellationToken);
            if (Times(reference, "FailedUtc", lockStart).Count >= check.Limits.MaxCodeAttempts)
            {
                return new ChallengeCheckOutcome(CodeCheckStatus.Locked, challenge.Reference);
            }

            if (now > challenge.ExpiresUtc)
            {
                return new ChallengeCheckOutcome(CodeCheckStatus.Expired, challenge.Reference);
            }

            if (!matches)
            {
                if (await TryAppendAsync(table, reference, ReferenceKey(challenge.Reference), "FailedUtc", now, lockStart, cancellationToken) is not { } failures)
                {
                    continue; // another wrong code for this booking landed first: count again
                }

                row["Attempts"] = challenge.Attempts + 1;
                try
                {
                    await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                catch (RequestFailedException ex) when (TableKeys.IsConflict(ex))
                {
                    // The per-challenge count is informational; the lock counts failures per reference above.
                }

                return new ChallengeCheckOutcome(failures >= check.Limits.MaxCodeAttempts ? CodeCheckStatus.Locked : CodeCheckStatus.Wrong, challenge.Reference);
            }

            row["Verified"] = true;
            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return new ChallengeCheckOutcome(CodeCheckStatus.Verified, challenge.Reference);
            }
            catch (RequestFailedException ex) when (TableKeys.IsConflict(ex))
            {
                // Checked on another instance meanwhile: read again.
            }
        }

        throw TableKeys.TooMuchContention("a code check");
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => account.IsReachableAsync(cancellationToken);

    private static string ChallengeKey(string id) => "c:" + TableKeys.Escape(id);

    private static string ReferenceKey(string reference) => "r:" + TableKeys.Escape(reference);

    private static string ConversationKey(string conversationId) => "v:" + TableKeys.Escape(conversationId);

    private static async Task<TableEntity?> ReadAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, Row, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>The times (ms) kept in <paramref name="property"/> that are at or after <paramref name="since"/>.</summary>
    private static List<long> Times(TableEntity? entity, string property, long since) =>
        (entity?.GetString(property) ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture))
            .Where(t => t >= since)
            .ToList();

    /// <summary>
    /// Appends <paramref name="now"/> to the entity as read (ETag-conditional): the number of times kept after the append,
    /// or null when the entity changed meanwhile.
    /// </summary>
    private static async Task<int?> TryAppendAsync(TableClient table, TableEntity? read, string partition, string property, long now, long keepSince, CancellationToken cancellationToken)
    {
        var entity = read ?? new TableEntity(partition, Row);
        var times = Times(entity, property, keepSince);
        times.Add(now);
        entity[property] = string.Join(",", times.Select(t => t.ToString(CultureInfo.InvariantCulture)));
        entity["LastUtc"] = now;
        try
        {
            if (read is null)
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(entity, read.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return times.Count;
        }
        catch (RequestFailedException ex) when (TableKeys.IsConflict(ex) || TableKeys.IsNotFound(ex))
        {
            return null;
        }
    }

    private static async Task AppendAsync(TableClient table, string partition, string property, long now, long keepSince, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < TableKeys.MaxOptimisticAttempts; attempt++)
        {
            if (await TryAppendAsync(table, await ReadAsync(table, partition, cancellationToken), partition, property, now, keepSince, cancellationToken) is not null)
            {
                return;
            }
        }

        throw TableKeys.TooMuchContention("a verification counter");
    }

    private static async Task PurgeAsync(TableClient table, long beforeUtc, CancellationToken cancellationToken)
    {
        await TableStoreMaintenance.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"CreatedUtc lt {beforeUtc}"), cancellationToken);
        await TableStoreMaintenance.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"LastUtc lt {beforeUtc}"), cancellationToken);
    }
}
