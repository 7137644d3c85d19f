using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.Common;

/// <summary><see cref="ISentMessageStore"/> in <c>channels.db</c>.</summary>
public sealed class SqliteSentMessageStore(ChannelsDatabase database, TimeProvider timeProvider) : ISentMessageStore
{
    private static readonly string ProcessOwner = ChannelStoreTimes.ProcessOwner;

    private const string SentSql = """
        INSERT INTO sent_messages (channel, idempotency_key, provider_message_id, sent_utc, confirmed, owner, attempted_utc)
        VALUES ($channel, $key, $pid, $now, 1, $owner, NULL)
        ON CONFLICT (channel, idempotency_key) DO UPDATE SET
            provider_message_id = COALESCE(sent_messages.provider_message_id, excluded.provider_message_id),
            sent_utc = CASE WHEN sent_messages.confirmed = 1 THEN sent_messages.sent_utc ELSE excluded.sent_utc END,
            confirmed = 1
        WHERE sent_messages.confirmed = 0 OR sent_messages.provider_message_id IS NULL;
        """;

    private const int PurgeEvery = 1000;
    private readonly StripedKeyLocks _locks = new();
    private int _inserts;

    public Task<IDisposable> LockAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default) =>
        _locks.LockAsync(channel, idempotencyKey, cancellationToken);

    /// <summary>True when the key was sent (the provider answered, or its status webhook confirmed the send).</summary>
    public async Task<bool> WasSentAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return await database.ReadScalarAsync(
            "SELECT 1 FROM sent_messages WHERE channel = $channel AND idempotency_key = $key AND confirmed = 1;",
            cancellationToken,
            ("$channel", channel.ToString()),
            ("$key", idempotencyKey)) is not null;
    }

    /// <summary>The unconfirmed attempt recorded for the key, or null when there is none (never tried, or already sent).</summary>
    public async Task<SendAttempt?> GetPendingAttemptAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT owner, COALESCE(attempted_utc, sent_utc) FROM sent_messages
            WHERE channel = $channel AND idempotency_key = $key AND confirmed = 0;
            """;
        command.Parameters.AddWithValue("$channel", channel.ToString());
        command.Parameters.AddWithValue("$key", idempotencyKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var owner = reader.GetString(0);
        return new SendAttempt(owner, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), string.Equals(owner, ProcessOwner, StringComparison.Ordinal));
    }

    private const string AttemptSql = """
        INSERT INTO sent_messages (channel, idempotency_key, provider_message_id, sent_utc, confirmed, owner, attempted_utc)
        VALUES ($channel, $key, NULL, $now, 0, $owner, $now)
        ON CONFLICT (channel, idempotency_key) DO UPDATE SET
            owner = excluded.owner, attempted_utc = excluded.attempted_utc, sent_utc = excluded.sent_utc
        WHERE sent_messages.confirmed = 0;
        """;

    /// <summary>
    /// Records that this process is about to call the provider for the key (committed before the call). A key already
    /// sent is left alone; an earlier unconfirmed attempt is taken over.
    /// </summary>
    public Task RecordAttemptAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return database.WriteAsync(writer => RecordAttempt(writer, channel.ToString(), idempotencyKey, now), cancellationToken);
    }

    /// <summary>
    /// The state read and the attempt recorded in one write transaction (which also commits the claims completed by
    /// the webhook, see <see cref="ChannelsDatabase.Defer"/>): no read connection, one commit before the provider call.
    /// </summary>
    public Task<SendStart> StartAttemptAsync(Channel channel, string idempotencyKey, Func<SendAttempt, bool> sendAgainAtOnce, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(sendAgainAtOnce);
        var channelName = channel.ToString();
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return database.WriteAsync(
            writer =>
            {
                SendAttempt? attempt = null;
                using (var reader = writer.Command(
                    "SELECT confirmed, owner, COALESCE(attempted_utc, sent_utc) FROM sent_messages WHERE channel = $channel AND idempotency_key = $key;",
                    ("$channel", channelName),
                    ("$key", idempotencyKey)).ExecuteReader())
                {
                    if (reader.Read())
                    {
                        if (reader.GetInt64(0) == 1)
                        {
                            return SendStart.Sent;
                        }

                        var owner = reader.GetString(1);
                        attempt = new SendAttempt(owner, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), string.Equals(owner, ProcessOwner, StringComparison.Ordinal));
                    }
                }

                if (attempt is not null && !sendAgainAtOnce(attempt))
                {
                    return new SendStart(false, false, attempt);
                }

                RecordAttempt(writer, channelName, idempotencyKey, now);
                return new SendStart(false, true, attempt);
            },
            cancellationToken);
    }

    private static int RecordAttempt(Storage.SqliteWriter writer, string channel, string idempotencyKey, long now) =>
        writer.Execute(AttemptSql, ("$channel", channel), ("$key", idempotencyKey), ("$now", now), ("$owner", ProcessOwner));

    /// <summary>Marks the key sent after the provider accepted it (creates the row when no attempt was recorded).</summary>
    public Task RecordSentAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default) =>
        MarkSentAsync(channel, idempotencyKey, providerMessageId, cancellationToken);

    /// <summary>
    /// Marks the key sent because the provider's status webhook (e.g. WhatsApp <c>sent</c> / <c>delivered</c> / <c>read</c>
    /// carrying <c>biz_opaque_callback_data</c>) proves the message went out. Idempotent; creates the row when the attempt is missing.
    /// </summary>
    public Task ConfirmFromStatusAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default) =>
        MarkSentAsync(channel, idempotencyKey, providerMessageId, cancellationToken);

    private async Task MarkSentAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = await database.WriteAsync(
            writer => writer.Execute(
                SentSql,
                ("$channel", channel.ToString()),
                ("$key", idempotencyKey),
                ("$pid", providerMessageId),
                ("$now", now),
                ("$owner", ProcessOwner)) == 1,
            cancellationToken);

        // Outside the write above: a write cannot start another write on the same file.
        if (changed && Interlocked.Increment(ref _inserts) % PurgeEvery == 0)
        {
            await PurgeOlderThanAsync(ChannelStoreTimes.Retention, cancellationToken);
        }
    }

    /// <summary>Deletes keys older than <paramref name="age"/>.</summary>
    public Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var cutoff = (timeProvider.GetUtcNow() - age).ToUnixTimeMilliseconds();
        return database.WriteAsync(
            writer => writer.Execute("DELETE FROM sent_messages WHERE sent_utc < $cutoff;", ("$cutoff", cutoff)),
            cancellationToken);
    }
}
