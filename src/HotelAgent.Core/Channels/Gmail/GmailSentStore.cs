using System.Collections.Concurrent;
using System.Globalization;
using HotelAgent.Core.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Channels.Gmail;

/// <summary>
/// Remembers which outbound idempotency keys were already sent by email: in memory plus table
/// <c>gmail_sent</c> in <c>channels.db</c> under <see cref="HotelAgentOptions.DataDirectory"/> (survives restarts).
/// </summary>
public sealed class GmailSentStore
{
    private readonly ConcurrentDictionary<string, bool> _memory = new(StringComparer.Ordinal);
    private readonly Lazy<string> _connectionString;

    public GmailSentStore(IOptions<HotelAgentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = new Lazy<string>(() => Initialize(options.Value.ResolveDataDirectory()));
    }

    public bool IsSent(string idempotencyKey)
    {
        if (_memory.ContainsKey(idempotencyKey))
        {
            return true;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM gmail_sent WHERE idempotency_key = $key";
        command.Parameters.AddWithValue("$key", idempotencyKey);
        var found = command.ExecuteScalar() is not null;
        if (found)
        {
            _memory[idempotencyKey] = true;
        }

        return found;
    }

    public void MarkSent(string idempotencyKey, string gmailMessageId, string threadId, DateTimeOffset sentAt)
    {
        _memory[idempotencyKey] = true;
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO gmail_sent (idempotency_key, gmail_message_id, thread_id, sent_at)
            VALUES ($key, $id, $thread, $at)
            """;
        command.Parameters.AddWithValue("$key", idempotencyKey);
        command.Parameters.AddWithValue("$id", gmailMessageId);
        command.Parameters.AddWithValue("$thread", threadId);
        command.Parameters.AddWithValue("$at", sentAt.ToString("O", CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString.Value);
        connection.Open();
        return connection;
    }

    private static string Initialize(string directory)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "channels.db"),
            Pooling = false,
            DefaultTimeout = 10,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS gmail_sent (
                idempotency_key TEXT PRIMARY KEY,
                gmail_message_id TEXT NOT NULL,
                thread_id TEXT NOT NULL,
                sent_at TEXT NOT NULL)
            """;
        command.ExecuteNonQuery();
        return connectionString;
    }
}
