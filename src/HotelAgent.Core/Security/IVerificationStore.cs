namespace HotelAgent.Core.Security;

/// <summary>
/// One-time-code challenges, code-sending counts and wrong attempts, with the rules that must hold across every instance:
/// a reference locks after <see cref="VerificationLimits.MaxCodeAttempts"/> wrong codes within the lock window, at most
/// <see cref="VerificationLimits.MaxCodesPerReservationPerHour"/> codes go to one booking and
/// <see cref="VerificationLimits.MaxCodesPerConversationPerHour"/> challenges come from one conversation per hour. Only keyed
/// hashes of codes are stored. Implementations: <see cref="SqliteVerificationStore"/> (<c>security.db</c>, one transaction per
/// call) and <see cref="TableVerificationStore"/> (Azure Tables, ETag-conditional updates).
/// </summary>
public interface IVerificationStore
{
    /// <summary>Creates the challenge (or reports a replay of an existing id) and decides whether its code is sent.</summary>
    Task<ChallengeOutcome> StartAsync(ChallengeStart start, CancellationToken cancellationToken);

    /// <summary>Checks a code against a challenge of the same conversation; a wrong code counts against the reference.</summary>
    Task<ChallengeCheckOutcome> CheckAsync(ChallengeCheck check, CancellationToken cancellationToken);

    /// <summary>True when the store can be reached (readiness).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}

/// <summary>What a challenge request became.</summary>
public enum ChallengeOutcome
{
    /// <summary>The same request again (a retried activity): nothing new is sent.</summary>
    Replayed,

    /// <summary>The code is stored and must be sent to the booking's own contacts.</summary>
    Send,

    /// <summary>No confirmed booking has that reference (stored without a code: every code is wrong).</summary>
    Unknown,

    /// <summary>The reference is locked by wrong codes.</summary>
    Locked,

    /// <summary>Over a sending limit (per booking or per conversation).</summary>
    Limited,
}

/// <summary>The limits of <see cref="SecurityOptions"/> as the stores apply them.</summary>
public sealed record VerificationLimits(TimeSpan LockWindow, int MaxCodeAttempts, int MaxCodesPerReservationPerHour, int MaxCodesPerConversationPerHour)
{
    /// <summary>Codes sent and challenges requested are counted over this window.</summary>
    public static readonly TimeSpan SendWindow = TimeSpan.FromHours(1);

    /// <summary>Challenges and failures older than this are purged.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    public static VerificationLimits From(SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new VerificationLimits(TimeSpan.FromMinutes(options.LockMinutes), options.MaxCodeAttempts, options.MaxCodesPerReservationPerHour, options.MaxCodesPerConversationPerHour);
    }
}

/// <summary>A challenge to create. <paramref name="CodeHash"/> is stored only when the code is sent.</summary>
public sealed record ChallengeStart(
    string Id, string Reference, string ConversationId, bool ReservationExists, byte[] CodeHash, DateTimeOffset Now, DateTimeOffset ExpiresAt, VerificationLimits Limits);

/// <summary>A typed code to check; <paramref name="Matches"/> compares it with a stored challenge's hash in constant time.</summary>
public sealed record ChallengeCheck(string ChallengeId, string ConversationId, Func<StoredChallenge, bool> Matches, DateTimeOffset Now, VerificationLimits Limits);

/// <summary>The check's status, and the challenge's reference when the challenge belongs to the conversation.</summary>
public sealed record ChallengeCheckOutcome(CodeCheckStatus Status, string? Reference);

/// <summary>One one-time-code challenge as stored. <see cref="CodeHash"/> is null when no code was sent.</summary>
public sealed record StoredChallenge(string Id, string Reference, string ConversationId, byte[]? CodeHash, long CreatedUtc, long ExpiresUtc, int Attempts, bool Verified);

/// <summary>The decisions both stores share, on counts each store reads its own way.</summary>
internal static class VerificationRules
{
    public static ChallengeOutcome Decide(ChallengeStart start, bool locked, long codesSentForReference, long challengesOfConversation)
    {
        var send = start.ReservationExists
            && !locked
            && codesSentForReference < start.Limits.MaxCodesPerReservationPerHour
            && challengesOfConversation < start.Limits.MaxCodesPerConversationPerHour;
        return send ? ChallengeOutcome.Send : !start.ReservationExists ? ChallengeOutcome.Unknown : locked ? ChallengeOutcome.Locked : ChallengeOutcome.Limited;
    }
}
