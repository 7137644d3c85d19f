using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// Remembers <see cref="OutboundMessage.IdempotencyKey"/>s after a successful send, so a retried activity
/// (or a replayed orchestration) does not message the guest twice.
/// </summary>
public sealed class SentMessageStore(ChannelsDatabase database, TimeProvider timeProvider)
{
    public async Task<bool> WasSentAsync(Channel channel, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sent_messages WHERE channel = $channel AND idempotency_key = $key;";
        command.Parameters.AddWithValue("$channel", channel.ToString());
        command.Parameters.AddWithValue("$key", idempotencyKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task RecordSentAsync(Channel channel, string idempotencyKey, string? providerMessageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO sent_messages (channel, idempotency_key, provider_message_id, sent_utc)
            VALUES ($channel, $key, $pid, $now);
            """;
        command.Parameters.AddWithValue("$channel", channel.ToString());
        command.Parameters.AddWithValue("$key", idempotencyKey);
        command.Parameters.AddWithValue("$pid", (object?)providerMessageId ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
