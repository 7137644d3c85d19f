using System.Collections.Concurrent;
using System.Globalization;
using HotelAgent.Core.Channels.Common;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>
/// Remembers which outbound idempotency keys were already sent by email: in memory plus table <c>gmail_sent</c> in
/// <c>channels.db</c> (survives restarts). Shares <see cref="ChannelsDatabase"/> — and so its single writer — with the
/// other channel stores.
/// </summary>
public sealed class GmailSentStore(ChannelsDatabase database)
{
    private readonly ConcurrentDictionary<string, bool> _memory = new(StringComparer.Ordinal);

    public async Task<bool> IsSentAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        if (_memory.ContainsKey(idempotencyKey))
        {
            return true;
        }

        var found = await database.ReadScalarAsync(
            "SELECT 1 FROM gmail_sent WHERE idempotency_key = $key;",
            cancellationToken,
            ("$key", idempotencyKey)) is not null;
        if (found)
        {
            _memory[idempotencyKey] = true;
        }

        return found;
    }

    public async Task MarkSentAsync(string idempotencyKey, string gmailMessageId, string threadId, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        _memory[idempotencyKey] = true;
        await database.WriteAsync(
            writer => writer.Execute(
                """
                INSERT OR IGNORE INTO gmail_sent (idempotency_key, gmail_message_id, thread_id, sent_at)
                VALUES ($key, $id, $thread, $at);
                """,
                ("$key", idempotencyKey),
                ("$id", gmailMessageId),
                ("$thread", threadId),
                ("$at", sentAt.ToString("O", CultureInfo.InvariantCulture))),
            cancellationToken);
    }
}
