using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Security;

/// <summary>One one-time-code challenge as stored. <see cref="CodeHash"/> is null when no code was sent.</summary>
public sealed record StoredChallenge(string Id, string Reference, string ConversationId, byte[]? CodeHash, long CreatedUtc, long ExpiresUtc, int Attempts, bool Verified);

/// <summary>
/// One-time-code challenges and wrong attempts (<c>security.db</c> under the data directory, WAL). Only keyed hashes of
/// codes are stored. Per instance, like the other channel stores (see docs/security.md for scale-out).
/// </summary>
public sealed class VerificationStore : IDisposable
{
    public const string FileName = "security.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS verification_challenges (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            code_hash BLOB NULL,
            created_utc INTEGER NOT NULL,
            expires_utc INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            verified INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_challenges_reference ON verification_challenges(reference, created_utc);
        CREATE INDEX IF NOT EXISTS ix_challenges_conversation ON verification_challenges(conversation_id, created_utc);
        CREATE TABLE IF NOT EXISTS verification_failures (
            reference TEXT NOT NULL,
            failed_utc INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_failures_reference ON verification_failures(reference, failed_utc);
        """;

    private readonly SqliteDatabase _database;

    public VerificationStore(IOptions<HotelAgentOptions> options)
        : this(Path.Combine((options ?? throw new ArgumentNullException(nameof(options))).Value.ResolveDataDirectory(), FileName))
    {
    }

    public VerificationStore(string filePath) => _database = new SqliteDatabase(filePath, initialize: w => w.ExecuteScript(Schema));

    public string FilePath => _database.FilePath;

    /// <summary>Runs <paramref name="work"/> in one write transaction (checks and changes stay atomic).</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken) => _database.WriteAsync(work, cancellationToken);

    public static StoredChallenge? FindChallenge(SqliteWriter writer, string id)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var reader = writer.Command(
            "SELECT id, reference, conversation_id, code_hash, created_utc, expires_utc, attempts, verified FROM verification_challenges WHERE id = $id;",
            ("$id", id)).ExecuteReader();
        return reader.Read()
            ? new StoredChallenge(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : (byte[])reader[3],
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt32(6), reader.GetInt64(7) != 0)
            : null;
    }

    public static void InsertChallenge(SqliteWriter writer, StoredChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(challenge);
        writer.Execute(
            """
            INSERT INTO verification_challenges (id, reference, conversation_id, code_hash, created_utc, expires_utc, attempts, verified)
            VALUES ($id, $reference, $conversation, $hash, $created, $expires, 0, 0);
            """,
            ("$id", challenge.Id), ("$reference", challenge.Reference), ("$conversation", challenge.ConversationId), ("$hash", challenge.CodeHash),
            ("$created", challenge.CreatedUtc), ("$expires", challenge.ExpiresUtc));
    }

    /// <summary>Codes actually sent for the reference since <paramref name="sinceUtc"/>.</summary>
    public static long CodesSentSince(SqliteWriter writer, string reference, long sinceUtc) => Count(writer,
        "SELECT COUNT(*) FROM verification_challenges WHERE reference = $key AND created_utc >= $since AND code_hash IS NOT NULL;", reference, sinceUtc);

    /// <summary>Challenges (sent or not) requested by the conversation since <paramref name="sinceUtc"/>.</summary>
    public static long ChallengesOfConversationSince(SqliteWriter writer, string conversationId, long sinceUtc) => Count(writer,
        "SELECT COUNT(*) FROM verification_challenges WHERE conversation_id = $key AND created_utc >= $since;", conversationId, sinceUtc);

    public static long FailuresSince(SqliteWriter writer, string reference, long sinceUtc) => Count(writer,
        "SELECT COUNT(*) FROM verification_failures WHERE reference = $key AND failed_utc >= $since;", reference, sinceUtc);

    public static void RecordFailure(SqliteWriter writer, string challengeId, string reference, long nowUtc)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Execute("UPDATE verification_challenges SET attempts = attempts + 1 WHERE id = $id;", ("$id", challengeId));
        writer.Execute("INSERT INTO verification_failures (reference, failed_utc) VALUES ($reference, $now);", ("$reference", reference), ("$now", nowUtc));
    }

    public static void MarkVerified(SqliteWriter writer, string challengeId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Execute("UPDATE verification_challenges SET verified = 1 WHERE id = $id;", ("$id", challengeId));
    }

    /// <summary>Deletes challenges and failures older than <paramref name="beforeUtc"/>.</summary>
    public static void Purge(SqliteWriter writer, long beforeUtc)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Execute("DELETE FROM verification_challenges WHERE created_utc < $before;", ("$before", beforeUtc));
        writer.Execute("DELETE FROM verification_failures WHERE failed_utc < $before;", ("$before", beforeUtc));
    }

    /// <summary>True when the file can be opened (readiness).</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenReadConnectionAsync(cancellationToken);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public void Dispose() => _database.Dispose();

    private static long Count(SqliteWriter writer, string sql, string key, long sinceUtc)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return Convert.ToInt64(writer.Scalar(sql, ("$key", key), ("$since", sinceUtc)), System.Globalization.CultureInfo.InvariantCulture);
    }
}
