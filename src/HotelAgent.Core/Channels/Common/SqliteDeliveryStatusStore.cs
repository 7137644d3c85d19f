using System.Globalization;
using HotelAgent.Core.Messaging;

namespace HotelAgent.Core.Channels.Common;

/// <summary>
/// Delivery receipts of outbound messages (WhatsApp <c>statuses</c>: sent / delivered / read / failed), kept in
/// <c>channels.db</c> for support and diagnostics. No guest data is stored: only the provider message id.
/// </summary>
public sealed class SqliteDeliveryStatusStore(ChannelsDatabase database, TimeProvider timeProvider) : IDeliveryStatusStore
{
    public async Task RecordAsync(Channel channel, string providerMessageId, string status, DateTimeOffset at, IEnumerable<int>? errorCodes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerMessageId);
        ArgumentException.ThrowIfNullOrEmpty(status);
        var codes = errorCodes is null ? null : string.Join(",", errorCodes.Select(c => c.ToString(CultureInfo.InvariantCulture)));
        await database.WriteAsync(
            writer => writer.Execute(
                """
                INSERT OR REPLACE INTO delivery_statuses (channel, provider_message_id, status, status_utc, error_codes)
                VALUES ($channel, $id, $status, $at, $codes);
                """,
                ("$channel", channel.ToString()),
                ("$id", providerMessageId),
                ("$status", status),
                ("$at", at.ToUnixTimeMilliseconds()),
                ("$codes", string.IsNullOrEmpty(codes) ? null : codes)),
            cancellationToken);
    }

    /// <summary>The statuses received for a message, oldest first.</summary>
    public async Task<IReadOnlyList<DeliveryStatus>> GetAsync(Channel channel, string providerMessageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT status, status_utc, error_codes FROM delivery_statuses
            WHERE channel = $channel AND provider_message_id = $id ORDER BY status_utc, status;
            """;
        command.Parameters.AddWithValue("$channel", channel.ToString());
        command.Parameters.AddWithValue("$id", providerMessageId);
        var result = new List<DeliveryStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var codes = reader.IsDBNull(2)
                ? []
                : reader.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
            result.Add(new DeliveryStatus(providerMessageId, reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), codes));
        }

        return result;
    }

    public Task<int> PurgeOlderThanAsync(TimeSpan age, CancellationToken cancellationToken = default)
    {
        var cutoff = (timeProvider.GetUtcNow() - age).ToUnixTimeMilliseconds();
        return database.WriteAsync(
            writer => writer.Execute("DELETE FROM delivery_statuses WHERE status_utc < $cutoff;", ("$cutoff", cutoff)),
            cancellationToken);
    }
}
