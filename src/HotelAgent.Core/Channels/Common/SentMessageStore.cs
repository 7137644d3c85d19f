using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// Remembers <see cref="OutboundMessage.IdempotencyKey"/>s after a successful send, so a retried activity
/// (or a replayed orchestration) does not message the guest twice.
/// </summary>
public sealed class SentMessageStore(ChannelsDatabase database, TimeProvider timeProvider)
{
    /// <summary>How long keys are kept; older ones are purged now and then (activity retries happen within minutes).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    private const int PurgeEvery = 1000;
    private const int Stripes = 256;
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private int _inserts;

    /// <summary>
    /// Serializes sends of the same key inside this process (striped locks), so two concurrent retries of one
    /// activity cannot both pass the "not sent yet" check. Dispose the result to release.
    /// </summary>
    public async Task<IDisposable> LockAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var stripe = _locks[(int)((uint)HashCode.Combine(channel, StringComparer.Ordinal.GetHashCode(idempotencyKey)) % Stripes)];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    public async Task<bool> WasSentAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return await database.ReadScalarAsync(
            "SELECT 1 FROM sent_messages WHERE channel = $channel AND idempotency_key = $key;",
            cancellationToken,
            ("$channel", channel.ToString()),
            ("$key", idempotencyKey)) is not null;
    }

    public async Task RecordSentAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var inserted = await database.WriteAsync(
            writer => writer.Execute(
                """
                INSERT OR IGNORE INTO sent_messages (channel, idempotency_key, provider_message_id, sent_utc)
                VALUES ($channel, $key, $pid, $now);
                """,
                ("$channel", channel.ToString()),
                ("$key", idempotencyKey),
                ("$pid", providerMessageId),
                ("$now", now)) == 1,
            cancellationToken);

        // Outside the write above: a write cannot start another write on the same file.
        if (inserted && Interlocked.Increment(ref _inserts) % PurgeEvery == 0)
        {
            await PurgeOlderThanAsync(Retention, cancellationToken);
        }
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
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
