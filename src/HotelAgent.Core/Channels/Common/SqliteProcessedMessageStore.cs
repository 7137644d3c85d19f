using HotelAgent.Core.Messaging;
using HotelAgent.Core.Storage;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// <see cref="IProcessedMessageStore"/> in <c>channels.db</c>. One process owns the file, so a pending claim left by another
/// owner was left by an earlier process (a restart after a kill) and is reclaimable at once.
/// </summary>
public sealed class SqliteProcessedMessageStore(ChannelsDatabase database, TimeProvider timeProvider) : IProcessedMessageStore
{
    private const int PurgeEvery = 1000;
    private static readonly TimeSpan PendingTimeout = ChannelStoreTimes.PendingTimeout;
    private static readonly string ProcessOwner = ChannelStoreTimes.ProcessOwner;
    private int _inserts;

    /// <summary>
    /// Inserts a pending claim, or takes over a pending one that is stale or was left by another (dead) process;
    /// changes one row only when this caller now owns the claim.
    /// </summary>
    private const string ClaimSql = """
        INSERT INTO processed_messages (channel, provider_message_id, recorded_utc, completed, owner)
        VALUES ($channel, $id, $now, 0, $owner)
        ON CONFLICT (channel, provider_message_id) DO UPDATE SET recorded_utc = excluded.recorded_utc, owner = excluded.owner
        WHERE processed_messages.completed = 0
          AND (processed_messages.recorded_utc < $stale OR processed_messages.owner <> $owner);
        """;

    /// <summary>
    /// Claims the id before processing; true only for the first caller (across concurrent deliveries and restarts),
    /// or when an earlier claim was never completed within <see cref="PendingTimeout"/>. Call
    /// <see cref="CompleteAsync"/> once the message is safely handed on.
    /// </summary>
    public async Task<bool> TryRecordAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        var now = timeProvider.GetUtcNow();
        var recorded = await database.WriteAsync(
            writer => writer.Execute(
                ClaimSql,
                ("$channel", channel.ToString()),
                ("$id", providerMessageId),
                ("$now", now.ToUnixTimeMilliseconds()),
                ("$stale", (now - PendingTimeout).ToUnixTimeMilliseconds()),
                ("$owner", ProcessOwner)) == 1,
            cancellationToken);

        // Outside the write above: a write cannot start another write on the same file.
        if (recorded && Interlocked.Increment(ref _inserts) % PurgeEvery == 0)
        {
            await PurgeOlderThanAsync(ChannelStoreTimes.Retention, cancellationToken);
        }

        return recorded;
    }

    /// <summary>Marks a claimed id as handled: from now on every redelivery is a duplicate.</summary>
    public Task CompleteAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        var complete = Complete(channel, providerMessageId);
        return database.WriteAsync(writer => { complete(writer); return true; }, cancellationToken);
    }

    /// <summary>
    /// Completes the claim in the next <c>channels.db</c> write transaction (the reply's send attempt, the next claim, or
    /// a background flush started now) instead of one of its own, so the webhook's 200 does not wait for it. Until it
    /// commits, a redelivery in this process is still a duplicate (the claim is pending and ours); only a kill in that
    /// moment leaves the claim pending, which is the same state as a kill between the hand-off and
    /// <see cref="CompleteAsync"/>: a redelivery is handed on again and the conversation drops it by its message id.
    /// </summary>
    public Task CompleteDeferredAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        _ = database.Defer(Complete(channel, providerMessageId), flushSoon: true);
        return Task.CompletedTask;
    }

    private static Action<SqliteWriter> Complete(Channel channel, string providerMessageId)
    {
        var channelName = channel.ToString();
        return writer => writer.Execute(
            "UPDATE processed_messages SET completed = 1 WHERE channel = $channel AND provider_message_id = $id;",
            ("$channel", channelName),
            ("$id", providerMessageId));
    }

    /// <summary>
    /// Removes a recorded id so a redelivery is processed again. Use only when processing failed before the message
    /// was handed on (e.g. the sink threw), so a queue retry does not lose it.
    /// </summary>
    public Task ForgetAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            writer => writer.Execute(
                "DELETE FROM processed_messages WHERE channel = $channel AND provider_message_id = $id;",
                ("$channel", channel.ToString()),
                ("$id", providerMessageId)),
            cancellationToken);

    /// <summary>Whether the id was already recorded (does not record it).</summary>
    public async Task<bool> ContainsAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default) =>
        await database.ReadScalarAsync(
            "SELECT 1 FROM processed_messages WHERE channel = $channel AND provider_message_id = $id;",
            cancellationToken,
            ("$channel", channel.ToString()),
            ("$id", providerMessageId)) is not null;

    /// <summary>Deletes ids older than <paramref name="age"/> (WhatsApp retries for up to 7 days; keep more).</summary>
    public Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var cutoff = (timeProvider.GetUtcNow() - age).ToUnixTimeMilliseconds();
        return database.WriteAsync(
            writer => writer.Execute("DELETE FROM processed_messages WHERE recorded_utc < $cutoff;", ("$cutoff", cutoff)),
            cancellationToken);
    }
}
