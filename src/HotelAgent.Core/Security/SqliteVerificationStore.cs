using HotelAgent.Core.Configuration;
using HotelAgent.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HotelAgent.Core.Security;

/// <summary>
/// <see cref="IVerificationStore"/> in <c>security.db</c> under the data directory (WAL): each start or check is one write
/// transaction, so its counts and changes stay atomic.
/// </summary>
public sealed class SqliteVerificationStore : IVerificationStore, IDisposable
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

    public SqliteVerificationStore(IOptions<HotelAgentOptions> options)
        : this(Path.Combine((options ?? throw new ArgumentNullException(nameof(options))).Value.ResolveDataDirectory(), FileName))
    {
    }

    public SqliteVerificationStore(string filePath) => _database = new SqliteDatabase(filePath, initialize: w => w.ExecuteScript(Schema));

    public string FilePath => _database.FilePath;

    private int _starts;

    /// <summary>Runs <paramref name="work"/> in one write transaction (checks and changes stay atomic).</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken) => _database.WriteAsync(work, cancellationToken);

    public Task<ChallengeOutcome> StartAsync(ChallengeStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var now = start.Now;
        return _database.WriteAsync(writer =>
        {
            if (FindChallenge(writer, start.Id) is not null)
            {
                return ChallengeOutcome.Replayed;
            }

            var windowStart = (now - VerificationLimits.SendWindow).ToUnixTimeMilliseconds();
            var locked = FailuresSince(writer, start.Reference, (now - start.Limits.LockWindow).ToUnixTimeMilliseconds()) >= start.Limits.MaxCodeAttempts;
            var outcome = VerificationRules.Decide(start, locked, CodesSentSince(writer, start.Reference, windowStart), ChallengesOfConversationSince(writer, start.ConversationId, windowStart));
            InsertChallenge(writer, new StoredChallenge(
                start.Id, start.Reference, start.ConversationId, outcome == ChallengeOutcome.Send ? start.CodeHash : null, now.ToUnixTimeMilliseconds(),
                start.ExpiresAt.ToUnixTimeMilliseconds(), 0, false));
            if (Interlocked.Increment(ref _starts) % 100 == 0)
            {
                Purge(writer, (now - VerificationLimits.Retention).ToUnixTimeMilliseconds());
            }

            return outcome;
        }, cancellationToken);
    }

    public Task<ChallengeCheckOutcome> CheckAsync(ChallengeCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var now = check.Now.ToUnixTimeMilliseconds();
        var lockStart = (check.Now - check.Limits.LockWindow).ToUnixTimeMilliseconds();
        return _database.WriteAsync(writer =>
        {
            var challenge = FindChallenge(writer, check.ChallengeId);
            if (challenge is null || !string.Equals(challenge.ConversationId, check.ConversationId, StringComparison.Ordinal))
            {
                return new ChallengeCheckOutcome(CodeCheckStatus.Wrong, null);
            }

            var matches = check.Matches(challenge);
            if (challenge.Verified)
            {
                // A retried activity after a success: the same code answers the same way.
                return new ChallengeCheckOutcome(matches ? CodeCheckStatus.Verified : CodeCheckStatus.Wrong, challenge.Reference);
            }

            if (FailuresSince(writer, challenge.Reference, lockStart) >= check.Limits.MaxCodeAttempts)
            {
                return new ChallengeCheckOutcome(CodeCheckStatus.Locked, challenge.Reference);
            }

            if (now > challenge.ExpiresUtc)
            {
                return new ChallengeCheckOutcome(CodeCheckStatus.Expired, challenge.Reference);
            }

            if (!matches)
            {
                RecordFailure(writer, challenge.Id, challenge.Reference, now);
                var failures = FailuresSince(writer, challenge.Reference, lockStart);
                return new ChallengeCheckOutcome(failures >= check.Limits.MaxCodeAttempts ? CodeCheckStatus.Locked : CodeCheckStatus.Wrong, challenge.Reference);
            }

            MarkVerified(writer, challenge.Id);
            return new ChallengeCheckOutcome(CodeCheckStatus.Verified, challenge.Reference);
        }, cancellationToken);
    }

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
