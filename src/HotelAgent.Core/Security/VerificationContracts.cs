using System.Text.Json.Serialization;
using HotelAgent.Core.Messaging;
using HotelAgent.Core.Pms;

namespace HotelAgent.Core.Security;

/// <summary>A guest asks to prove a reservation by its reference: a one-time code goes to the booking's own contact.</summary>
/// <param name="Reference">The reference the guest typed.</param>
/// <param name="Channel">The asking guest's channel.</param>
/// <param name="GuestId">The asking guest's id on that channel.</param>
/// <param name="ConversationId">The asking conversation (a code only works there).</param>
/// <param name="Language">"es" or "en": the language of the code message.</param>
/// <param name="IdempotencyKey">Stable per request (a retried activity returns the same challenge and sends nothing new).</param>
public sealed record VerificationRequest(string Reference, Channel Channel, string GuestId, string ConversationId, string Language, string IdempotencyKey);

/// <summary>
/// The same answer whether the reference exists or not, is locked or over its sending limit: only the booking's owner can
/// tell (a code reached them or not).
/// </summary>
public sealed record VerificationStarted(string ChallengeId);

/// <summary>A code typed by the guest for a challenge of their conversation.</summary>
public sealed record CodeCheckRequest(string ChallengeId, string ConversationId, string Code);

[JsonConverter(typeof(JsonStringEnumConverter<CodeCheckStatus>))]
public enum CodeCheckStatus
{
    Verified,

    /// <summary>Not the code (also every code of a challenge that sent nothing).</summary>
    Wrong,

    /// <summary>Too many wrong codes for this reservation: no code works until the lock ends.</summary>
    Locked,

    Expired,
}

/// <summary>The outcome of a code check; the reservation only when verified.</summary>
public sealed record CodeCheckResult(CodeCheckStatus Status, Reservation? Reservation = null);

[JsonConverter(typeof(JsonStringEnumConverter<OwnerNoticeKind>))]
public enum OwnerNoticeKind
{
    Cancelled,
    Modified,
}

/// <summary>Tells a booking's own contacts that it was cancelled or changed (skipping the requester, whose reply says so).</summary>
public sealed record OwnerNoticeRequest(string Reference, OwnerNoticeKind Kind, Channel Channel, string GuestId, string IdempotencyKey);
